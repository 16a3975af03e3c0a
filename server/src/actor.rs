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

/// The client's address: the socket peer, or, behind proxies of ours (`NURI_TRUST_PROXY`), the
/// X-Forwarded-For entry our outermost proxy added.
pub fn client_ip(
    state: &AppState,
    parts_headers: &HeaderMap,
    connect: Option<&ConnectInfo<SocketAddr>>,
) -> Option<IpAddr> {
    if state.config.trust_proxy {
        if let Some(ip) = forwarded_client(parts_headers, state.config.trusted_proxy_hops) {
            return Some(ip);
        }
    }
    connect.map(|c| c.0.ip())
}

/// The `hops`-th X-Forwarded-For entry from the right (over every such header, in order). Each
/// proxy appends the address it was connected from, so entries further left are whatever the
/// client wrote; `None` when the header is shorter than our chain of proxies or that entry is not
/// an address.
pub fn forwarded_client(headers: &HeaderMap, hops: usize) -> Option<IpAddr> {
    let mut entries = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        entries.extend(value.to_str().ok()?.split(',').map(str::trim));
    }
    let index = entries.len().checked_sub(hops.max(1))?;
    entries[index].parse().ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", v.parse().unwrap());
        }
        headers
    }

    #[test]
    fn the_client_is_the_entry_our_proxy_added_never_one_the_client_wrote() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        // The client claims 1.1.1.1; our one proxy appended the address it saw.
        assert_eq!(
            forwarded_client(&xff(&["1.1.1.1, 203.0.113.5"]), 1),
            ip("203.0.113.5")
        );
        assert_eq!(
            forwarded_client(&xff(&["203.0.113.5"]), 1),
            ip("203.0.113.5")
        );
        // Two proxies of ours (a CDN, then nginx): the second entry from the right.
        assert_eq!(
            forwarded_client(&xff(&["1.1.1.1, 203.0.113.5, 10.0.0.2"]), 2),
            ip("203.0.113.5")
        );
        // Several headers count as one list, in order.
        assert_eq!(
            forwarded_client(&xff(&["1.1.1.1", "2001:db8::7"]), 1),
            ip("2001:db8::7")
        );
        // Shorter than our chain, missing, garbage: no answer (the socket peer is used).
        assert_eq!(forwarded_client(&xff(&["203.0.113.5"]), 2), None);
        assert_eq!(forwarded_client(&HeaderMap::new(), 1), None);
        assert_eq!(forwarded_client(&xff(&["1.1.1.1, not-an-ip"]), 1), None);
        assert_eq!(forwarded_client(&xff(&[""]), 1), None);
    }
}
