//! The reverse proxy to a workspace's JupyterLab, HTTP and WebSocket (kernels, terminals).
//!
//! Jupyter's base URL is `/jupyter/<id>/`, the path nuri serves it under, so paths go through
//! unchanged. What changes on the way: nuri's token becomes the only credential (it never
//! reaches the browser, and Jupyter skips its own origin and XSRF checks for token-authenticated
//! requests, so the caller must have checked those), nuri's session cookie stays behind, and
//! Host names 127.0.0.1 (Jupyter refuses other hosts: DNS rebinding). Bodies stream both ways.

use std::net::{IpAddr, SocketAddr};
use std::pin::pin;
use std::sync::OnceLock;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ws::{self, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::{request, Method, StatusCode, Uri, Version};
use axum::response::{IntoResponse, Response};
use entity::ErrorKind;
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self as ts, Message as TsMessage};

use crate::problem::ApiError;
use crate::router::SESSION_COOKIE;

/// How long connecting and the WebSocket handshake to Jupyter may take.
const CONNECT_WITHIN: Duration = Duration::from_secs(10);
/// Once one side of a WebSocket closed, how long the other gets to finish its close.
const CLOSE_GRACE: Duration = Duration::from_secs(5);
/// The largest message (and frame: Jupyter sends each message as one) read from Jupyter. A
/// cell's output can be a big image or table; over this the kernel's socket would drop.
const FROM_JUPYTER_MAX: usize = 128 * 1024 * 1024;

/// A running Jupyter server on 127.0.0.1.
#[derive(Debug, Clone)]
pub struct Upstream {
    pub port: u16,
    pub token: String,
}

/// Forwards one request (HTTP or WebSocket upgrade) to the server and streams the answer back.
/// An unreachable server is a 502 problem.
pub async fn forward(upstream: Upstream, req: Request) -> Response {
    if wants_websocket(&req) {
        websocket(upstream, req).await
    } else {
        http(upstream, req).await
    }
}

fn wants_websocket(req: &Request) -> bool {
    if req.version() >= Version::HTTP_2 {
        return req.method() == Method::CONNECT;
    }
    req.headers()
        .get(header::UPGRADE)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"))
}

/// One pooled client for every server: connections to 127.0.0.1 are reused, no-delay.
fn client() -> &'static Client<HttpConnector, Body> {
    static CLIENT: OnceLock<Client<HttpConnector, Body>> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(CONNECT_WITHIN));
        Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(connector)
    })
}

async fn http(upstream: Upstream, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let Some(uri) = upstream_uri(&upstream, "http", &parts.uri) else {
        return unreachable("the request has no valid path");
    };
    let mut out = axum::http::Request::new(body);
    *out.method_mut() = parts.method.clone();
    *out.uri_mut() = uri;
    // Whatever the browser spoke to nuri, Jupyter is spoken to in HTTP/1.1.
    *out.version_mut() = Version::HTTP_11;
    let mut headers = upstream_headers(&parts, &upstream);
    headers.insert(header::HOST, host(&upstream));
    *out.headers_mut() = headers;
    match client().request(out).await {
        Ok(res) => {
            let (mut parts, body) = res.into_parts();
            strip_hop_by_hop(&mut parts.headers);
            // nuri's pages show JupyterLab in a frame; its default for other answers is DENY.
            if !parts.headers.contains_key(header::X_FRAME_OPTIONS) {
                let same = HeaderValue::from_static("SAMEORIGIN");
                parts.headers.insert(header::X_FRAME_OPTIONS, same);
            }
            Response::from_parts(parts, Body::new(body))
        }
        Err(e) => {
            tracing::warn!(port = upstream.port, error = %e, "Jupyter did not answer");
            unreachable("JupyterLab did not answer; it may be stopping or starting")
        }
    }
}

/// 502 as a problem document.
fn unreachable(detail: &str) -> Response {
    let mut e = ApiError::new(ErrorKind::Unavailable, "jupyter_unreachable", detail);
    e.0.status = StatusCode::BAD_GATEWAY.as_u16();
    e.0.title = "Bad gateway".into();
    e.into_response()
}

fn upstream_uri(upstream: &Upstream, scheme: &str, uri: &Uri) -> Option<Uri> {
    let path = uri.path_and_query().map_or("/", |pq| pq.as_str());
    format!("{scheme}://127.0.0.1:{}{path}", upstream.port)
        .parse()
        .ok()
}

fn host(upstream: &Upstream) -> HeaderValue {
    HeaderValue::try_from(format!("127.0.0.1:{}", upstream.port))
        .expect("an address is a valid header value")
}

/// Headers that concern one connection only (RFC 9110 §7.6.1), plus the WebSocket handshake's
/// own, which each side's handshake writes afresh.
fn is_hop_by_hop(name: &HeaderName) -> bool {
    const HOP: [&str; 8] = [
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
    ];
    HOP.contains(&name.as_str()) || name == header::UPGRADE
}

fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let listed: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::try_from(name.trim()).ok())
        .collect();
    for name in listed {
        headers.remove(name);
    }
    let hop: Vec<HeaderName> = headers
        .keys()
        .filter(|n| is_hop_by_hop(n))
        .cloned()
        .collect();
    for name in hop {
        headers.remove(name);
    }
}

