//! Server functions for the admin overview of workspaces: the page's data and stopping someone's
//! JupyterLab. Each calls the same `service` function as its REST twin.

use entity::workspace::{WorkspaceRow, WorkspaceTotals};
use entity::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The overview's data: a page of workspaces and the totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceOverview {
    pub page: Page<WorkspaceRow>,
    pub totals: WorkspaceTotals,
}

#[server(prefix = "/api/fn", endpoint = "load_workspace_overview")]
pub async fn load_workspace_overview(page: Option<u64>) -> Result<WorkspaceOverview, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let actor = info.actor.as_ref();
    let req = entity::PageRequest::new(page, None);
    Ok(WorkspaceOverview {
        page: service::workspaces::admin::list(&ctx, actor, req).await?,
        totals: service::workspaces::admin::totals(&ctx, actor).await?,
    })
}

/// An admin's stop of workspace `id`'s JupyterLab.
#[server(prefix = "/api/fn", endpoint = "stop_workspace_jupyter")]
pub async fn stop_workspace_jupyter(id: i32) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::workspaces::admin::stop_jupyter(&ctx, info.actor.as_ref(), id).await {
        Ok(_) => {
            ssr::continue_to("/admin/workspaces");
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, "/admin/workspaces", &[])),
    }
}
