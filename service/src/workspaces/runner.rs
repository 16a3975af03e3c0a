//! Headless notebook runs. `run_notebooks.py` executes the notebooks in order with the
//! workspace's Python (nbclient, a fresh kernel per notebook, the workspace root as working
//! directory, outputs saved into each .ipynb) and reports progress as JSON lines. This side
//! follows those lines, enforces the time limit, and leaves no process behind.
//!
//! Processes: the script leads its own process group. Its kernels do not join it (Jupyter
//! starts each kernel in a new session), so the script announces each kernel's pid, which is
//! also that kernel's group id, and both groups are killed on time-out or cancellation. A
//! kernel whose script vanished before announcing it exits by itself within about a second
//! (ipykernel polls its parent).

use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};

const SCRIPT: &str = include_str!("run_notebooks.py");
/// Lines of stderr kept to explain a crash.
const STDERR_LINES: usize = 20;
/// How long stderr may stay open after the script ended: a process the notebook started
/// in the background may hold it open for good.
const STDERR_GRACE: Duration = Duration::from_secs(2);

/// Progress of a run, one notebook after another. Serialised, it is the script's own line
/// (`{"event":"start","path":…,"cells_total":…}` and so on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum RunEvent {
    /// The notebook was read; `cells_total` counts its code cells.
    #[serde(rename = "start")]
    Started { path: String, cells_total: u32 },
    /// `cells_done` code cells of the notebook have run.
    Cell { path: String, cells_done: u32 },
    /// Every cell ran and the notebook was saved with its outputs.
    Done { path: String },
    /// The notebook failed and was saved as far as it ran; `cell` is the failing code cell
    /// (1-based), `None` when it never got to one (unreadable file, kernel did not start).
    Failed {
        path: String,
        cell: Option<u32>,
        error: String,
    },
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEnd {
    Succeeded,
    /// A notebook failed; the ones after it did not run.
    Failed {
        path: String,
        cell: Option<u32>,
        error: String,
    },
    /// The time limit passed; the notebook then running was not saved.
    TimedOut,
    /// The runner itself broke (no Python, a missing package, killed); the reason ends with
    /// the last lines it wrote to stderr.
    Crashed(String),
}

/// One line of the script's protocol: an event, or the pid of a kernel it started.
#[derive(Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
enum Line {
    Kernel {
        pid: i32,
    },
    #[serde(untagged)]
    Event(RunEvent),
}

fn parse_line(line: &str) -> Option<Line> {
    serde_json::from_str(line.trim()).ok()
}

/// The progress event on one line of the script's output, if it is one.
pub fn parse_event(line: &str) -> Option<RunEvent> {
    match parse_line(line)? {
        Line::Event(event) => Some(event),
        Line::Kernel { .. } => None,
    }
}

/// Runs `notebooks` (paths relative to `root`, already checked to stay inside it) in order
/// with the Python of `venv`, calling `on_event` as they progress. The whole run gets
/// `limit`; past it every process of the run is killed.
pub async fn execute(
    venv: &Path,
    root: &Path,
    notebooks: &[String],
    limit: Duration,
    mut on_event: impl FnMut(RunEvent) + Send,
) -> RunEnd {
    let python = venv.join("bin").join("python");
    let mut child = match command(&python, root, notebooks).spawn() {
        Ok(child) => child,
        Err(e) => return RunEnd::Crashed(format!("cannot start {}: {e}", python.display())),
    };
    let mut groups = Groups {
        script: child.id().and_then(|id| i32::try_from(id).ok()),
        kernels: Vec::new(),
    };
    let stderr = Tail::follow(child.stderr.take());
    let stdout = child.stdout.take().expect("stdout is piped");
    let progress = follow(stdout, &mut child, &mut groups, &mut on_event);
    let Ok((status, done, failed)) = tokio::time::timeout(limit, progress).await else {
        groups.kill();
        let _ = child.wait().await;
        return RunEnd::TimedOut;
    };
    // Whatever the notebooks left running in the background goes too.
    groups.kill();
    if let Some(failed) = failed {
        return failed;
    }
    match status {
        Ok(status) if status.success() && done == notebooks.len() => RunEnd::Succeeded,
        status => {
            let status = status.map_or_else(|e| e.to_string(), |s| s.to_string());
            let total = notebooks.len();
            let reason = format!("the runner stopped ({status}) after {done} of {total} notebooks");
            RunEnd::Crashed(stderr.explain(reason).await)
        }
    }
}

