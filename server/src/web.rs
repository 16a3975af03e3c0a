//! The browser's side of the router: server functions, server-rendered pages, static files and
//! the language/theme preference form.

use std::net::SocketAddr;

use app::api::ssr::RequestInfo;
use app::prefs::{Locale, Prefs, Theme, LOCALE_COOKIE, THEME_COOKIE};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use entity::ErrorKind;
use leptos::prelude::provide_context;
use serde::Deserialize;
use tower_sessions::Session;

use crate::problem::ApiError;
use crate::state::AppState;
use crate::{actor, assets, limits};

/// Takes copies of what it needs: a borrow of the (non-Sync) request must not live across an await.
async fn request_info(
    state: &AppState,
    headers: HeaderMap,
    connect: Option<ConnectInfo<SocketAddr>>,
    session: &Session,
) -> RequestInfo {
    let client_ip = actor::client_ip(state, &headers, connect.as_ref());
    app::api::ssr::drop_stale_flashes(session).await;
    let actor = match actor::resolve(state, &headers, Some(session)).await {
        Ok(actor) => actor,
        Err(e) => {
            tracing::debug!(error = %e, "treating the request as anonymous");
            None
        }
    };
    RequestInfo { actor, client_ip }
}

fn request_parts(req: &Request) -> (HeaderMap, Option<ConnectInfo<SocketAddr>>) {
    (
        req.headers().clone(),
        req.extensions().get::<ConnectInfo<SocketAddr>>().cloned(),
    )
}

pub async fn server_fn_handler(
    State(state): State<AppState>,
    session: Session,
    req: Request,
) -> Response {
    let (headers, connect) = request_parts(&req);
    let info = request_info(&state, headers, connect, &session).await;
    if let Some(actor) = &info.actor {
        let errand = actor::errand(req.method(), req.uri().path());
        if let Err(e) = service::auth::admit(actor, errand) {
            return server_fn_refusal(&req, e);
        }
    }
    // Read the (small) body here, so one over the limit is a 413 problem rather than whatever
    // error the server fn's decoder makes of a cut-off stream.
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, limits::BODY_MAX).await {
        Ok(bytes) => bytes,
        Err(e) => return limits::unreadable(e).into_response(),
    };
    let req = Request::from_parts(parts, axum::body::Body::from(bytes));
    let ctx = state.ctx.clone();
    leptos_axum::handle_server_fns_with_context(
        move || {
            provide_context(ctx.clone());
            provide_context(info.clone());
            provide_context(session.clone());
        },
        req,
    )
    .await
    .into_response()
}

/// A server function the gate refused before it ran: the error in the server functions' own
/// encoding (so the page shows it like any other), or, for a form posted without JavaScript, the
/// way to the page where the person can fix it.
fn server_fn_refusal(req: &Request, err: service::ServiceError) -> Response {
    let wants_page = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_page {
        return Redirect::to("/account").into_response();
    }
    let err = app::error::AppError::from(err);
    let status = StatusCode::from_u16(err.kind.status()).unwrap_or(StatusCode::FORBIDDEN);
    let body = serde_json::to_string(&err).unwrap_or_default();
    let mut res = (status, body).into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(path) = HeaderValue::from_str(req.uri().path()) {
        headers.insert(leptos::server_fn::error::SERVER_FN_ERROR_HEADER, path);
    }
    res
}

/// Static files (anything whose last path segment has a dot) from the site root; everything
/// else is a page, rendered by Leptos (which answers 404 for unknown ones).
pub async fn page_or_file(
    State(state): State<AppState>,
    session: Session,
    req: Request,
) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return ApiError::new(
            ErrorKind::NotFound,
            ErrorKind::NotFound.slug(),
            "nothing accepts this method here",
        )
        .into_response();
    }
    let last = req.uri().path().rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        return assets::serve(&state.config.site_root, req).await;
    }
    render_page(state, session, req).await
}

async fn render_page(state: AppState, session: Session, req: Request) -> Response {
    let prefs = {
        let header_str =
            |name: header::HeaderName| req.headers().get(name).and_then(|v| v.to_str().ok());
        Prefs::from_headers(
            header_str(header::COOKIE),
            header_str(header::ACCEPT_LANGUAGE),
        )
    };
    let (headers, connect) = request_parts(&req);
    let info = request_info(&state, headers, connect, &session).await;
    let ctx = state.ctx.clone();
    let options = state.leptos.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(ctx.clone());
            provide_context(info.clone());
            provide_context(session.clone());
            provide_context(prefs);
        },
        move || app::shell(options.clone()),
    );
    let mut res = handler(req).await.into_response();
    // Pages are per person and per language.
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
    res
}

#[derive(Debug, Deserialize)]
pub struct PrefsForm {
    locale: Option<String>,
    theme: Option<String>,
    back: Option<String>,
}

/// Remembers a language or theme choice in a cookie and sends the person back.
pub async fn set_preferences(
    State(state): State<AppState>,
    Form(form): Form<PrefsForm>,
) -> Response {
    let back = service::links::safe_next(form.back.as_deref());
    let mut res = Redirect::to(&back).into_response();
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let mut set = |name: &str, value: &str| {
        let cookie = format!("{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax{secure}");
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    };
    if let Some(locale) = form.locale.as_deref().and_then(Locale::parse) {
        set(LOCALE_COOKIE, locale.tag());
    }
    if let Some(theme) = form.theme.as_deref().and_then(Theme::parse) {
        set(THEME_COOKIE, theme.as_str());
    }
    if res.headers().get(header::SET_COOKIE).is_none() {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown language or theme",
        )
            .into_response();
    }
    res
}
