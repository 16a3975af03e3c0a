//! Running the nginx binary and watching nuri's own nginx: its master's pid file, its workers
//! (a reload is done when a new generation of workers has replaced the old), and stopping it.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::Command;

use super::conf::Prefix;

const POLL: Duration = Duration::from_millis(20);
/// How long nginx gets to start, or to take up a new configuration.
const SETTLE: Duration = Duration::from_secs(5);
/// How long nuri's nginx gets to finish its requests when stopped, before it is stopped by force.
const GRACE: Duration = Duration::from_secs(3);

/// Runs nginx; on failure, its own message (trimmed).
pub async fn run(binary: &Path, args: &[OsString]) -> Result<(), String> {
    let out = Command::new(binary)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .map_err(|e| format!("could not run {}: {e}", binary.display()))?;
    if out.status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    let said = if said.is_empty() {
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    } else {
        said
    };
    Err(if said.is_empty() {
        format!("{} failed ({})", binary.display(), out.status)
    } else {
        said
    })
}

/// The master of nuri's nginx under `prefix`, if it runs (a stale pid file, or a pid the
/// system has given to another process since, is no nginx of ours).
pub fn master(prefix: &Prefix) -> Option<u32> {
    let pid: u32 = std::fs::read_to_string(prefix.pid())
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let cmdline = String::from_utf8_lossy(&cmdline);
    // nginx retitles its master "nginx: master process <argv>", our -c among them.
    let ours =
        cmdline.contains("master process") && cmdline.contains(&*prefix.conf().to_string_lossy());
    (ours && running(pid)).then_some(pid)
}

/// Starts nuri's nginx (it puts itself in the background) and waits for its pid file.
pub async fn start(binary: &Path, prefix: &Prefix) -> Result<(), String> {
    let _ = std::fs::remove_file(prefix.pid()); // stale: `master` found no process behind it
    run(binary, &prefix.args())
        .await
        .map_err(|e| format!("nginx did not start: {e}"))?;
    let until = Instant::now() + SETTLE;
    while master(prefix).is_none() {
        if Instant::now() >= until {
            return Err(format!(
                "nginx did not start within {} s (see {})",
                SETTLE.as_secs(),
                prefix.error_log().display()
            ));
        }
        tokio::time::sleep(POLL).await;
    }
    Ok(())
}

/// Reloads nuri's nginx and waits until the new configuration serves: new workers have
/// started and the old ones have left (they stop accepting at once; a long request may keep
/// one a little longer, which is not waited for past `SETTLE`). A master that refuses the new
/// configuration keeps its old workers: that is an error, with what nginx logged.
pub async fn reload(binary: &Path, prefix: &Prefix, master_pid: u32) -> Result<(), String> {
    let old = workers(master_pid);
    let log_at = std::fs::metadata(prefix.error_log()).map_or(0, |m| m.len());
    let mut args: Vec<OsString> = vec!["-s".into(), "reload".into()];
    args.extend(prefix.args());
    run(binary, &args).await?;
    let until = Instant::now() + SETTLE;
    loop {
        let now = workers(master_pid);
        let renewed = now.iter().any(|w| !old.contains(w));
        if renewed && now.is_disjoint(&old) {
            return Ok(());
        }
        if Instant::now() >= until {
            if renewed {
                return Ok(());
            }
            let logged = log_since(&prefix.error_log(), log_at);
            return Err(if logged.is_empty() {
                format!(
                    "nginx did not take up the new configuration within {} s (see {})",
                    SETTLE.as_secs(),
                    prefix.error_log().display()
                )
            } else {
                logged
            });
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Stops nuri's nginx: gracefully first, by force after `GRACE`; returns once it has gone.
pub async fn stop(prefix: &Prefix) {
    let Some(pid) = master(prefix) else { return };
    let Ok(p) = libc::pid_t::try_from(pid) else {
        return;
    };
    for (signal, wait) in [
        (libc::SIGQUIT, GRACE),
        (libc::SIGTERM, GRACE),
        (libc::SIGKILL, GRACE),
    ] {
        // SAFETY: kill has no memory effects; a vanished target is only ESRCH.
        unsafe { libc::kill(p, signal) };
        let until = Instant::now() + wait;
        while running(pid) && Instant::now() < until {
            tokio::time::sleep(POLL).await;
        }
        if !running(pid) {
            return;
        }
    }
}

/// `/proc/<pid>/stat`: the state letter and the parent pid.
fn stat(pid: u32) -> Option<(char, u32)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) S ppid ...": the command name may hold spaces and parentheses.
    let rest = &text[text.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let ppid = fields.next()?.parse().ok()?;
    Some((state, ppid))
}

/// Whether the process exists and is not a zombie (nginx's master is reparented once it
/// daemonises, so its exit may be reaped late or, in a bare container, never).
fn running(pid: u32) -> bool {
    matches!(stat(pid), Some((state, _)) if state != 'Z' && state != 'X')
}

/// The master's live worker processes.
fn workers(master: u32) -> HashSet<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return HashSet::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(
            |&pid| matches!(stat(pid), Some((s, ppid)) if ppid == master && s != 'Z' && s != 'X'),
        )
        .collect()
}

/// The serious lines nginx logged after byte `offset` (why a reload was refused).
fn log_since(log: &Path, offset: u64) -> String {
    let Ok(bytes) = std::fs::read(log) else {
        return String::new();
    };
    let start = usize::try_from(offset).unwrap_or(0).min(bytes.len());
    String::from_utf8_lossy(&bytes[start..])
        .lines()
        .filter(|l| {
            ["[emerg]", "[alert]", "[crit]"]
                .iter()
                .any(|k| l.contains(k))
        })
        .collect::<Vec<_>>()
        .join("\n")
}
