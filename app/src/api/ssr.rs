//! Server-side plumbing shared by the server functions: the request context the server provides,
//! the session keys, and the no-JavaScript error round trip.

use std::net::IpAddr;

use base64::Engine;
use leptos::prelude::*;
use service::{Actor, Ctx};
use tower_sessions::Session;

use crate::error::AppError;

/// Session keys: the user id and the token version the session was stamped with.
pub const SESSION_USER: &str = "uid";
pub const SESSION_VERSION: &str = "tv";

/// What the server resolved about this request before handing it to Leptos.
#[derive(Clone, Debug)]
pub struct RequestInfo {
    pub actor: Option<Actor>,
    pub client_ip: Option<IpAddr>,
}

pub fn context() -> Result<(Ctx, RequestInfo), AppError> {
    let ctx = use_context::<Ctx>().ok_or_else(|| internal("service context missing"))?;
    let info = use_context::<RequestInfo>().ok_or_else(|| internal("request info missing"))?;
    Ok((ctx, info))
}

pub fn session() -> Result<Session, AppError> {
    use_context::<Session>().ok_or_else(|| internal("session missing"))
}

fn internal(what: &str) -> AppError {
    AppError::from(service::ServiceError::Internal(what.to_owned()))
}

fn session_error(e: tower_sessions::session::Error) -> AppError {
    internal(&format!("session: {e}"))
}

/// Reads the user id and token version a session was stamped with.
pub async fn read_session(session: &Session) -> Option<(i32, i32)> {
    let user = session.get::<i32>(SESSION_USER).await.ok()??;
    let version = session.get::<i32>(SESSION_VERSION).await.ok()??;
    Some((user, version))
}

/// Signs the browser in as `user`, under a fresh session id (no fixation).
pub async fn sign_in(user: &entity::user::Model) -> Result<(), AppError> {
    stamp_session(&session()?, user)
        .await
        .map_err(session_error)
}

/// Stamps `session` with `user` and its token version under a fresh id: the one way a session
/// is signed in, for server functions and REST alike.
pub async fn stamp_session(
    session: &Session,
    user: &entity::user::Model,
) -> Result<(), tower_sessions::session::Error> {
    session.cycle_id().await?;
    session.insert(SESSION_USER, user.id).await?;
    session.insert(SESSION_VERSION, user.token_version).await
}

pub async fn sign_out() -> Result<(), AppError> {
    session()?.flush().await.map_err(session_error)
}

/// Session keys of flashes: what a no-JavaScript form post leaves for the next page to show once
/// (a temporary password, an import's CSV and report). They carry secrets and personal data, so
/// they are deleted when shown and dropped unseen after `FLASH_TTL_SECS`, not kept for the
/// session's 14 days.
pub const RESET_FLASH: &str = "flash_reset";
pub const IMPORT_FLASH: &str = "flash_import";
pub const FORM_FLASH: &str = "flash_form";
pub const DRAFT_FLASH: &str = "flash_draft";
const FLASHES: [&str; 4] = [RESET_FLASH, IMPORT_FLASH, FORM_FLASH, DRAFT_FLASH];
pub const FLASH_TTL_SECS: i64 = 10 * 60;

#[derive(serde::Serialize, serde::Deserialize)]
struct Flash<T> {
    /// Unix seconds after which the flash is not shown.
    expires_at: i64,
    value: T,
}

/// Leaves `value` under `key` for the next page.
pub async fn put_flash<T: serde::Serialize>(key: &str, value: T) -> Result<(), AppError> {
    let flash = Flash {
        expires_at: chrono::Utc::now().timestamp() + FLASH_TTL_SECS,
        value,
    };
    session()?.insert(key, flash).await.map_err(session_error)
}

/// The flash under `key`, once: it is deleted whether or not it is still fresh.
pub async fn take_flash<T: serde::de::DeserializeOwned>(key: &str) -> Result<Option<T>, AppError> {
    let flash: Option<Flash<T>> = session()?.remove(key).await.map_err(session_error)?;
    Ok(flash
        .filter(|f| f.expires_at >= chrono::Utc::now().timestamp())
        .map(|f| f.value))
}

/// Deletes the flashes of `session` that were never shown in time (the server calls this on each
/// browser request, so an unfollowed redirect does not leave a password in the session store).
pub async fn drop_stale_flashes(session: &Session) {
    let now = chrono::Utc::now().timestamp();
    for key in FLASHES {
        let stale = match session.get::<Flash<serde::de::IgnoredAny>>(key).await {
            Ok(Some(f)) => f.expires_at < now,
            Ok(None) => false,
            // Not a flash of this shape (left by an older version): not worth keeping.
            Err(_) => true,
        };
        if stale {
            let _ = session.remove_value(key).await;
        }
    }
}

/// True for a plain HTML form post (no JavaScript): the browser wants a page back.
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::ACCEPT).cloned())
        .and_then(|v| v.to_str().ok().map(|s| s.contains("text/html")))
        .unwrap_or(false)
}

/// Turns a service error into the UI error. Without JavaScript the browser follows a redirect, so
/// the error and what the person typed (never passwords) travel back to `page` in its query.
pub fn fail(err: service::ServiceError, page: &str, keep: &[(&str, &str)]) -> AppError {
    let err = AppError::from(err);
    if let Some(secs) = err.retry_after_secs {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
        }
    }
    if is_plain_form_post() {
        leptos_axum::redirect(&crate::form_state::error_url(page, &err, keep));
    } else if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(
            http::StatusCode::from_u16(err.kind.status()).unwrap_or(http::StatusCode::BAD_REQUEST),
        );
    }
    err
}

/// Like [`fail`], for forms whose typed values must not travel in a URL (an email address lands
/// in history, proxies' logs and `Referer`): without JavaScript the error and `keep` wait in the
/// session for `page` to show them once, and the redirect carries nothing.
pub async fn fail_privately(
    err: service::ServiceError,
    page: &str,
    keep: &[(&str, &str)],
) -> AppError {
    if !is_plain_form_post() {
        return fail(err, page, &[]);
    }
    let err = AppError::from(err);
    let kept = crate::form_state::KeptForm {
        page: page.to_owned(),
        error: err.clone(),
        values: keep
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };
    if let Err(e) = put_flash(FORM_FLASH, kept).await {
        return e;
    }
    leptos_axum::redirect(page);
    err
}

/// A page's record could not be read: the page's response carries the error's status (404 for
/// a record the reader may not see) while the page shows the message.
pub fn read_failed(err: service::ServiceError) -> AppError {
    let err = AppError::from(err);
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(
            http::StatusCode::from_u16(err.kind.status()).unwrap_or(http::StatusCode::BAD_REQUEST),
        );
    }
    err
}

/// After a sign-in or sign-out, the page must load afresh (new session, new data): a plain form
/// post gets a redirect; a JavaScript caller gets the path back and does a full navigation
/// (`form_state::reload_on_success`), because Leptos' own redirect would navigate client-side.
pub fn continue_to(path: &str) -> String {
    if is_plain_form_post() {
        leptos_axum::redirect(path);
    }
    path.to_owned()
}

pub fn encode_error(err: &AppError) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(err).unwrap_or_default())
}
