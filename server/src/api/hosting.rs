//! `/api/v1/host`: the caller's hosting (the seed's contract: `POST /host`, `GET /host/my`,
//! `DELETE /host/my`, `POST /host/my/{start,stop,restart}`, `GET /host/my/events`), their SSH
//! keys, and the admin overview (`/hostings`). Operations answer 202: the work is a job, and
//! `GET /host/my` shows its progress.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use entity::hosting::{Hosting, HostingEvent, HostingRow, HostingTotal};
use entity::ssh_key::{NewSshKey, SshKey};
use entity::Page;
use serde::Serialize;
use service::hosting::{Force, Op};
use utoipa::ToSchema;

use super::openapi::{Conflict, Forbidden, Id, Invalid, NotFound, Unavailable};
use super::workspaces::Paging;
use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

fn accepted(h: Hosting) -> impl IntoResponse {
    (StatusCode::ACCEPTED, ApiJson(h))
}

/// Creates the caller's hosting: answers at once with `status: "creating"`; poll `GET /host/my`.
/// One per person (409); 503 when no hypervisor answers.
#[utoipa::path(post, path = "/host", tag = "hosting", security(("bearer" = [])),
    responses((status = 202, body = Hosting), Conflict, Unavailable))]
pub async fn create_hosting(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(accepted(
        service::hosting::create(&state.ctx, Some(&actor)).await?,
    ))
}

/// The caller's hosting, with the operation in flight and its step (404 when none).
#[utoipa::path(get, path = "/host/my", tag = "hosting", security(("bearer" = [])),
    responses((status = 200, body = Hosting), NotFound))]
pub async fn get_my_hosting(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
) -> Result<ApiJson<Hosting>, ApiError> {
    Ok(ApiJson(
        service::hosting::mine(&state.ctx, Some(&actor)).await?,
    ))
}

/// Deletes the hosting: its VM, disk, seed, web address and ports.
#[utoipa::path(delete, path = "/host/my", tag = "hosting", security(("bearer" = [])),
    responses((status = 202, body = Hosting), NotFound, Conflict))]
pub async fn delete_my_hosting(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
) -> Result<impl IntoResponse, ApiError> {
    act(state, actor, Op::Delete).await
}

async fn act(
    state: AppState,
    actor: service::Actor,
    op: Op,
) -> Result<impl IntoResponse, ApiError> {
    Ok(accepted(
        service::hosting::act(&state.ctx, Some(&actor), op).await?,
    ))
}

/// Starts a stopped hosting (or retries a failed one).
#[utoipa::path(post, path = "/host/my/start", tag = "hosting", security(("bearer" = [])),
    responses((status = 202, body = Hosting), NotFound, Conflict))]
pub async fn start_my_hosting(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
) -> Result<impl IntoResponse, ApiError> {
    act(state, actor, Op::Start).await
}

/// Shuts the VM down (gracefully, then by force after a time limit).
#[utoipa::path(post, path = "/host/my/stop", tag = "hosting", security(("bearer" = [])),
    responses((status = 202, body = Hosting), NotFound, Conflict))]
pub async fn stop_my_hosting(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
) -> Result<impl IntoResponse, ApiError> {
    act(state, actor, Op::Stop).await
}

#[utoipa::path(post, path = "/host/my/restart", tag = "hosting", security(("bearer" = [])),
    responses((status = 202, body = Hosting), NotFound, Conflict))]
pub async fn restart_my_hosting(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
) -> Result<impl IntoResponse, ApiError> {
    act(state, actor, Op::Restart).await
}

/// Creates again a hosting whose create failed (or starts it if its VM is still there).
#[utoipa::path(post, path = "/host/my/retry", tag = "hosting", security(("bearer" = [])),
    responses((status = 202, body = Hosting), NotFound, Conflict))]
pub async fn retry_my_hosting(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
) -> Result<impl IntoResponse, ApiError> {
    act(state, actor, Op::Create).await
}

/// Every transition of the caller's hosting, oldest first.
#[utoipa::path(get, path = "/host/my/events", tag = "hosting", security(("bearer" = [])),
    responses((status = 200, body = Vec<HostingEvent>), NotFound))]
pub async fn my_hosting_events(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
) -> Result<ApiJson<Vec<HostingEvent>>, ApiError> {
    Ok(ApiJson(
        service::hosting::events(&state.ctx, Some(&actor)).await?,
    ))
}

/// A page of hostings (the caller's company's; every one for the platform admin), newest first,
/// with totals per state.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostingList {
    #[serde(flatten)]
    pub page: Page<HostingRow>,
    pub totals: Vec<HostingTotal>,
}

#[utoipa::path(get, path = "/hostings", tag = "hosting", security(("bearer" = [])), params(Paging),
    responses((status = 200, body = HostingList), Forbidden, Invalid))]
pub async fn list_hostings(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<Paging>,
) -> Result<ApiJson<HostingList>, ApiError> {
    let req = super::page_request(p.page, p.per_page)?;
    let page = service::hosting::list(&state.ctx, Some(&actor), req).await?;
    let totals = service::hosting::totals(&state.ctx, Some(&actor)).await?;
    Ok(ApiJson(HostingList { page, totals }))
}

/// An admin's delete: whatever the hosting is doing, it goes (202).
#[utoipa::path(delete, path = "/hostings/{id}", tag = "hosting", security(("bearer" = [])), params(Id),
    responses((status = 202, body = HostingRow), Forbidden, NotFound, Conflict))]
pub async fn force_delete_hosting(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<impl IntoResponse, ApiError> {
    let row = service::hosting::force(&state.ctx, Some(&actor), id, Force::Delete).await?;
    Ok((StatusCode::ACCEPTED, ApiJson(row)))
}

/// An admin's stop: the VM is stopped at once, without a graceful shutdown.
#[utoipa::path(post, path = "/hostings/{id}/stop", tag = "hosting", security(("bearer" = [])), params(Id),
    responses((status = 200, body = HostingRow), Forbidden, NotFound, Conflict))]
pub async fn force_stop_hosting(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<HostingRow>, ApiError> {
    Ok(ApiJson(
        service::hosting::force(&state.ctx, Some(&actor), id, Force::Stop).await?,
    ))
}

/// The caller's SSH public keys (their hosting's guest gets them when it is created).
#[utoipa::path(get, path = "/account/ssh-keys", tag = "hosting", security(("bearer" = [])),
    responses((status = 200, body = Vec<SshKey>)))]
pub async fn list_ssh_keys(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
) -> Result<ApiJson<Vec<SshKey>>, ApiError> {
    Ok(ApiJson(
        service::ssh_keys::list(&state.ctx, Some(&actor)).await?,
    ))
}

/// Adds one line of an `id_*.pub` file; 422 when it is not a valid public key.
#[utoipa::path(post, path = "/account/ssh-keys", tag = "hosting", security(("bearer" = [])),
    request_body = NewSshKey, responses((status = 201, body = SshKey), Conflict, Invalid))]
pub async fn add_ssh_key(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiJson(body): ApiJson<NewSshKey>,
) -> Result<impl IntoResponse, ApiError> {
    let key = service::ssh_keys::add(&state.ctx, Some(&actor), body).await?;
    Ok((StatusCode::CREATED, ApiJson(key)))
}

#[utoipa::path(delete, path = "/account/ssh-keys/{id}", tag = "hosting", security(("bearer" = [])), params(Id),
    responses((status = 204, description = "Removed"), NotFound))]
pub async fn delete_ssh_key(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<StatusCode, ApiError> {
    service::ssh_keys::delete(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
