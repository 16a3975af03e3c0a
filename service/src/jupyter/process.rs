//! Starting, watching and stopping one JupyterLab server process.
//!
//! The server leads its own process group, so one signal reaches it and whatever it started in
//! that group. Kernels and terminals are not in it (Jupyter starts each in a new session), so
//! `stop` notes the whole process tree first and ends whatever outlives the server.
//!
//! The token travels in the environment, never in argv: `/proc/<pid>/cmdline` is readable by
//! every local user. The base URL does travel in argv; that is how `is_ours` recognises a
//! server after nuri restarted, and never mistakes a recycled pid for one.
//!
//! Nothing is downloaded at run time (news feed, update check and the PyPI extension manager
//! are off), and nothing from the nuri user's `~/.jupyter` leaks in: each server has its own
//! Jupyter and IPython directories and `$HOME` beside its log (`home_dir`).

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How often `wait_ready` and `stop` look again.
const POLL: Duration = Duration::from_millis(50);
/// One probe of /api/status: a server that accepted but does not answer is asked again.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// How long `stop` waits, after SIGKILL, for the server to be gone.
const REAP_WITHIN: Duration = Duration::from_secs(2);
/// `log_tail` reads at most this much of the end of the log.
const TAIL_BYTES: u64 = 64 * 1024;

/// One server to start.
#[derive(Debug, Clone)]
pub struct Launch {
    /// The Python environment with JupyterLab (`bin/jupyter-lab`).
    pub jupyter: PathBuf,
    pub workspace_id: i32,
    /// The directory the server shows (`--ServerApp.root_dir`); it must exist.
    pub root: PathBuf,
    /// Listened on at 127.0.0.1 only.
    pub port: u16,
    /// What the proxy sends as `Authorization: token <token>`.
    pub token: String,
    /// stdout and stderr are appended here.
    pub log: PathBuf,
}

/// Where a workspace's server is served, also through nuri: `/jupyter/<id>/`.
pub fn base_url(workspace_id: i32) -> String {
    format!("/jupyter/{workspace_id}/")
}

fn base_url_arg(workspace_id: i32) -> String {
    format!("--ServerApp.base_url={}", base_url(workspace_id))
}

fn status_path(workspace_id: i32) -> String {
    format!("{}api/status", base_url(workspace_id))
}

/// The server's own `$HOME`, holding its Jupyter config, data and runtime directories and its
/// IPython directory: `<log's directory>/<workspace id>.home`. It outlives the server, so
/// JupyterLab's settings and layout survive a restart.
pub fn home_dir(l: &Launch) -> PathBuf {
    let dir = l.log.parent().unwrap_or(Path::new("."));
    dir.join(format!("{}.home", l.workspace_id))
}

/// Settings that do not fit the command line, written to the server's config directory at
/// every start (`jupyter_server_config.py`, which Jupyter executes).
const SERVER_CONFIG: &str = r#"# Written by nuri at every start of this server: edits are lost.

# nuri shows JupyterLab in an iframe of its own pages, served from the same origin.
c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}

# Kernel messages are small and come in bursts (busy, input, result, idle). Tornado leaves
# Nagle's algorithm on for WebSockets and Jupyter does not turn it off, so every burst waited
# for the client's delayed ACK: 1+1 took 50 ms instead of 5.
from tornado import websocket as _websocket

if hasattr(_websocket.WebSocketHandler, "_detach_stream"):
    _detach = _websocket.WebSocketHandler._detach_stream

    def _detach_no_delay(self):
        stream = _detach(self)
        stream.set_nodelay(True)
        return stream

    _websocket.WebSocketHandler._detach_stream = _detach_no_delay
"#;

/// Starts the server in the background and returns its pid; `wait_ready` says when it answers.
/// The server leads its own process group. It is not waited for here: `alive` and `stop` reap it.
pub fn spawn(l: &Launch) -> io::Result<u32> {
    let home = std::path::absolute(home_dir(l))?;
    // Only this run's files live there (cookie secret, kernel connection files).
    let _ = fs::remove_dir_all(home.join("runtime"));
    for dir in ["config", "data", "runtime", "ipython"] {
        fs::create_dir_all(home.join(dir))?;
    }
    fs::write(home.join("config/jupyter_server_config.py"), SERVER_CONFIG)?;
    let venv = std::path::absolute(&l.jupyter)?;
    let root = std::path::absolute(&l.root)?;
    let log = OpenOptions::new().create(true).append(true).open(&l.log)?;
    let child = Command::new(venv.join("bin").join("jupyter-lab"))
        .args(args(l, &root))
        .env_clear()
        .envs(env(l, &venv, &home))
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0)
        .spawn()?;
    Ok(child.id())
}

