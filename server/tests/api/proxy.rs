//! The Jupyter proxy against a real JupyterLab: HTTP with nuri's token added, a kernel's
//! WebSocket through it, and no process left once the server is stopped.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::routing::any;
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use server::proxy::{forward, Upstream};
use service::jupyter::process::{self, Launch};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const WORKSPACE: i32 = 51;
const TOKEN: &str = "proxy-test-token";

/// The environment the set-up scripts install; missing, the test fails and says how to get it.
fn venv() -> PathBuf {
    let venv = std::env::var_os("NURI_JUPYTER")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(service::ctx::default_jupyter);
    assert!(
        venv.join("bin/jupyter-lab").is_file(),
        "no JupyterLab in {}: run `bash -c 'source scripts/lib.sh && ensure_jupyter'` \
         (or point NURI_JUPYTER at a venv with JupyterLab)",
        venv.display()
    );
    venv
}

fn launch() -> Launch {
    let dir = std::env::temp_dir().join(format!("nuri-proxy-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("root")).unwrap();
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
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

/// `forward` behind the route nuri gives it, on a port of its own.
async fn serve_proxy(port: u16) -> SocketAddr {
    let upstream = Upstream {
        port,
        token: TOKEN.into(),
    };
    let app = Router::new().route(
        "/jupyter/{*rest}",
        any(move |req: Request| forward(upstream.clone(), req)),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

async fn call(addr: SocketAddr, method: Method, path: &str, body: &str) -> (StatusCode, String) {
    let (status, _, body) = call_with_headers(addr, method, path, body).await;
    (status, body)
}

async fn call_with_headers(
    addr: SocketAddr,
    method: Method,
    path: &str,
    body: &str,
) -> (StatusCode, HeaderMap, String) {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let req = axum::http::Request::builder()
        .method(method)
        .uri(format!("http://{addr}{path}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, "nuri_session=must-not-pass; other=1")
        .body(Full::new(Bytes::from(body.to_owned())))
        .unwrap();
    let res = client.request(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// A Jupyter `execute_request` on the shell channel, in the default (JSON text) protocol.
fn execute_request(msg_id: &str, code: &str) -> String {
    serde_json::json!({
        "header": {
            "msg_id": msg_id, "msg_type": "execute_request", "username": "nuri",
            "session": "proxy-test", "version": "5.3",
            "date": chrono::Utc::now().to_rfc3339(),
        },
        "parent_header": {}, "metadata": {}, "buffers": [], "channel": "shell",
        "content": {
            "code": code, "silent": false, "store_history": false, "user_expressions": {},
            "allow_stdin": false, "stop_on_error": true,
        },
    })
    .to_string()
}

/// The `text/plain` of the iopub `execute_result` answering `msg_id`.
async fn result_of<S>(ws: &mut S, msg_id: &str) -> String
where
    S: futures_util::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    while let Some(message) = ws.next().await {
        let Message::Text(text) = message.unwrap() else {
            continue;
        };
        let msg: serde_json::Value = serde_json::from_str(&text).unwrap();
        if msg["channel"] == "iopub"
            && msg["header"]["msg_type"] == "execute_result"
            && msg["parent_header"]["msg_id"] == msg_id
        {
            return msg["content"]["data"]["text/plain"]
                .as_str()
                .unwrap()
                .to_owned();
        }
    }
    panic!("the kernel's socket closed before the result came");
}

/// Processes still running (zombies count as gone) among `seen` or in the server's group.
fn survivors(seen: &[u32], group: u32) -> Vec<u32> {
    let all = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok());
    // SAFETY: getpgid has no preconditions.
    let in_group = |p: u32| unsafe { libc::getpgid(p as i32) } == group as i32;
    all.filter(|&p| (seen.contains(&p) || in_group(p)) && process::alive(p))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jupyter_through_the_proxy() {
    let l = launch();
    let pid = process::spawn(&l).unwrap();
    let ready = process::wait_ready(l.port, WORKSPACE, TOKEN, pid, Duration::from_secs(90)).await;
    assert!(
        ready.is_ok(),
        "{ready:?}\n{}",
        process::log_tail(&l.log, 30)
    );
    let proxy = serve_proxy(l.port).await;
    let base = process::base_url(WORKSPACE);

    // The proxy adds the token: the same request straight to Jupyter is refused.
    let (status, body) = call(proxy, Method::GET, &format!("{base}api/status"), "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let status_json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(status_json["started"].is_string(), "{body}");
    let direct: SocketAddr = ([127, 0, 0, 1], l.port).into();
    let (status, _) = call(direct, Method::GET, &format!("{base}api/status"), "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // nuri's pages may frame JupyterLab, nobody else may.
    let (status, headers, _) =
        call_with_headers(proxy, Method::GET, &format!("{base}lab"), "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_SECURITY_POLICY],
        "frame-ancestors 'self'"
    );
    assert_eq!(headers[header::X_FRAME_OPTIONS], "SAMEORIGIN");

    let kernels = format!("{base}api/kernels");
    let (status, body) = call(proxy, Method::POST, &kernels, r#"{"name":"python3"}"#).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let kernel: serde_json::Value = serde_json::from_str(&body).unwrap();
    let channels = format!(
        "ws://{proxy}{kernels}/{}/channels",
        kernel["id"].as_str().unwrap()
    );

    let (mut ws, _) = tokio_tungstenite::connect_async(channels.as_str())
        .await
        .unwrap();
    ws.send(Message::Text(execute_request("m1", "1+1").into()))
        .await
        .unwrap();
    let result = tokio::time::timeout(Duration::from_secs(60), result_of(&mut ws, "m1")).await;
    assert_eq!(result.expect("no execute_result within 60 s"), "2");
    ws.close(None).await.unwrap();

    // Jupyter's chosen subprotocol reaches the browser.
    let mut with_protocol = channels.as_str().into_client_request().unwrap();
    let v1 = "v1.kernel.websocket.jupyter.org";
    with_protocol
        .headers_mut()
        .insert(header::SEC_WEBSOCKET_PROTOCOL, v1.parse().unwrap());
    let (mut ws, answer) = tokio_tungstenite::connect_async(with_protocol)
        .await
        .unwrap();
    assert_eq!(answer.headers()[header::SEC_WEBSOCKET_PROTOCOL], v1);
    ws.close(None).await.unwrap();

    let seen = process::processes(pid);
    assert!(seen.len() >= 2, "no kernel under the server: {seen:?}");
    process::stop(pid, Duration::from_secs(5)).await;
    assert_eq!(survivors(&seen, pid), Vec::<u32>::new());
    let (status, _) = call(proxy, Method::GET, &format!("{base}api/status"), "").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    let _ = std::fs::remove_dir_all(l.log.parent().unwrap());
}