fn command(python: &Path, root: &Path, notebooks: &[String]) -> Command {
    let mut command = Command::new(python);
    command
        .arg("-c")
        .arg(SCRIPT)
        .args(notebooks)
        .current_dir(root)
        // The server's own Python settings must not leak into the workspace's environment,
        // and a GUI plotting backend would keep charts from showing inline.
        .env_remove("PYTHONHOME")
        .env_remove("PYTHONPATH")
        .env_remove("MPLBACKEND")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    command
}

/// Reads the protocol until the script ends, then reaps it: its exit status, how many
/// notebooks finished, and the failure reported if any.
async fn follow(
    stdout: impl AsyncRead + Unpin,
    child: &mut Child,
    groups: &mut Groups,
    on_event: &mut (impl FnMut(RunEvent) + Send),
) -> (std::io::Result<ExitStatus>, usize, Option<RunEnd>) {
    let mut reader = BufReader::new(stdout);
    let (mut done, mut failed, mut line) = (0, None, Vec::new());
    // Bytes, not `lines()`: one undecodable line must not stop the reading.
    while matches!(reader.read_until(b'\n', &mut line).await, Ok(n) if n > 0) {
        let text = String::from_utf8_lossy(&line);
        match parse_line(&text) {
            Some(Line::Kernel { pid }) => groups.kernels.push(pid),
            Some(Line::Event(event)) => {
                if let RunEvent::Failed { path, cell, error } = &event {
                    let (path, cell, error) = (path.clone(), *cell, error.clone());
                    failed = Some(RunEnd::Failed { path, cell, error });
                }
                done += usize::from(matches!(event, RunEvent::Done { .. }));
                on_event(event);
            }
            None => tracing::debug!(line = %text.trim_end(), "notebook runner: not an event"),
        }
        line.clear();
    }
    let status = child.wait().await;
    // Reaped: its pid, and so its group id, may now belong to someone else.
    groups.script = None;
    (status, done, failed)
}

/// The process groups of a run: killed on time-out, at the end, and when the run is dropped
/// half-way (its task aborted), so that no kernel outlives it.
struct Groups {
    script: Option<i32>,
    kernels: Vec<i32>,
}

impl Groups {
    fn kill(&mut self) {
        for pgid in self.script.take().into_iter().chain(self.kernels.drain(..)) {
            // SAFETY: killpg has no memory effects; a group that is already gone gives ESRCH.
            unsafe { libc::killpg(pgid, libc::SIGKILL) };
        }
    }
}

impl Drop for Groups {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The last lines of the script's stderr (its kernels write there too), read as they come
/// so the script never blocks on a full pipe.
struct Tail {
    lines: Arc<Mutex<std::collections::VecDeque<String>>>,
    reader: tokio::task::JoinHandle<()>,
}

impl Tail {
    fn follow(stderr: Option<impl AsyncRead + Unpin + Send + 'static>) -> Self {
        let lines = Arc::new(Mutex::new(std::collections::VecDeque::new()));
        let kept = Arc::clone(&lines);
        let reader = tokio::spawn(async move {
            let Some(stderr) = stderr else { return };
            let mut stderr = BufReader::new(stderr);
            let mut line = Vec::new();
            while matches!(stderr.read_until(b'\n', &mut line).await, Ok(n) if n > 0) {
                let text = String::from_utf8_lossy(&line).trim_end().to_owned();
                if !text.is_empty() {
                    let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
                    if kept.len() == STDERR_LINES {
                        kept.pop_front();
                    }
                    kept.push_back(text);
                }
                line.clear();
            }
        });
        Self { lines, reader }
    }

    /// `reason`, followed by the tail of stderr once it closed (or the grace time passed).
    async fn explain(mut self, reason: String) -> String {
        // Past the grace time, dropping `self` stops the reader.
        let _ = tokio::time::timeout(STDERR_GRACE, &mut self.reader).await;
        let mut lines = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        match lines.make_contiguous().join("\n") {
            tail if tail.is_empty() => reason,
            tail => format!("{reason}:\n{tail}"),
        }
    }
}

impl Drop for Tail {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use std::path::PathBuf;
    use std::time::Instant;

    /// The real environment: these tests run notebooks.
    fn venv() -> PathBuf {
        crate::testing::jupyter_venv()
    }

    /// A workspace root in the temp dir, removed when dropped.
    struct Root(PathBuf);

