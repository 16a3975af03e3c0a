//! `/api/v1/workspaces`: the caller's workspaces, their Jupyter servers and notebook runs. Files
//! are in `workspace_files`. Someone else's workspace is 404, never 403.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use entity::jupyter::JupyterStatus;
use entity::notebook_run::Run;
use entity::workspace::{Usage, Workspace};
use entity::Page;
use serde::{Deserialize, Serialize};
use service::workspaces::runs::RunInput;
use service::workspaces::{WorkspaceInput, WorkspacePatch};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{Conflict, Id, Invalid, NotFound};
use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// 1-based (default 1)
    #[param(minimum = 1)]
    pub page: Option<i64>,
    /// At most 100 (default 20)
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

/// A page of the caller's workspaces, and how much of their quota all of them use.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkspaceList {
    #[serde(flatten)]
    pub page: Page<Workspace>,
    pub usage: Usage,
}

/// `/workspaces/{id}/runs/{run_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct WorkspaceRun {
    /// The workspace's id
    pub id: i32,
    /// The id of one of its runs
    pub run_id: i32,
}

/// Whether new workspaces' welcome notebooks are in Korean: the caller's language.
fn korean(headers: &HeaderMap) -> bool {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    app::prefs::Prefs::from_headers(header(header::COOKIE), header(header::ACCEPT_LANGUAGE)).locale
        == app::prefs::Locale::Ko
}

/// The caller's workspaces by name, with their usage of the quota.
#[utoipa::path(get, path = "/workspaces", tag = "workspaces", security(("bearer" = [])), params(Paging),
    responses((status = 200, body = WorkspaceList), Invalid))]
pub async fn list_workspaces(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<Paging>,
) -> Result<ApiJson<WorkspaceList>, ApiError> {
    let req = super::page_request(p.page, p.per_page)?;
    let page = service::workspaces::list(&state.ctx, Some(&actor), req).await?;
    let usage = service::workspaces::usage(&state.ctx, Some(&actor)).await?;
    Ok(ApiJson(WorkspaceList { page, usage }))
}

/// A new workspace with `notebooks/`, `data/`, `outputs/` and welcome notebooks in the caller's
/// language (Accept-Language).
#[utoipa::path(post, path = "/workspaces", tag = "workspaces", security(("bearer" = [])), request_body = WorkspaceInput,
    responses((status = 201, body = Workspace), Conflict, Invalid))]
pub async fn create_workspace(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    headers: HeaderMap,
    ApiJson(body): ApiJson<WorkspaceInput>,
) -> Result<impl IntoResponse, ApiError> {
    let created =
        service::workspaces::create(&state.ctx, Some(&actor), body, korean(&headers)).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

#[utoipa::path(get, path = "/workspaces/{id}", tag = "workspaces", security(("bearer" = [])), params(Id),
    responses((status = 200, body = Workspace), NotFound))]
pub async fn get_workspace(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<Workspace>, ApiError> {
    Ok(ApiJson(
        service::workspaces::get(&state.ctx, Some(&actor), id).await?,
    ))
}

/// Rename or describe a workspace.
#[utoipa::path(patch, path = "/workspaces/{id}", tag = "workspaces", security(("bearer" = [])), params(Id),
    request_body = WorkspacePatch, responses((status = 200, body = Workspace), NotFound, Conflict, Invalid))]
pub async fn update_workspace(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<WorkspacePatch>,
) -> Result<ApiJson<Workspace>, ApiError> {
    Ok(ApiJson(
        service::workspaces::update(&state.ctx, Some(&actor), id, body).await?,
    ))
}

/// Stops its Jupyter server, then deletes the workspace with every file and run.
#[utoipa::path(delete, path = "/workspaces/{id}", tag = "workspaces", security(("bearer" = [])), params(Id),
    responses((status = 204, description = "Deleted"), NotFound))]