fn args(l: &Launch, root: &Path) -> Vec<OsString> {
    let mut root_dir = OsString::from("--ServerApp.root_dir=");
    root_dir.push(root);
    let mut args: Vec<OsString> = vec![
        "--no-browser".into(),
        "--ServerApp.ip=127.0.0.1".into(),
        format!("--ServerApp.port={}", l.port).into(),
        // Another port would be one nobody proxies to: fail instead.
        "--ServerApp.port_retries=0".into(),
        base_url_arg(l.workspace_id).into(),
        root_dir,
        // Requests must name 127.0.0.1 as Host (the proxy does): no DNS rebinding.
        "--ServerApp.allow_remote_access=False".into(),
        // nuri starts and stops the server; File > Shut Down would only confuse its record.
        "--ServerApp.quit_button=False".into(),
        // Nothing fetched at run time: no news feed, no update check, no PyPI listing.
        "--LabApp.news_url=None".into(),
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate".into(),
        "--LabApp.extension_manager=readonly".into(),
    ];
    // Jupyter refuses to run as root unless told; running nuri as root is the operator's call.
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        args.push("--allow-root".into());
    }
    args
}

fn env(l: &Launch, venv: &Path, home: &Path) -> Vec<(&'static str, OsString)> {
    let mut path = venv.join("bin").into_os_string();
    path.push(":/usr/local/bin:/usr/bin:/bin");
    let shell = if Path::new("/bin/bash").exists() {
        "/bin/bash"
    } else {
        "/bin/sh"
    };
    let mut vars = vec![
        ("PATH", path),
        ("VIRTUAL_ENV", venv.into()),
        ("HOME", home.into()),
        ("LANG", "C.UTF-8".into()),
        // Terminals start this shell.
        ("SHELL", shell.into()),
        ("JUPYTER_CONFIG_DIR", home.join("config").into()),
        ("JUPYTER_DATA_DIR", home.join("data").into()),
        ("JUPYTER_RUNTIME_DIR", home.join("runtime").into()),
        ("IPYTHONDIR", home.join("ipython").into()),
        // The directories are all given; this only silences jupyter_core's warning about it.
        ("JUPYTER_PLATFORM_DIRS", "1".into()),
        ("JUPYTER_TOKEN", l.token.clone().into()),
        // A crash's last words reach the log before the process is gone.
        ("PYTHONUNBUFFERED", "1".into()),
    ];
    if let Some(tz) = std::env::var_os("TZ") {
        vars.push(("TZ", tz));
    }
    vars
}

/// Waits until the server answers `/api/status` with the token, polling every 50 ms. Gives up
/// early when the process ended or answered anything but 200; the error is a short reason.
pub async fn wait_ready(
    port: u16,
    workspace_id: i32,
    token: &str,
    pid: u32,
    deadline: Duration,
) -> Result<(), String> {
    let until = Instant::now() + deadline;
    let path = status_path(workspace_id);
    loop {
        let answer = get(port, &path, token).await;
        // Looked at after the probe: a 200 from some other program on the port is no success.
        if let Some(how) = exited(pid) {
            return Err(format!("JupyterLab {how} before it was ready"));
        }
        match answer {
            Ok((200, _)) => return Ok(()),
            Ok((status, _)) => {
                return Err(format!("JupyterLab answered {path} with HTTP {status}"));
            }
            Err(_) if Instant::now() >= until => {
                return Err(format!(
                    "JupyterLab did not answer within {} s",
                    deadline.as_secs()
                ));
            }
            Err(_) => tokio::time::sleep(POLL).await, // not listening yet
        }
    }
}

/// Whether the process runs (a zombie does not; an exited child of ours is reaped here).
pub fn alive(pid: u32) -> bool {
    exited(pid).is_none()
}

/// How the process ended (reaping it if it is our child), or `None` while it runs.
fn exited(pid: u32) -> Option<String> {
    let Some(p) = as_pid(pid) else {
        return Some("has no valid pid".into());
    };
    let mut status = 0;
    // SAFETY: waitpid writes only the status we own; WNOHANG never blocks.
    if unsafe { libc::waitpid(p, &mut status, libc::WNOHANG) } == p {
        return Some(describe(status));
    }
    match stat(pid) {
        Some(s) if s.state != 'Z' && s.state != 'X' => None,
        _ => Some("exited".into()),
    }
}

