//! The `nuri` binary as an operator meets it: commands, configuration errors, the printed URLs,
//! generated secrets, JSON logs with request ids, and a graceful stop on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NURI: &str = env!("CARGO_BIN_EXE_nuri");

fn nuri(data_dir: &Path) -> Command {
    let mut cmd = Command::new(NURI);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("NURI_DATA_DIR", data_dir)
        .env("NURI_LISTEN", "127.0.0.1:0")
        .current_dir(data_dir.parent().unwrap());
    cmd
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("nuri-bin-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("data")
}

/// Reads stdout lines until both the listening URL and (when expected) the setup link appear.
fn wait_for_url(child: &mut Child, expect_setup: bool) -> (String, Option<String>) {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let (mut url, mut setup) = (None, None);
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline && (url.is_none() || (expect_setup && setup.is_none())) {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            if let Some(u) = line.strip_prefix("nuri: listening on ") {
                url = Some(u.to_owned());
            }
            if let Some(i) = line.find("http://") {
                if line.contains("/setup?token=") {
                    setup = Some(line[i..].to_owned());
                }
            }
        }
    }
    (url.expect("nuri printed its URL"), setup)
}

/// A bare HTTP/1.1 GET; returns (status line, headers + body).
fn http_get(base: &str, path: &str) -> (String, String) {
    let authority = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(authority).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.lines().next().unwrap_or("").to_owned();
    (status, response)
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "nuri did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn version_and_help() {
    let out = Command::new(NURI).arg("version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("nuri {}", env!("CARGO_PKG_VERSION"))
    );
    let help = Command::new(NURI).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for command in ["serve", "migrate", "admin", "version"] {
        assert!(help.contains(command), "{help}");
    }
}

#[test]
fn bad_configuration_is_explained() {
    let data = temp_dir("badcfg");
    let out = nuri(&data)
        .env("NURI_LISTEN", "nowhere")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("NURI_LISTEN: `nowhere` is not an address")
    );
    let out = nuri(&data)
        .env("NURI_REGISTRATION", "maybe")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither `invite` nor `open`"));
    let cfg = data.parent().unwrap().join("nuri.toml");
    std::fs::write(&cfg, "registration = \"open\"\nlog_formt = \"json\"\n").unwrap();
    let out = nuri(&data).arg("migrate").output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown field `log_formt`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn admin_create_reads_the_password_from_stdin() {
    let data = temp_dir("admin");
    let create = |password: &str| {
        let mut child = nuri(&data)
            .args([
                "admin",
                "create",
                "--email",
                "ops@example.com",
                "--name",
                "Ops",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let weak = create("short");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password: use at least 10 characters"));
    let ok = create("a long enough secret");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("created admin ops@example.com"));
    let again = create("a long enough secret");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    // With a user in place, serve prints no setup link.
    let mut child = nuri(&data)
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (url, setup) = wait_for_url(&mut child, false);
    assert!(setup.is_none());
    assert!(http_get(&url, "/api/v1/health").0.contains("200"));
    terminate(&mut child);
}

#[test]
fn serve_prints_urls_keeps_secrets_logs_json_and_stops_gracefully() {
    let data = temp_dir("serve");
    let mut child = nuri(&data)
        .arg("serve")
        .env("NURI_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (url, setup) = wait_for_url(&mut child, true);
    assert!(url.starts_with("http://127.0.0.1:"));
    let setup = setup.expect("a setup link while there is no user");
    assert!(setup.starts_with(&format!("{url}/setup?token=")));

    let (status, response) = http_get(&url, "/api/v1/health");
    assert!(status.contains("200"), "{response}");
    let request_id = response
        .lines()
        .find_map(|l| l.strip_prefix("x-request-id: "))
        .expect("a request id header")
        .trim()
        .to_owned();

    // Secrets: generated once, owner-only, never printed.
    let jwt_key = std::fs::read(data.join("secrets/jwt.key")).unwrap();
    assert_eq!(jwt_key.len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("secrets/session.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        data.join("nuri.db").exists(),
        "the embedded default is a SQLite file in the data dir"
    );

    let status = terminate(&mut child);
    assert!(status.success(), "graceful stop exits 0: {status:?}");
    let mut logs = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    let lines: Vec<serde_json::Value> = logs
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON log line ({e}): {l}"))
        })
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["span"]["id"] == request_id.as_str() || l.to_string().contains(&request_id)),
        "the request id appears in the logs"
    );
    assert!(lines.iter().any(|l| l["message"] == "shutting down"));
    let hex_key: String = jwt_key.iter().map(|b| format!("{b:02x}")).collect();
    assert!(
        !logs.contains(&hex_key) && !logs.contains(setup.rsplit('=').next().unwrap()),
        "no secret is logged"
    );
}