pub async fn delete_workspace(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<StatusCode, ApiError> {
    service::workspaces::delete(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The workspace's JupyterLab: its state, where it opens, and the steps of its last start.
#[utoipa::path(get, path = "/workspaces/{id}/jupyter", tag = "workspaces", security(("bearer" = [])), params(Id),
    responses((status = 200, body = JupyterStatus), NotFound))]
pub async fn get_jupyter(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<JupyterStatus>, ApiError> {
    Ok(ApiJson(
        service::jupyter::status(&state.ctx, Some(&actor), id).await?,
    ))
}

/// Starts JupyterLab: answers at once (`starting`); poll until `running` or `failed`.
#[utoipa::path(post, path = "/workspaces/{id}/jupyter", tag = "workspaces", security(("bearer" = [])), params(Id),
    responses((status = 202, body = JupyterStatus), NotFound, Conflict))]
pub async fn start_jupyter(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<impl IntoResponse, ApiError> {
    let status = service::jupyter::start(&state.ctx, Some(&actor), id).await?;
    Ok((StatusCode::ACCEPTED, ApiJson(status)))
}

/// Stops JupyterLab (its kernels and terminals with it).
#[utoipa::path(delete, path = "/workspaces/{id}/jupyter", tag = "workspaces", security(("bearer" = [])), params(Id),
    responses((status = 202, body = JupyterStatus), NotFound))]
pub async fn stop_jupyter(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<impl IntoResponse, ApiError> {
    let status = service::jupyter::stop(&state.ctx, Some(&actor), id).await?;
    Ok((StatusCode::ACCEPTED, ApiJson(status)))
}

/// The workspace's notebook runs, newest first.
#[utoipa::path(get, path = "/workspaces/{id}/runs", tag = "workspaces", security(("bearer" = [])), params(Id, Paging),
    responses((status = 200, body = Page<Run>), NotFound, Invalid))]
pub async fn list_runs(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiQuery(p): ApiQuery<Paging>,
) -> Result<ApiJson<Page<Run>>, ApiError> {
    let req = super::page_request(p.page, p.per_page)?;
    Ok(ApiJson(
        service::workspaces::runs::list(&state.ctx, Some(&actor), id, req).await?,
    ))
}

/// Runs notebooks in order, headless; a failing one stops the rest. Answers at once (`queued`).
#[utoipa::path(post, path = "/workspaces/{id}/runs", tag = "workspaces", security(("bearer" = [])), params(Id),
    request_body = RunInput, responses((status = 202, body = Run), NotFound, Invalid))]
pub async fn start_run(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<RunInput>,
) -> Result<impl IntoResponse, ApiError> {
    let run = service::workspaces::runs::start(&state.ctx, Some(&actor), id, body).await?;
    Ok((StatusCode::ACCEPTED, ApiJson(run)))
}

#[utoipa::path(get, path = "/workspaces/{id}/runs/{run_id}", tag = "workspaces", security(("bearer" = [])),
    params(WorkspaceRun), responses((status = 200, body = Run), NotFound))]
pub async fn get_run(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(WorkspaceRun { id, run_id }): ApiPath<WorkspaceRun>,
) -> Result<ApiJson<Run>, ApiError> {
    Ok(ApiJson(
        service::workspaces::runs::get(&state.ctx, Some(&actor), id, run_id).await?,
    ))
}

/// Cancels a run. A queued run answers `cancelled` at once. A running one answers `running` with
/// `cancel_requested_at` set: its worker stops it (its notebook's kernel with it) within about a
/// second, then it reads `cancelled`; poll `GET …/runs/{run_id}`. Cancelling a cancelled run
/// returns it; a run that already succeeded or failed is 409 `run_finished`.
#[utoipa::path(post, path = "/workspaces/{id}/runs/{run_id}/cancel", tag = "workspaces", security(("bearer" = [])),
    params(WorkspaceRun), responses((status = 202, body = Run), NotFound, Conflict))]
pub async fn cancel_run(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(WorkspaceRun { id, run_id }): ApiPath<WorkspaceRun>,
) -> Result<impl IntoResponse, ApiError> {
    let run = service::workspaces::runs::cancel(&state.ctx, Some(&actor), id, run_id).await?;
    Ok((StatusCode::ACCEPTED, ApiJson(run)))
}
