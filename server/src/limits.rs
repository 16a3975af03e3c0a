//! Limits every route shares: how large a request body may be, and what a panic becomes.
//!
//! Both are layers on the whole router, so a new route cannot forget them. A route that takes
//! large bodies (uploads) is merged after `body` with an explicit limit of its own.

use std::any::Any;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{LengthLimitError, Limited};

use crate::problem::ApiError;

/// Forms, JSON and the CSV import (512 KiB, percent-encoded) all fit.
pub const BODY_MAX: usize = 2 * 1024 * 1024;

/// Refuses a body declared larger than `BODY_MAX` before reading a byte of it, and cuts off one
/// that grows past it while it is read (a chunked upload does not declare its length). Either way
/// the answer is 413 problem+json: `too_large` is what the extractors and `server_fn_handler`
/// report when the cut-off hits them.
pub async fn body(req: Request, next: Next) -> Response {
    if streams_body(req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_MAX as u64) {
        return too_large().into_response();
    }
    let (parts, body) = req.into_parts();
    next.run(Request::from_parts(
        parts,
        Body::new(Limited::new(body, BODY_MAX)),
    ))
    .await
}

/// The routes whose bodies stream to disk or onwards, never held in memory: workspace uploads
/// (the owner's quota bounds them, checked as they arrive) and JupyterLab behind the proxy
/// (notebooks saved from the browser can be large).
pub fn streams_body(method: &axum::http::Method, path: &str) -> bool {
    use axum::http::Method;
    if path.starts_with("/jupyter/") {
        return true;
    }
    let Some(rest) = path
        .strip_prefix("/api/v1/workspaces/")
        .or_else(|| path.strip_prefix("/workspaces/"))
    else {
        return false;
    };
    let Some((id, tail)) = rest.split_once('/') else {
        return false;
    };
    id.parse::<i32>().is_ok()
        && matches!(
            (method, tail),
            (&Method::POST, "files") | (&Method::PUT, "files/content") | (&Method::POST, "upload")
        )
}

pub fn too_large() -> ApiError {
    ApiError::bad_request(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!("the request body is over {} MiB", BODY_MAX / (1024 * 1024)),
    )
}

/// What a body that could not be read becomes: too large, or cut off by the client.
pub fn unreadable(e: axum::Error) -> ApiError {
    let inner = e.into_inner();
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&*inner);
    while let Some(err) = cause {
        if err.is::<LengthLimitError>() {
            return too_large();
        }
        cause = err.source();
    }
    ApiError::bad_request(
        StatusCode::BAD_REQUEST,
        "bad_request",
        "the request body could not be read",
    )
}

/// A panic anywhere below becomes a logged 500 problem, never a dropped connection.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = %what, "a request handler panicked");
    ApiError::new(
        entity::ErrorKind::Internal,
        entity::ErrorKind::Internal.slug(),
        "something went wrong on the server",
    )
    .into_response()
}
