//! Response security headers, and the same-origin rule for state-changing requests (server
//! functions, form posts, cookie-authenticated REST).

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use entity::ErrorKind;

use crate::problem::ApiError;
use crate::state::AppState;

pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        // Pages set their own policy with the response's nonce; everything else gets the strict one.
        if let Ok(v) = HeaderValue::from_str(&app::content_security_policy(None)) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::X_FRAME_OPTIONS) {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if state.config.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// Whether a request comes from another site. Browsers send `Origin` on every cross-origin and
/// every POST request, and `Sec-Fetch-Site` on all requests; clients that are not browsers send
/// neither and are judged by their credentials alone.
pub fn is_cross_origin(headers: &HeaderMap, trust_proxy: bool) -> bool {
    let host = trust_proxy
        .then(|| headers.get("x-forwarded-host"))
        .flatten()
        .or_else(|| headers.get(header::HOST))
        .and_then(|v| v.to_str().ok());
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let authority = origin.split_once("://").map(|(_, a)| a).unwrap_or("");
        return origin == "null" || host.is_none_or(|h| !h.eq_ignore_ascii_case(authority));
    }
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site")
}

pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_origin(req.headers(), state.config.trust_proxy) {
        return ApiError::new(
            ErrorKind::Forbidden,
            "cross_origin",
            "cross-origin requests are not allowed",
        )
        .into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origin_rules() {
        assert!(!is_cross_origin(
            &headers(&[("host", "a.test"), ("origin", "https://a.test")]),
            false
        ));
        assert!(is_cross_origin(
            &headers(&[("host", "a.test"), ("origin", "https://evil.test")]),
            false
        ));
        assert!(is_cross_origin(
            &headers(&[("host", "a.test"), ("origin", "null")]),
            false
        ));
        assert!(is_cross_origin(
            &headers(&[("host", "a.test"), ("sec-fetch-site", "cross-site")]),
            false
        ));
        assert!(!is_cross_origin(
            &headers(&[("host", "a.test"), ("sec-fetch-site", "same-origin")]),
            false
        ));
        assert!(!is_cross_origin(&headers(&[("host", "a.test")]), false));
        assert!(!is_cross_origin(
            &headers(&[
                ("host", "internal:3000"),
                ("x-forwarded-host", "a.test"),
                ("origin", "https://a.test")
            ]),
            true
        ));
    }
}