/// The headers Jupyter gets: the client's without hop-by-hop ones, the WebSocket handshake's,
/// Host, any credential and nuri's session cookie; then nuri's token and `X-Forwarded-*`.
fn upstream_headers(parts: &request::Parts, upstream: &Upstream) -> HeaderMap {
    let mut headers = parts.headers.clone();
    strip_hop_by_hop(&mut headers);
    headers.remove(header::HOST);
    headers.remove(header::AUTHORIZATION);
    for ws_header in [
        header::SEC_WEBSOCKET_KEY,
        header::SEC_WEBSOCKET_VERSION,
        header::SEC_WEBSOCKET_EXTENSIONS,
        header::SEC_WEBSOCKET_ACCEPT,
    ] {
        headers.remove(ws_header);
    }
    headers.remove(header::COOKIE);
    if let Some(cookies) = without_session_cookie(&parts.headers) {
        headers.insert(header::COOKIE, cookies);
    }
    if let Ok(v) = HeaderValue::try_from(format!("token {}", upstream.token)) {
        headers.insert(header::AUTHORIZATION, v);
    }
    add_forwarded(&mut headers, parts);
    headers
}

/// The client's cookies but nuri's own session, as one header; `None` when none are left.
fn without_session_cookie(headers: &HeaderMap) -> Option<HeaderValue> {
    let kept: Vec<&str> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .filter(|c| c.split('=').next().map(str::trim) != Some(SESSION_COOKIE))
        .collect();
    (!kept.is_empty())
        .then(|| HeaderValue::try_from(kept.join("; ")).ok())
        .flatten()
}

/// `X-Forwarded-For` gains the peer, `-Host` and `-Proto` keep what a proxy in front of nuri
/// said or else say what nuri saw. Informational: Jupyter trusts none of them by default.
fn add_forwarded(headers: &mut HeaderMap, parts: &request::Parts) {
    let peer: Option<IpAddr> = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if let Some(ip) = peer {
        let chain = match headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
            Some(before) => format!("{before}, {ip}"),
            None => ip.to_string(),
        };
        if let Ok(v) = HeaderValue::try_from(chain) {
            headers.insert("x-forwarded-for", v);
        }
    }
    let original_host = parts.headers.get(header::HOST).cloned().or_else(|| {
        parts
            .uri
            .authority()
            .and_then(|a| a.as_str().try_into().ok())
    });
    if let (false, Some(h)) = (headers.contains_key("x-forwarded-host"), original_host) {
        headers.insert("x-forwarded-host", h);
    }
    if !headers.contains_key("x-forwarded-proto") {
        let proto = parts.uri.scheme_str().unwrap_or("http").to_owned();
        if let Ok(v) = HeaderValue::try_from(proto) {
            headers.insert("x-forwarded-proto", v);
        }
    }
}

/// Connects to Jupyter first, so that a refusal (403, 404) reaches the browser as such, then
/// accepts the browser's socket with the subprotocol Jupyter chose and pumps both ways.
async fn websocket(upstream: Upstream, req: Request) -> Response {
    let (mut parts, _body) = req.into_parts();
    let mut browser = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(ws) => ws,
        Err(rejection) => return rejection.into_response(),
    };
    let jupyter = match tokio::time::timeout(CONNECT_WITHIN, connect(&upstream, &parts)).await {
        Ok(Ok(pair)) => pair,
        Ok(Err(ts::Error::Http(refusal))) => return refused(*refusal),
        Ok(Err(e)) => {
            tracing::warn!(port = upstream.port, error = %e, "Jupyter WebSocket failed");
            return unreachable("JupyterLab did not accept the WebSocket");
        }
        Err(_) => return unreachable("JupyterLab did not accept the WebSocket in time"),
    };
    let (jupyter, answer) = jupyter;
    if let Some(protocol) = answer.headers().get(header::SEC_WEBSOCKET_PROTOCOL) {
        browser.set_selected_protocol(protocol.clone());
    }
    browser.on_upgrade(move |socket| pump(socket, jupyter))
}

type Jupyter = tokio_tungstenite::WebSocketStream<TcpStream>;

async fn connect(
    upstream: &Upstream,
    parts: &request::Parts,
) -> Result<(Jupyter, ts::handshake::client::Response), ts::Error> {
    let uri = upstream_uri(upstream, "ws", &parts.uri)
        .ok_or(ts::Error::Url(ts::error::UrlError::NoPathOrQuery))?;
    // Host, Upgrade, the key and the version come from the handshake itself.
    let mut request = uri.into_client_request()?;
    for (name, value) in &upstream_headers(parts, upstream) {
        request.headers_mut().append(name, value.clone());
    }
    let stream = TcpStream::connect(("127.0.0.1", upstream.port)).await?;
    stream.set_nodelay(true)?;
    let config = ts::protocol::WebSocketConfig::default()
        .max_message_size(Some(FROM_JUPYTER_MAX))
        .max_frame_size(Some(FROM_JUPYTER_MAX));
    tokio_tungstenite::client_async_with_config(request, stream, Some(config)).await
}