fn describe(status: libc::c_int) -> String {
    if libc::WIFEXITED(status) {
        format!("exited with code {}", libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        format!("was killed by signal {}", libc::WTERMSIG(status))
    } else {
        "exited".into()
    }
}

fn as_pid(pid: u32) -> Option<libc::pid_t> {
    libc::pid_t::try_from(pid).ok().filter(|&p| p > 0)
}

/// Whether the process is the Jupyter server of that workspace (its argv names the base URL),
/// so a reconciler never signals a pid the system gave to someone else since.
pub fn is_ours(pid: u32, workspace_id: i32) -> bool {
    let Ok(cmdline) = fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let wanted = base_url_arg(workspace_id);
    cmdline
        .split(|&b| b == 0)
        .any(|arg| arg == wanted.as_bytes())
}

/// Stops the server and everything it started: SIGTERM to its group (Jupyter then shuts its
/// kernels and terminals down), up to `grace` to finish, then SIGKILL to the group and to every
/// process of the tree still there, each kernel's own group included. Reaps the server.
pub async fn stop(pid: u32, grace: Duration) {
    let Some(p) = as_pid(pid) else { return };
    if exited(pid).is_some() {
        return;
    }
    // SAFETY: getpgid has no preconditions.
    let group = unsafe { libc::getpgid(p) } == p;
    let mut seen = walk(pid).await;
    signal(p, group, libc::SIGTERM);
    let until = Instant::now() + grace;
    while exited(pid).is_none() && Instant::now() < until {
        tokio::time::sleep(POLL).await;
        // Once the server is gone its orphans no longer show as its descendants.
        seen.extend(walk(pid).await);
    }
    if exited(pid).is_none() {
        signal(p, group, libc::SIGKILL);
    }
    for (&q, &start) in &seen {
        kill_if_same(q, start);
    }
    let until = Instant::now() + REAP_WITHIN;
    while exited(pid).is_none() && Instant::now() < until {
        tokio::time::sleep(POLL / 5).await;
    }
}

fn signal(pid: libc::pid_t, group: bool, sig: libc::c_int) {
    let target = if group { -pid } else { pid };
    // SAFETY: kill has no memory effects; a vanished target is only ESRCH.
    unsafe { libc::kill(target, sig) };
}

/// SIGKILL to the process (and the group it leads) if the pid still names the same process.
fn kill_if_same(pid: u32, start: u64) {
    let Some(p) = as_pid(pid) else { return };
    if stat(pid).is_some_and(|s| s.start == start) {
        // SAFETY: as in `signal`.
        let leads = unsafe { libc::getpgid(p) } == p;
        signal(p, leads, libc::SIGKILL);
        signal(p, false, libc::SIGKILL);
    }
}

/// The server and every process under it (kernels, terminals and what they started), as
/// `stop` would end them now.
pub fn processes(pid: u32) -> Vec<u32> {
    tree(pid).into_keys().collect()
}

async fn walk(pid: u32) -> HashMap<u32, u64> {
    tokio::task::spawn_blocking(move || tree(pid))
        .await
        .unwrap_or_default()
}

/// The process and all its descendants, each with its start time (so that a pid recycled
/// meanwhile is never taken for it).
fn tree(pid: u32) -> HashMap<u32, u64> {
    let all: Vec<(u32, Stat)> = fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|p| Some((p, stat(p)?)))
        .collect();
    let mut found: HashMap<u32, u64> = all
        .iter()
        .filter(|(p, _)| *p == pid)
        .map(|(p, s)| (*p, s.start))
        .collect();
    loop {
        let before = found.len();
        for (p, s) in &all {
            if found.contains_key(&s.ppid) && !found.contains_key(p) {
                found.insert(*p, s.start);
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

/// What `/proc/<pid>/stat` says about a process.
#[derive(Debug, Clone, Copy)]
struct Stat {
    state: char,
    ppid: u32,
    /// Clock ticks after boot: a pid with another start time is another process.
    start: u64,
}

fn stat(pid: u32) -> Option<Stat> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    let fields: Vec<&str> = text
        .get(text.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    Some(Stat {
        state: fields.first()?.chars().next()?,
        ppid: fields.get(1)?.parse().ok()?,
        start: fields.get(19)?.parse().ok()?,
    })
}

/// When the server last saw activity (kernels, terminals, API calls), from `/api/status`;
/// `None` when it does not answer.
pub async fn last_activity(port: u16, workspace_id: i32, token: &str) -> Option<DateTime<Utc>> {
    #[derive(serde::Deserialize)]
    struct Status {
        last_activity: DateTime<Utc>,
    }
    match get(port, &status_path(workspace_id), token).await {
        Ok((200, body)) => serde_json::from_str::<Status>(&body)
            .ok()
            .map(|s| s.last_activity),
        _ => None,
    }
}

/// The last `lines` lines of the log, to explain a failure.
pub fn log_tail(path: &Path, lines: usize) -> String {
    let Ok(mut file) = File::open(path) else {
        return String::new();
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut raw = Vec::new();
    if file
        .seek(SeekFrom::Start(len.saturating_sub(TAIL_BYTES)))
        .is_err()
        || file.read_to_end(&mut raw).is_err()
    {
        return String::new();
    }
    let text = String::from_utf8_lossy(&raw);
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

async fn get(port: u16, path: &str, token: &str) -> io::Result<(u16, String)> {
    request(port, "GET", path, token, "").await
}

/// One request to the server, bounded by `PROBE_TIMEOUT`. HTTP/1.0, so the answer is never
/// chunked and ends with the connection: no HTTP client needed for this.
async fn request(
    port: u16,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> io::Result<(u16, String)> {
    let exchange = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
        let head = format!(
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nAuthorization: token {token}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        parse_response(&raw)
    };
    tokio::time::timeout(PROBE_TIMEOUT, exchange)
        .await
        .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))?
}

fn parse_response(raw: &[u8]) -> io::Result<(u16, String)> {
    let text = String::from_utf8_lossy(raw);
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "not an HTTP answer");
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(bad)?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(bad)?;
    Ok((status, body.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The environment the set-up scripts install; missing, the test fails and says how to get it.
    fn venv() -> PathBuf {
        crate::testing::jupyter_venv()
    }

    fn launch(name: &str, workspace_id: i32, port: u16) -> Launch {
        let dir = std::env::temp_dir().join(format!("nuri-jupyter-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("root")).unwrap();
        Launch {
            jupyter: venv(),
            workspace_id,
            root: dir.join("root"),
            port,
            token: format!("test-token-{name}"),
            log: dir.join(format!("{workspace_id}.log")),
        }
    }

    fn free_port() -> u16 {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        listener.local_addr().unwrap().port()
    }

    /// Processes of `seen` still running (zombies count as gone), and any left in the group.
    fn survivors(seen: &HashMap<u32, u64>, group: u32) -> Vec<u32> {
        let running = |p: u32| stat(p).filter(|s| s.state != 'Z' && s.state != 'X');
        let mut left: Vec<u32> = seen
            .iter()
            .filter(|(&p, &start)| running(p).is_some_and(|s| s.start == start))
            .map(|(&p, _)| p)
            .collect();
        let in_group = fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            // SAFETY: getpgid has no preconditions.
            .filter(|&p| {
                running(p).is_some() && unsafe { libc::getpgid(p as i32) } == group as i32
            });
        left.extend(in_group);
        left
    }

    #[tokio::test]
    async fn starts_answers_and_stops_leaving_nothing() {
        let l = launch("lifecycle", 41, free_port());
        let pid = spawn(&l).unwrap();
        let ready = wait_ready(l.port, 41, &l.token, pid, Duration::from_secs(90)).await;
        assert!(ready.is_ok(), "{ready:?}\n{}", log_tail(&l.log, 30));
        assert!(alive(pid) && is_ours(pid, 41) && !is_ours(pid, 4));
        assert!(last_activity(l.port, 41, &l.token).await.is_some());

        // A kernel runs in a session of its own: stop must end it all the same.
        let kernels = format!("{}api/kernels", base_url(41));
        let (status, body) = request(l.port, "POST", &kernels, &l.token, r#"{"name":"python3"}"#)
            .await
            .unwrap();
        assert_eq!(status, 201, "{body}");
        let seen = tree(pid);
        assert!(
            seen.len() >= 2,
            "no kernel process under the server: {seen:?}"
        );

        let began = Instant::now();
        stop(pid, Duration::from_secs(5)).await;
        assert!(!alive(pid));
        assert!(began.elapsed() < Duration::from_secs(8));
        assert_eq!(survivors(&seen, pid), Vec::<u32>::new());
        assert!(last_activity(l.port, 41, &l.token).await.is_none());
        let _ = fs::remove_dir_all(l.log.parent().unwrap());
    }

    #[tokio::test]
    async fn a_taken_port_fails_with_the_servers_reason() {
        let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let l = launch("taken", 42, taken.local_addr().unwrap().port());
        let pid = spawn(&l).unwrap();
        let err = wait_ready(l.port, 42, &l.token, pid, Duration::from_secs(90))
            .await
            .unwrap_err();
        assert!(err.contains("exited"), "{err}");
        assert!(!alive(pid));
        let tail = log_tail(&l.log, 5);
        assert!(tail.contains("is not available"), "{tail}");
        let _ = fs::remove_dir_all(l.log.parent().unwrap());
    }

    #[test]
    fn log_tail_keeps_the_last_lines() {
        let log =
            std::env::temp_dir().join(format!("nuri-jupyter-tail-{}.log", std::process::id()));
        fs::write(&log, "one\ntwo\nthree\n").unwrap();
        assert_eq!(log_tail(&log, 2), "two\nthree");
        assert_eq!(log_tail(&log, 9), "one\ntwo\nthree");
        let _ = fs::remove_file(&log);
        assert_eq!(log_tail(Path::new("/nonexistent/x.log"), 3), "");
    }
}