    impl Root {
        fn new(files: &[(&str, Vec<u8>)]) -> Self {
            let root = std::env::temp_dir().join(format!("nuri-runner-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&root).unwrap();
            for (path, bytes) in files {
                std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
                std::fs::write(root.join(path), bytes).unwrap();
            }
            Self(root)
        }

        fn notebook(&self, path: &str) -> Value {
            serde_json::from_slice(&std::fs::read(self.0.join(path)).unwrap()).unwrap()
        }
    }

    impl Drop for Root {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn code_notebook(cells: &[&str]) -> Vec<u8> {
        let cell = |(n, source)| {
            json!({"cell_type": "code", "id": format!("c{n}"), "metadata": {},
                   "execution_count": null, "outputs": [], "source": source})
        };
        let cells: Vec<_> = cells.iter().enumerate().map(cell).collect();
        let notebook = json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5});
        serde_json::to_vec(&notebook).unwrap()
    }

    async fn run(root: &Root, notebooks: &[&str], limit: u64) -> (RunEnd, Vec<RunEvent>) {
        let notebooks: Vec<String> = notebooks.iter().map(|p| p.to_string()).collect();
        let mut events = Vec::new();
        let limit = Duration::from_secs(limit);
        let end = execute(&venv(), &root.0, &notebooks, limit, |e| events.push(e)).await;
        (end, events)
    }

    fn outputs(notebook: &Value) -> Vec<Value> {
        let cells = notebook["cells"].as_array().unwrap().iter();
        cells
            .filter_map(|c| c["outputs"].as_array())
            .flatten()
            .cloned()
            .collect()
    }

    /// A stream's text, which nbformat may store as a list of lines.
    fn text(value: &Value) -> String {
        value.as_array().map_or_else(
            || value.as_str().unwrap().to_owned(),
            |l| l.iter().map(|l| l.as_str().unwrap()).collect(),
        )
    }

    #[test]
    fn protocol_lines_parse() {
        let event = |line: &str| parse_event(line).map(|e| serde_json::to_value(e).unwrap());
        for line in [
            json!({"event": "start", "path": "a.ipynb", "cells_total": 3}),
            json!({"event": "cell", "path": "a.ipynb", "cells_done": 1}),
            json!({"event": "done", "path": "a.ipynb"}),
            json!({"event": "failed", "path": "b.ipynb", "cell": null, "error": "E: e"}),
        ] {
            assert_eq!(event(&line.to_string()), Some(line));
        }
        let kernel = r#"{"event": "kernel", "pid": 42}"#;
        assert!(matches!(parse_line(kernel), Some(Line::Kernel { pid: 42 })));
        for noise in [kernel, "hello", "{}", r#"{"event": "cell"}"#] {
            assert_eq!(parse_event(noise), None, "{noise}");
        }
    }

    /// The events of a notebook that runs through.
    fn progress(path: &str, cells_total: u32) -> Vec<RunEvent> {
        let path = || path.to_owned();
        let mut events = vec![RunEvent::Started {
            path: path(),
            cells_total,
        }];
        events.extend((1..=cells_total).map(|cells_done| RunEvent::Cell {
            path: path(),
            cells_done,
        }));
        events.push(RunEvent::Done { path: path() });
        events
    }

    #[tokio::test]
    async fn welcome_notebooks_run_in_order_and_keep_their_outputs() {
        let root = Root::new(&crate::workspaces::welcome::files(false));
        let steps = ["notebooks/01_clean.ipynb", "notebooks/02_analyse.ipynb"];
        let (end, events) = run(&root, &steps, 120).await;
        assert_eq!(end, RunEnd::Succeeded);
        let expected = steps
            .iter()
            .zip([5, 4])
            .flat_map(|(step, cells)| progress(step, cells));
        assert_eq!(events, expected.collect::<Vec<_>>());
        for file in "data/cleaned.csv outputs/summary.csv outputs/sales_by_region.png".split(' ') {
            assert!(root.0.join(file).is_file(), "{file} written");
        }
        let cleaned = std::fs::read_to_string(root.0.join("data/cleaned.csv")).unwrap();
        assert_eq!(cleaned.lines().count(), 1 + 35, "5 of 40 rows dropped");
        for step in steps {
            let outputs = outputs(&root.notebook(step));
            assert!(!outputs.is_empty(), "{step} saved with outputs");
            let errors = outputs.iter().filter(|o| o["output_type"] == "error");
            assert_eq!(errors.count(), 0, "{step}: {outputs:?}");
        }
        let chart = outputs(&root.notebook(steps[1]));
        let inline = chart.iter().any(|o| o["data"]["image/png"].is_string());
        assert!(inline, "the chart shows inline");
    }

