//! The admin overview: every workspace of the people an admin oversees, with its owner, size
//! and JupyterLab (never its files), and stopping a JupyterLab that should not run — the lever
//! an admin needs when a server holds memory or a port it should not.

use std::collections::HashMap;

use entity::workspace::{self, WorkspaceRow, WorkspaceTotals};
use entity::{jupyter, user, Page, PageRequest};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Select};

use super::{blocking, store};
use crate::policy::{self, Action, Caller};
use crate::{Actor, Ctx, Result, ServiceError};

/// The workspaces the caller oversees: all for the platform admin, their company's people's for
/// an admin.
fn overseen(actor: Option<&Actor>) -> Result<Select<workspace::Entity>> {
    let me = policy::require(
        actor,
        Action::ManageWorkspaces(actor.and_then(|a| a.user.company_id)),
    )?;
    let select = workspace::Entity::find();
    if Caller::from(me).platform_admin {
        return Ok(select);
    }
    let people = Query::select()
        .column(user::Column::Id)
        .from(user::Entity)
        .and_where(Expr::col(user::Column::CompanyId).eq(me.user.company_id))
        .to_owned();
    Ok(select.filter(Expr::col(workspace::Column::UserId).in_subquery(people)))
}

/// A page of workspaces, newest first.
pub async fn list(
    ctx: &Ctx,
    actor: Option<&Actor>,
    req: PageRequest,
) -> Result<Page<WorkspaceRow>> {
    let select = overseen(actor)?
        .order_by_desc(workspace::Column::CreatedAt)
        .order_by_desc(workspace::Column::Id);
    let page = crate::db::page(ctx, select, req).await?;
    let items = rows(ctx, page.items.clone()).await?;
    Ok(page.with(items))
}

/// The rows for `items`: owners, servers and sizes read once for all of them.
async fn rows(ctx: &Ctx, items: Vec<workspace::Model>) -> Result<Vec<WorkspaceRow>> {
    let servers: HashMap<i32, jupyter::Model> = jupyter::Entity::find()
        .filter(jupyter::Column::WorkspaceId.is_in(items.iter().map(|w| w.id)))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|s| (s.workspace_id, s))
        .collect();
    let owners: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(items.iter().map(|w| w.user_id)))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    // Sizes are read from disk (what the quota counts), a page at a time.
    let data_dir = ctx.settings.data_dir.clone();
    let roots: Vec<_> = items.iter().map(|w| (w.user_id, w.id)).collect();
    let sizes = blocking(move || {
        Ok(roots
            .into_iter()
            .map(|(user, id)| store::usage(&store::workspace_root(&data_dir, user, id)))
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(items
        .into_iter()
        .zip(sizes)
        .map(|(w, size_bytes)| {
            let owner = owners.get(&w.user_id);
            let server = servers.get(&w.id);
            WorkspaceRow {
                id: w.id,
                name: w.name,
                owner_id: w.user_id,
                owner_name: owner.map(|u| u.name.clone()).unwrap_or_default(),
                owner_email: owner.map(|u| u.email.clone()).unwrap_or_default(),
                size_bytes,
                jupyter: server.map_or_else(|| "stopped".to_owned(), |s| s.state.clone()),
                jupyter_started_at: server.and_then(|s| s.started_at),
                last_activity: server.and_then(|s| s.last_activity),
                created_at: w.created_at,
            }
        })
        .collect())
}

pub async fn totals(ctx: &Ctx, actor: Option<&Actor>) -> Result<WorkspaceTotals> {
    let select = overseen(actor)?;
    let workspaces = select.clone().count(&ctx.db).await?;
    let active = Query::select()
        .column(jupyter::Column::WorkspaceId)
        .from(jupyter::Entity)
        .and_where(jupyter::Column::State.is_in(["starting", "running"]))
        .to_owned();
    let jupyter_active = select
        .filter(workspace::Column::Id.in_subquery(active))
        .count(&ctx.db)
        .await?;
    Ok(WorkspaceTotals {
        workspaces,
        jupyter_active,
    })
}

/// Stops someone's JupyterLab (as its owner's stop does: recorded, then a job); what the row
/// shows afterwards.
pub async fn stop_jupyter(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<WorkspaceRow> {
    let not_found = ServiceError::NotFound { what: "workspace" };
    let ws = workspace::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or(not_found.clone())?;
    let owner = user::Entity::find_by_id(ws.user_id).one(&ctx.db).await?;
    let company = owner.as_ref().and_then(|u| u.company_id);
    // An admin of another company learns nothing about this one.
    if !policy::allowed(actor.map(Into::into), Action::ManageWorkspaces(company)) {
        policy::require(
            actor,
            Action::ManageWorkspaces(actor.and_then(|a| a.user.company_id)),
        )?;
        return Err(not_found);
    }
    crate::jupyter::stop_of(ctx, id).await?;
    tracing::info!(
        workspace = id,
        by = actor.map_or(0, |a| a.id()),
        "an admin stopped a JupyterLab"
    );
    rows(ctx, vec![ws]).await?.pop().ok_or(not_found)
}
