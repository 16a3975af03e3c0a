//! Figures for the JupyterLab runtime (`cargo bench -p server --bench jupyter`), printed as a
//! table; not a test. Measures, against the real JupyterLab of `NURI_JUPYTER`:
//! - start → ready (`/api/status` answers) over `CYCLES` start/stop cycles;
//! - a kernel `execute_request` for `1+1` until its `execute_result`, `EXECUTIONS` times through
//!   nuri's proxy (`server::proxy::forward`) and as many straight to the server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::header;
use axum::routing::any;
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use server::proxy::{forward, Upstream};
use service::jupyter::process::{self, Launch};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const CYCLES: usize = 20;
const EXECUTIONS: usize = 500;
const WARM_UP: usize = 20;
const WORKSPACE: i32 = 61;
const TOKEN: &str = "bench-token";
const READY_WITHIN: Duration = Duration::from_secs(120);
const STOP_GRACE: Duration = Duration::from_secs(5);

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run());
}

async fn run() {
    let dir = std::env::temp_dir().join(format!("nuri-jupyter-bench-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("root")).expect("a scratch directory");
    println!("JupyterLab from {}", venv().display());

    let starts = start_stop_cycles(&dir).await;
    let (proxied, direct) = executions(&dir).await;

    println!();
    println!("{:<40} {:>10} {:>10} {:>10}", "", "median", "p95", "p99");
    row("start → ready (ms)", &starts, CYCLES);
    row("execute 1+1 through the proxy (ms)", &proxied, EXECUTIONS);
    row("execute 1+1 direct (ms)", &direct, EXECUTIONS);
    let _ = std::fs::remove_dir_all(&dir);
}

fn venv() -> PathBuf {
    service::testing::jupyter_venv()
}

fn launch(dir: &std::path::Path) -> Launch {
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    Launch {
        jupyter: venv(),
        workspace_id: WORKSPACE,
        root: dir.join("root"),
        port,
        token: TOKEN.into(),
        log: dir.join("jupyter.log"),
    }
}

/// Starts a server and waits until it answers; panics with its log when it does not.
async fn start(l: &Launch) -> u32 {
    let pid = process::spawn(l).expect("JupyterLab starts");
    if let Err(why) = process::wait_ready(l.port, WORKSPACE, TOKEN, pid, READY_WITHIN).await {
        panic!("{why}\n{}", process::log_tail(&l.log, 30));
    }
    pid
}

async fn start_stop_cycles(dir: &std::path::Path) -> Vec<Duration> {
    let mut times = Vec::with_capacity(CYCLES);
    for i in 0..CYCLES {
        let l = launch(dir);
        let began = Instant::now();
        let pid = start(&l).await;
        times.push(began.elapsed());
        process::stop(pid, STOP_GRACE).await;
        eprint!("\rstart/stop cycle {}/{CYCLES}", i + 1);
    }
    eprintln!();
    times
}

/// One server, one kernel, two sockets to it (through the proxy, direct), timed in turns so
/// that drift on a shared machine weighs on both alike.
async fn executions(dir: &std::path::Path) -> (Vec<Duration>, Vec<Duration>) {
    let l = launch(dir);
    let pid = start(&l).await;
    let proxy = serve_proxy(l.port).await;
    let kernel = start_kernel(l.port).await;
    let path = format!(
        "{}api/kernels/{kernel}/channels",
        process::base_url(WORKSPACE)
    );
    let mut via_proxy = connect(&format!("ws://{proxy}{path}"), false).await;
    let mut direct = connect(&format!("ws://127.0.0.1:{}{path}", l.port), true).await;
    for i in 0..WARM_UP {
        execute(&mut via_proxy, &format!("w{i}p")).await;
        execute(&mut direct, &format!("w{i}d")).await;
    }
    let (mut proxied, mut straight) = (Vec::new(), Vec::new());
    for i in 0..EXECUTIONS {
        proxied.push(execute(&mut via_proxy, &format!("p{i}")).await);
        straight.push(execute(&mut direct, &format!("d{i}")).await);
    }
    let _ = via_proxy.close(None).await;
    let _ = direct.close(None).await;
    process::stop(pid, STOP_GRACE).await;
    (proxied, straight)
}

async fn serve_proxy(port: u16) -> SocketAddr {
    let upstream = Upstream {
        port,
        token: TOKEN.into(),
    };
    let app = Router::new().route(
        "/jupyter/{*rest}",
        any(move |req: Request| forward(upstream.clone(), req)),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port for the proxy");
    let addr = listener.local_addr().expect("its address");
    // As nuri serves: no-delay on accepted sockets.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// A python3 kernel, started with a plain HTTP/1.0 request (no client needed); its id.
async fn start_kernel(port: u16) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = r#"{"name":"python3"}"#;
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("JupyterLab listens");
    let head = format!(
        "POST {}api/kernels HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nAuthorization: token {TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        process::base_url(WORKSPACE),
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("a request");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.expect("an answer");
    let json = raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let kernel: serde_json::Value = serde_json::from_str(json).expect("a kernel as JSON");
    kernel["id"].as_str().expect("a kernel id").to_owned()
}

async fn connect(url: &str, with_token: bool) -> Socket {
    let mut request = url.into_client_request().expect("a WebSocket URL");
    if with_token {
        let token = format!("token {TOKEN}").parse().expect("a header value");
        request.headers_mut().insert(header::AUTHORIZATION, token);
    }
    let (socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the kernel's WebSocket");
    if let MaybeTlsStream::Plain(tcp) = socket.get_ref() {
        let _ = tcp.set_nodelay(true);
    }
    socket
}

/// Sends `1+1` and waits for its `execute_result`, then until the kernel is idle again (so the
/// next request starts clean); returns the time to the result.
async fn execute(socket: &mut Socket, msg_id: &str) -> Duration {
    let request = serde_json::json!({
        "header": {
            "msg_id": msg_id, "msg_type": "execute_request", "username": "nuri",
            "session": "bench", "version": "5.3", "date": chrono::Utc::now().to_rfc3339(),
        },
        "parent_header": {}, "metadata": {}, "buffers": [], "channel": "shell",
        "content": {
            "code": "1+1", "silent": false, "store_history": false, "user_expressions": {},
            "allow_stdin": false, "stop_on_error": true,
        },
    });
    let began = Instant::now();
    socket
        .send(Message::Text(request.to_string().into()))
        .await
        .expect("the request is sent");
    let (mut result, mut idle, mut reply) = (None, false, false);
    while result.is_none() || !idle || !reply {
        let message = socket.next().await.expect("the socket stays open");
        let Ok(Message::Text(text)) = message else {
            continue;
        };
        let msg: serde_json::Value = serde_json::from_str(&text).expect("kernel JSON");
        if msg["parent_header"]["msg_id"] != msg_id {
            continue;
        }
        match msg["header"]["msg_type"].as_str() {
            Some("execute_result") => {
                assert_eq!(msg["content"]["data"]["text/plain"], "2");
                result = Some(began.elapsed());
            }
            Some("status") => idle |= msg["content"]["execution_state"] == "idle",
            Some("execute_reply") => reply = true,
            _ => {}
        }
    }
    result.expect("a result")
}

fn row(label: &str, samples: &[Duration], expected: usize) {
    assert_eq!(samples.len(), expected);
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    println!(
        "{label:<40} {:>10.2} {:>10.2} {:>10.2}",
        at(0.5),
        at(0.95),
        at(0.99)
    );
}