/// Jupyter's own refusal of a WebSocket, passed on (its status and body).
fn refused(answer: ts::handshake::client::Response) -> Response {
    let (parts, body) = answer.into_parts();
    let mut res = Response::new(Body::from(body.unwrap_or_default()));
    *res.status_mut() = parts.status;
    if let Some(kind) = parts.headers.get(header::CONTENT_TYPE) {
        res.headers_mut().insert(header::CONTENT_TYPE, kind.clone());
    }
    res
}

/// Messages both ways until either side closes; the other then gets `CLOSE_GRACE` to finish.
async fn pump(browser: WebSocket, jupyter: Jupyter) {
    let (to_browser, from_browser) = browser.split();
    let (to_jupyter, from_jupyter) = jupyter.split();
    let up = pin!(relay(from_browser, to_jupyter, into_tungstenite));
    let down = pin!(relay(from_jupyter, to_browser, from_tungstenite));
    match futures_util::future::select(up, down).await {
        futures_util::future::Either::Left(((), rest)) => {
            let _ = tokio::time::timeout(CLOSE_GRACE, rest).await;
        }
        futures_util::future::Either::Right(((), rest)) => {
            let _ = tokio::time::timeout(CLOSE_GRACE, rest).await;
        }
    }
}

/// Copies messages from one side to the other; after a close (sent or seen), closes the sink.
async fn relay<A, B, E, F>(
    mut from: impl Stream<Item = Result<A, E>> + Unpin,
    mut to: impl Sink<B> + Unpin,
    convert: F,
) where
    F: Fn(A) -> Option<(B, bool)>,
{
    while let Some(Ok(message)) = from.next().await {
        let Some((message, is_close)) = convert(message) else {
            continue;
        };
        if to.send(message).await.is_err() || is_close {
            break;
        }
    }
    let _ = to.close().await;
}

/// A browser message for Jupyter, and whether it is the close.
fn into_tungstenite(message: ws::Message) -> Option<(TsMessage, bool)> {
    Some(match message {
        ws::Message::Text(text) => {
            let text = ts::Utf8Bytes::try_from(axum::body::Bytes::from(text)).ok()?;
            (TsMessage::Text(text), false)
        }
        ws::Message::Binary(data) => (TsMessage::Binary(data), false),
        ws::Message::Ping(data) => (TsMessage::Ping(data), false),
        ws::Message::Pong(data) => (TsMessage::Pong(data), false),
        ws::Message::Close(frame) => {
            let frame = frame.and_then(|f| {
                let reason = ts::Utf8Bytes::try_from(axum::body::Bytes::from(f.reason)).ok()?;
                Some(ts::protocol::CloseFrame {
                    code: f.code.into(),
                    reason,
                })
            });
            (TsMessage::Close(frame), true)
        }
    })
}

/// A Jupyter message for the browser, and whether it is the close.
fn from_tungstenite(message: TsMessage) -> Option<(ws::Message, bool)> {
    Some(match message {
        TsMessage::Text(text) => {
            let text = ws::Utf8Bytes::try_from(axum::body::Bytes::from(text)).ok()?;
            (ws::Message::Text(text), false)
        }
        TsMessage::Binary(data) => (ws::Message::Binary(data), false),
        TsMessage::Ping(data) => (ws::Message::Ping(data), false),
        TsMessage::Pong(data) => (ws::Message::Pong(data), false),
        TsMessage::Close(frame) => {
            let frame = frame.and_then(|f| {
                let reason = ws::Utf8Bytes::try_from(axum::body::Bytes::from(f.reason)).ok()?;
                Some(ws::CloseFrame {
                    code: f.code.into(),
                    reason,
                })
            });
            (ws::Message::Close(frame), true)
        }
        // Only ever written raw, never read.
        TsMessage::Frame(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(headers: &[(&'static str, &'static str)]) -> request::Parts {
        let mut req = axum::http::Request::builder().uri("/jupyter/3/api/status?x=1");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.body(()).unwrap().into_parts().0
    }

    #[test]
    fn credentials_and_hops_are_replaced() {
        let up = Upstream {
            port: 9001,
            token: "secret".into(),
        };
        let p = parts(&[
            ("host", "nuri.test"),
            ("authorization", "Bearer theirs"),
            ("cookie", "a=1; nuri_session=s3cr3t"),
            ("cookie", "_xsrf=x"),
            ("connection", "keep-alive, x-private"),
            ("x-private", "1"),
            ("accept", "application/json"),
        ]);
        let h = upstream_headers(&p, &up);
        assert_eq!(h["authorization"], "token secret");
        assert_eq!(h["cookie"], "a=1; _xsrf=x");
        assert_eq!(h["x-forwarded-host"], "nuri.test");
        assert_eq!(h["accept"], "application/json");
        for gone in ["host", "connection", "x-private"] {
            assert!(!h.contains_key(gone), "{gone} was forwarded");
        }
        let only_session = parts(&[("cookie", "nuri_session=s3cr3t")]);
        assert!(!upstream_headers(&only_session, &up).contains_key("cookie"));
    }
}
