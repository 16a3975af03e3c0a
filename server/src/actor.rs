//! The one place a request becomes an `Actor`: a bearer token if the request carries one, else
//! the session cookie. REST handlers, server functions, pages (and later the WebSocket and the
//! Jupyter proxy) all go through `resolve`.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::{header, request::Parts, HeaderMap, Method};
use service::auth::Errand;
use service::{Actor, AuthMethod, ServiceError};
use tower_sessions::Session;

use crate::problem::ApiError;
use crate::state::AppState;

/// Resolves the caller. A present but bad bearer token is an error (never a silent fallback to
/// the cookie); a stale session is cleared and the caller is anonymous.
pub async fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    session: Option<&Session>,
) -> Result<Option<Actor>, ServiceError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t.trim())
            .filter(|t| !t.is_empty())
            .ok_or(ServiceError::Unauthenticated {
                code: "token_invalid",
                message: "expected `Authorization: Bearer <access token>`",
            })?;
        return service::auth::authenticate_bearer(&state.ctx, token)
            .await
            .map(Some);
    }
    let Some(session) = session else {
        return Ok(None);
    };
    let Some((user_id, version)) = app::api::ssr::read_session(session).await else {
        return Ok(None);
    };
    match service::auth::resolve_session_user(&state.ctx, user_id, version).await? {
        Some(user) => Ok(Some(Actor {
            user,
            via: AuthMethod::Session,
        })),
        None => {
            // Logged out elsewhere, password changed or account deactivated.
            let _ = session.flush().await;
            Ok(None)
        }
    }
}

/// The errand a request runs, for the password-change gate (`service::auth::gate`): reading
/// `me`, changing the password and signing out, by REST or server function. Pages are not gated:
/// they send such a person to /account, whose own calls are these errands.
pub fn errand(method: &Method, path: &str) -> Errand {
    match (method, path) {
        (&Method::GET, "/api/v1/auth/me") | (_, "/api/fn/current_user") => Errand::ReadOwnAccount,
        (&Method::POST, "/api/v1/auth/password") | (_, "/api/fn/change_password") => {
            Errand::ChangePassword
        }
        (&Method::POST, "/api/v1/auth/logout")
        | (_, "/api/fn/logout")
        | (_, "/api/fn/logout_everywhere") => Errand::SignOut,
        _ => Errand::Other,
    }
}

/// The client's address: the socket peer, or the first X-Forwarded-For hop when configured.
pub fn client_ip(
    state: &AppState,
    parts_headers: &HeaderMap,
    connect: Option<&ConnectInfo<SocketAddr>>,
) -> Option<IpAddr> {
    if state.config.trust_proxy {
        if let Some(ip) = parts_headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok())
        {
            return Some(ip);
        }
    }
    connect.map(|c| c.0.ip())
}

/// Extractor: the caller, or anonymous. Fails on a bad bearer token, and with 403
/// `password_change_required` when the caller must change their password and this request is not
/// one of the errands that lead there.
pub struct MaybeActor(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = parts.extensions.get::<Session>().cloned();
        let actor = resolve(state, &parts.headers, session.as_ref()).await?;
        if let Some(actor) = &actor {
            // Under `nest` the URI lost its prefix; the errands are named by the full path.
            let path = parts
                .extensions
                .get::<OriginalUri>()
                .map_or(parts.uri.path(), |u| u.0.path());
            service::auth::admit(actor, errand(&parts.method, path))?;
        }
        Ok(MaybeActor(actor))
    }
}

/// Extractor: a signed-in caller (401 otherwise).
pub struct RequireActor(pub Actor);

impl FromRequestParts<AppState> for RequireActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let MaybeActor(actor) = MaybeActor::from_request_parts(parts, state).await?;
        actor
            .map(RequireActor)
            .ok_or_else(|| ServiceError::sign_in_required().into())
    }
}

/// Extractor: the client's address (for throttling).
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let connect = parts.extensions.get::<ConnectInfo<SocketAddr>>();
        Ok(ClientIp(client_ip(state, &parts.headers, connect)))
    }
}
