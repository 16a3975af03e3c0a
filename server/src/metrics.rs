//! Prometheus metrics in text format at `/metrics`: request counts by route and status, a latency
//! histogram per route, uptime and build info. Routes are labelled by their pattern, never by the
//! raw path, and methods outside the standard ones share one label, so a client cannot grow the
//! label set.
//!
//! Who may read them (`Exposure`): a separate listener (`NURI_METRICS_LISTEN`), or the main one
//! with a bearer token (`NURI_METRICS_TOKEN`), or anyone only when nuri listens on loopback.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

use std::net::SocketAddr;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use entity::ErrorKind;
use subtle::ConstantTimeEq;

use crate::config::Config;
use crate::problem::ApiError;
use crate::state::AppState;

const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        if let Ok(mut map) = self.requests.lock() {
            *map.entry((method.to_owned(), route.to_owned(), status))
                .or_default() += 1;
        }
        if let Ok(mut map) = self.latency.lock() {
            let h = map.entry(route.to_owned()).or_default();
            for (i, bound) in BUCKETS.iter().enumerate() {
                if seconds <= *bound {
                    h.counts[i] += 1;
                }
            }
            h.sum += seconds;
            h.count += 1;
        }
    }

    pub fn render(&self, uptime_secs: u64) -> String {
        let mut out = String::new();
        out.push_str("# HELP nuri_build_info Build information.\n# TYPE nuri_build_info gauge\n");
        let _ = writeln!(
            out,
            "nuri_build_info{{version=\"{}\"}} 1",
            service::health::VERSION
        );
        out.push_str("# HELP nuri_uptime_seconds Seconds since the process started.\n# TYPE nuri_uptime_seconds gauge\n");
        let _ = writeln!(out, "nuri_uptime_seconds {uptime_secs}");
        out.push_str("# HELP nuri_http_requests_total HTTP requests by method, route and status.\n# TYPE nuri_http_requests_total counter\n");
        if let Ok(map) = self.requests.lock() {
            for ((method, route, status), n) in map.iter() {
                let _ = writeln!(
                    out,
                    "nuri_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        out.push_str("# HELP nuri_http_request_duration_seconds HTTP request latency by route.\n# TYPE nuri_http_request_duration_seconds histogram\n");
        if let Ok(map) = self.latency.lock() {
            for (route, h) in map.iter() {
                let route = escape(route);
                for (i, bound) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "nuri_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {}",
                        h.counts[i]
                    );
                }
                let _ = writeln!(
                    out,
                    "nuri_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "nuri_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "nuri_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
        }
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Route label: the matched pattern; pages and static files fall through to the fallback.
fn route_label(req: &Request) -> String {
    if let Some(p) = req.extensions().get::<MatchedPath>() {
        return p.as_str().to_owned();
    }
    let path = req.uri().path();
    if path.starts_with("/pkg/") {
        "/pkg/*".into()
    } else if path.starts_with("/api/") {
        "/api/*".into()
    } else {
        "page".into()
    }
}

/// The method label: one of the standard methods, or `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}

pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(req.method());
    let route = route_label(&req);
    let res = next.run(req).await;
    state.metrics.observe(
        method,
        &route,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    res
}

/// Who may read `/metrics`, from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exposure {
    /// On `NURI_METRICS_LISTEN` only; the main listener answers 404.
    Separate(SocketAddr),
    /// On the main listener, to `Authorization: Bearer <NURI_METRICS_TOKEN>`.
    Token(String),
    /// To anyone: nuri listens on loopback only, so "anyone" is this machine.
    Open,
    /// Nowhere: a public listener and neither setting.
    Hidden,
}

impl Exposure {
    pub fn of(config: &Config) -> Exposure {
        if let Some(addr) = config.metrics_listen {
            Exposure::Separate(addr)
        } else if let Some(token) = &config.metrics_token {
            Exposure::Token(token.clone())
        } else if config.listen.ip().is_loopback() {
            Exposure::Open
        } else {
            Exposure::Hidden
        }
    }
}

/// `/metrics` on the main listener.
pub async fn metrics_handler(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match Exposure::of(&state.config) {
        Exposure::Open => render(&state),
        Exposure::Token(token) => {
            let sent = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            // Constant-time, so the token cannot be guessed byte by byte from response times.
            if sent.is_some_and(|s| bool::from(s.as_bytes().ct_eq(token.as_bytes()))) {
                render(&state)
            } else {
                ApiError::new(
                    ErrorKind::Unauthenticated,
                    "metrics_token",
                    "send the metrics token as a bearer token",
                )
                .into_response()
            }
        }
        Exposure::Separate(_) | Exposure::Hidden => ApiError::new(
            ErrorKind::NotFound,
            ErrorKind::NotFound.slug(),
            "no metrics here",
        )
        .into_response(),
    }
}

/// The router of the separate metrics listener: `/metrics` and nothing else.
pub fn separate_router(state: AppState) -> Router {
    Router::new()
        .route(
            "/metrics",
            get(|State(state): State<AppState>| async move { render(&state) }),
        )
        .with_state(state)
}

fn render(state: &AppState) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state
            .metrics
            .render(state.ctx.started_at.elapsed().as_secs()),
    )
        .into_response()
}
