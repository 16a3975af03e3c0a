//! A real JupyterLab behind the whole of nuri: started as a job through REST, reached at
//! `/jupyter/<id>/` with the owner's session (refused without it, not found for anyone else),
//! `1+1` executed on a kernel over the proxied WebSocket, then stopped with no process left.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderMap, Method, StatusCode};
use entity::Role;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::json;
use service::jupyter::process;
use service::Registration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use crate::common::TestApp;

/// The whole router on a port of its own (a WebSocket needs a real connection).
async fn serve(app: &TestApp) -> SocketAddr {
    let router = server::router::build(app.state());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    addr
}

async fn call(
    addr: SocketAddr,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    body: &str,
) -> (StatusCode, HeaderMap, String) {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut req = axum::http::Request::builder()
        .method(method)
        .uri(format!("http://{addr}{path}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ORIGIN, format!("http://{addr}"));
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = client
        .request(req.body(Full::new(Bytes::from(body.to_owned()))).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// A Jupyter `execute_request` on the shell channel, in the default (JSON text) protocol.
fn execute_request(msg_id: &str, code: &str) -> String {
    json!({
        "header": {
            "msg_id": msg_id, "msg_type": "execute_request", "username": "nuri",
            "session": "nuri-test", "version": "5.3", "date": chrono::Utc::now().to_rfc3339(),
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

/// Processes still running (zombies count as gone) among `seen`.
fn survivors(seen: &[u32]) -> Vec<u32> {
    seen.iter()
        .copied()
        .filter(|&p| process::alive(p))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jupyterlab_behind_nuri_for_its_owner_only() {
    let mut app = TestApp::new(Registration::Invite).await;
    let mut settings = (*app.ctx.settings).clone();
    settings.workspaces.jupyter = service::testing::jupyter_venv();
    app.ctx = service::Ctx {
        settings: std::sync::Arc::new(settings),
        ..app.ctx.clone()
    };
    app.user("admin@x.test", Role::Admin).await;
    app.user("me@x.test", Role::Mentee).await;
    app.user("you@x.test", Role::Mentee).await;
    let addr = serve(&app).await;
    let me = app.session("me@x.test").await;
    let you = app.session("you@x.test").await;

    let (status, _, body) = call(
        addr,
        Method::POST,
        "/api/v1/workspaces",
        Some(&me),
        r#"{"name":"lab"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
        .as_i64()
        .unwrap();
    let jupyter = format!("/api/v1/workspaces/{id}/jupyter");

    // Starting answers at once; the job does the work and records each step.
    let (status, _, body) = call(addr, Method::POST, &jupyter, Some(&me), "").await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["state"],
        "starting"
    );
    service::jobs::run_pending(&app.ctx).await.unwrap();
    let (_, _, body) = call(addr, Method::GET, &jupyter, Some(&me), "").await;
    let state: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(state["state"], "running", "{body}");
    assert_eq!(state["url"], format!("/jupyter/{id}/lab"));
    let steps: Vec<&str> = state["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["queued", "port", "spawned", "ready"]);

    // The owner's session reaches it; no session, or someone else's, does not.
    let status_path = format!("/jupyter/{id}/api/status");
    let (status, _, body) = call(addr, Method::GET, &status_path, Some(&me), "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("\"started\""), "{body}");
    let (status, _, _) = call(addr, Method::GET, &status_path, None, "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = call(addr, Method::GET, &status_path, Some(&you), "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The token is nuri's to add: the same request straight to Jupyter is refused.
    let row = <entity::jupyter::Entity as sea_orm::EntityTrait>::find_by_id(id as i32)
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    let direct: SocketAddr = ([127, 0, 0, 1], row.port.unwrap() as u16).into();
    let (status, _, _) = call(direct, Method::GET, &status_path, None, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, headers, _) = call(
        addr,
        Method::GET,
        &format!("/jupyter/{id}/lab"),
        Some(&me),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::X_FRAME_OPTIONS],
        "SAMEORIGIN",
        "nuri may frame it, no one else"
    );
    assert_eq!(
        headers[header::CONTENT_SECURITY_POLICY],
        "frame-ancestors 'self'"
    );

    // A kernel, and `1+1` over its socket through nuri.
    let kernels = format!("/jupyter/{id}/api/kernels");
    let (status, _, body) = call(
        addr,
        Method::POST,
        &kernels,
        Some(&me),
        r#"{"name":"python3"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let kernel = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let channels = format!("ws://{addr}{kernels}/{kernel}/channels");
    let mut request = channels.as_str().into_client_request().unwrap();
    request
        .headers_mut()
        .insert(header::COOKIE, me.parse().unwrap());
    request
        .headers_mut()
        .insert(header::ORIGIN, format!("http://{addr}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    ws.send(Message::Text(execute_request("m1", "1+1").into()))
        .await
        .unwrap();
    let result = tokio::time::timeout(Duration::from_secs(60), result_of(&mut ws, "m1")).await;
    assert_eq!(result.expect("no execute_result within 60 s"), "2");
    ws.close(None).await.unwrap();

    // Jupyter's chosen subprotocol reaches the browser.
    let v1 = "v1.kernel.websocket.jupyter.org";
    let mut with_protocol = channels.as_str().into_client_request().unwrap();
    with_protocol
        .headers_mut()
        .insert(header::COOKIE, me.parse().unwrap());
    with_protocol
        .headers_mut()
        .insert(header::ORIGIN, format!("http://{addr}").parse().unwrap());
    with_protocol
        .headers_mut()
        .insert(header::SEC_WEBSOCKET_PROTOCOL, v1.parse().unwrap());
    let (mut ws, answer) = tokio_tungstenite::connect_async(with_protocol)
        .await
        .unwrap();
    assert_eq!(answer.headers()[header::SEC_WEBSOCKET_PROTOCOL], v1);
    ws.close(None).await.unwrap();

    // Another site's page cannot open the socket with the owner's cookie.
    let mut foreign = channels.as_str().into_client_request().unwrap();
    foreign
        .headers_mut()
        .insert(header::COOKIE, me.parse().unwrap());
    foreign
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert!(tokio_tungstenite::connect_async(foreign).await.is_err());

    // Stop: the job ends the server and its kernel, and gives the port back.
    let seen = process::processes(row.pid.unwrap() as u32);
    assert!(seen.len() >= 2, "the server and its kernel: {seen:?}");
    let (status, _, _) = call(addr, Method::DELETE, &jupyter, Some(&me), "").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    service::jobs::run_pending(&app.ctx).await.unwrap();
    let (_, _, body) = call(addr, Method::GET, &jupyter, Some(&me), "").await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["state"],
        "stopped"
    );
    assert_eq!(survivors(&seen), Vec::<u32>::new(), "no process is left");
    let (status, _, _) = call(addr, Method::GET, &status_path, Some(&me), "").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    app.finish().await;
}
