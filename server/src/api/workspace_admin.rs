//! `/api/v1/admin/workspaces`: the workspaces an admin oversees (owner, size, JupyterLab; never
//! files) and stopping one's JupyterLab.

use axum::extract::State;
use entity::workspace::{WorkspaceRow, WorkspaceTotals};
use entity::Page;
use serde::Serialize;
use utoipa::ToSchema;

use super::openapi::{Forbidden, Id, Invalid, NotFound};
use super::workspaces::Paging;
use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

/// A page of workspaces (the caller's company's; every one for the platform admin), newest
/// first, with totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkspaceOverview {
    #[serde(flatten)]
    pub page: Page<WorkspaceRow>,
    pub totals: WorkspaceTotals,
}

#[utoipa::path(get, path = "/admin/workspaces", tag = "workspaces", security(("bearer" = [])), params(Paging),
    responses((status = 200, body = WorkspaceOverview), Forbidden, Invalid))]
pub async fn list_all_workspaces(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<Paging>,
) -> Result<ApiJson<WorkspaceOverview>, ApiError> {
    let req = super::page_request(p.page, p.per_page)?;
    let ctx = &state.ctx;
    let page = service::workspaces::admin::list(ctx, Some(&actor), req).await?;
    let totals = service::workspaces::admin::totals(ctx, Some(&actor)).await?;
    Ok(ApiJson(WorkspaceOverview { page, totals }))
}

/// Stops the workspace's JupyterLab (the server gets a few seconds to shut down, then its
/// process group is ended); nothing when it is not running. A workspace of another company is
/// 404.
#[utoipa::path(post, path = "/admin/workspaces/{id}/jupyter/stop", tag = "workspaces",
    security(("bearer" = [])), params(Id),
    responses((status = 200, body = WorkspaceRow), Forbidden, NotFound))]
pub async fn stop_workspace_jupyter(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<WorkspaceRow>, ApiError> {
    Ok(ApiJson(
        service::workspaces::admin::stop_jupyter(&state.ctx, Some(&actor), id).await?,
    ))
}
