//! The browser's own doors into workspaces that are not pages: JupyterLab through the proxy,
//! and the plain upload form that works without JavaScript.

use axum::extract::{Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use crate::actor::MaybeActor;
use crate::problem::ApiError;
use crate::proxy::{self, Upstream};
use crate::state::AppState;

fn wants_html(req_headers: &axum::http::HeaderMap) -> bool {
    req_headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// `/jupyter/<id>/…`: the owner's JupyterLab, HTTP and WebSocket, with the token added here.
/// A page asked for while signed out goes to the sign-in; one whose server is not running goes
/// to the workspace page (where it can be started).
pub async fn jupyter(
    State(state): State<AppState>,
    Path(params): Path<Vec<(String, String)>>,
    MaybeActor(actor): MaybeActor,
    req: Request,
) -> Response {
    let Some(id) = params
        .iter()
        .find(|(k, _)| k == "id")
        .and_then(|(_, v)| v.parse::<i32>().ok())
    else {
        return crate::problem::api_not_found().await.into_response();
    };
    // Jupyter trusts nuri's token and skips its own origin check, so the check is here: a page
    // of another site must not open a kernel's socket with the reader's cookie (the same-origin
    // layer covers the other methods; a WebSocket handshake is a GET).
    let upgrade = req
        .headers()
        .get(header::UPGRADE)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"));
    if upgrade && crate::security::is_cross_origin(req.headers(), state.config.trust_proxy) {
        return ApiError::new(
            entity::ErrorKind::Forbidden,
            "cross_origin",
            "cross-origin requests are not allowed",
        )
        .into_response();
    }
    let html = wants_html(req.headers());
    if actor.is_none() && html {
        let next = req.uri().path().to_owned();
        return Redirect::to(&format!("/login?next={}", urlencode(&next))).into_response();
    }
    match service::jupyter::upstream(&state.ctx, actor.as_ref(), id).await {
        Ok((port, token)) => proxy::forward(Upstream { port, token }, req).await,
        Err(service::ServiceError::Unavailable(_)) if html => {
            Redirect::to(&format!("/workspaces/{id}")).into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `POST /workspaces/<id>/upload?path=<folder>`: the file browser's plain form (no JavaScript).
/// Back to the folder with a note of what was saved, or of why not.
pub async fn upload_form(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    MaybeActor(actor): MaybeActor,
    axum::extract::Query(q): axum::extract::Query<FolderQuery>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Some(actor) = actor else {
        return Redirect::to(&format!("/login?next=/workspaces/{id}")).into_response();
    };
    let page = format!("/workspaces/{id}");
    let result = match multipart {
        Ok(mut multipart) => {
            crate::api::workspace_files::receive_parts(&state, &actor, id, &q.path, &mut multipart)
                .await
        }
        Err(e) => Err(service::ServiceError::invalid(
            "file",
            "upload_incomplete",
            e.body_text(),
        )),
    };
    match result {
        Ok(entries) => Redirect::to(&format!(
            "{page}?path={}&uploaded={}",
            urlencode(&q.path),
            entries.len()
        ))
        .into_response(),
        // Not theirs (or gone): the same 404 as every other door.
        Err(e @ service::ServiceError::NotFound { what: "workspace" }) => {
            ApiError::from(e).into_response()
        }
        Err(e) => {
            let err = app::error::AppError::from(e);
            let url = app::form_state::error_url(&page, &err, &[("path", &q.path)]);
            (StatusCode::SEE_OTHER, [(header::LOCATION, url)]).into_response()
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct FolderQuery {
    #[serde(default)]
    pub path: String,
}