    #[tokio::test]
    async fn a_failing_step_stops_the_list() {
        let prefix = "import sys\nopen('prefix.txt', 'w').write(sys.prefix)";
        let first = code_notebook(&[prefix, "print('before')\n1/0", "print('after')"]);
        let second = code_notebook(&["open('second.txt', 'w').write('ran')"]);
        let root = Root::new(&[("first.ipynb", first), ("second.ipynb", second.clone())]);
        let (end, events) = run(&root, &["first.ipynb", "second.ipynb"], 60).await;
        let RunEnd::Failed { path, cell, error } = end else {
            panic!("{end:?}")
        };
        assert_eq!((path.as_str(), cell), ("first.ipynb", Some(2)));
        assert!(error.starts_with("ZeroDivisionError: "), "{error}");
        assert_eq!(events.len(), 3, "start, cell 1, failed: {events:?}");
        assert!(!root.0.join("second.txt").exists(), "step 2 ran");
        assert_eq!(std::fs::read(root.0.join("second.ipynb")).unwrap(), second);
        let saved = root.notebook("first.ipynb");
        let cells = saved["cells"].as_array().unwrap();
        assert_eq!(text(&cells[1]["outputs"][0]["text"]), "before\n");
        assert_eq!(cells[1]["outputs"][1]["ename"], "ZeroDivisionError");
        assert_eq!(cells[2]["outputs"], json!([]));
        // The kernel is the environment's own Python.
        let prefix = std::fs::read_to_string(root.0.join("prefix.txt")).unwrap();
        assert_eq!(same(Path::new(&prefix)), same(&venv()));
    }

    #[tokio::test]
    async fn a_missing_notebook_fails_clearly() {
        let (end, _) = run(&Root::new(&[]), &["nope.ipynb"], 60).await;
        let RunEnd::Failed {
            cell: None, error, ..
        } = end
        else {
            panic!("{end:?}")
        };
        assert_eq!(error, "notebook not found: nope.ipynb");
    }

    #[tokio::test]
    async fn a_run_past_its_limit_is_killed_with_its_kernel() {
        let root = Root::new(&[(
            "slow.ipynb",
            code_notebook(&["import time\ntime.sleep(60)"]),
        )]);
        let started = Instant::now();
        let (end, _) = run(&root, &["slow.ipynb"], 3).await;
        assert_eq!(end, RunEnd::TimedOut);
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
        assert_nothing_left(&root).await;
    }

    #[tokio::test]
    async fn a_dropped_run_leaves_nothing_behind() {
        let root = Root::new(&[(
            "slow.ipynb",
            code_notebook(&["import time\ntime.sleep(60)"]),
        )]);
        let run = run(&root, &["slow.ipynb"], 60);
        assert!(tokio::time::timeout(Duration::from_secs(3), run)
            .await
            .is_err());
        assert_nothing_left(&root).await;
    }

    async fn assert_nothing_left(root: &Root) {
        crate::testing::assert_no_process_in(&root.0).await;
    }

    fn same(path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap()
    }

    #[tokio::test]
    async fn a_missing_or_broken_environment_is_a_crash() {
        use std::os::unix::fs::PermissionsExt;
        let script = b"#!/bin/sh\necho 'ModuleNotFoundError: nbclient' >&2\nexit 3\n".to_vec();
        let venv = Root::new(&[("bin/python", script)]);
        let python = venv.0.join("bin/python");
        std::fs::set_permissions(&python, std::fs::Permissions::from_mode(0o755)).unwrap();
        let (root, limit) = (Root::new(&[]), Duration::from_secs(5));
        let end = execute(Path::new("/nonexistent"), &root.0, &[], limit, |_| {}).await;
        let cannot_start = matches!(&end, RunEnd::Crashed(r) if r.starts_with("cannot start"));
        assert!(cannot_start, "{end:?}");
        let end = execute(&venv.0, &root.0, &["a.ipynb".into()], limit, |_| {}).await;
        let RunEnd::Crashed(reason) = end else {
            panic!("{end:?}")
        };
        assert!(reason.contains("exit status: 3"), "{reason}");
        assert!(reason.ends_with(":\nModuleNotFoundError: nbclient"));
    }
}
