//! Personal data-analysis workspaces: a folder tree per workspace under the data dir, the
//! files in it, previews, and notebook runs. Only the owner opens one; someone else's is "not
//! found", never "forbidden", so its existence is not revealed.

pub mod admin;
pub mod bulk;
pub mod files;
pub mod moves;
pub mod page;
pub mod paths;
pub mod preview;
pub mod runner;
pub mod runs;
pub mod store;
pub mod upload;
pub mod welcome;

use std::path::PathBuf;

use chrono::Utc;
use entity::workspace::{self, Usage, Workspace};
use entity::{Page, PageRequest};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::Deserialize;

use crate::policy::{self, Action};
use crate::{Actor, Ctx, Result, ServiceError};

const NAME_MAX: usize = 100;
const DESCRIPTION_MAX: usize = 2000;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct WorkspaceInput {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// Only what is given changes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct WorkspacePatch {
    pub name: Option<String>,
    pub description: Option<String>,
}

/// A workspace its owner opened: the record and where its files are.
pub struct Opened {
    pub workspace: workspace::Model,
    pub root: PathBuf,
}

/// The caller's workspace `id`, or "not found" for anyone else's.
pub async fn open(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<Opened> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let not_found = ServiceError::NotFound { what: "workspace" };
    let ws = workspace::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or(not_found.clone())?;
    let rule = Action::UseWorkspace {
        company: me.user.company_id,
        owner: ws.user_id,
    };
    if !policy::allowed(Some(me.into()), rule) {
        return Err(not_found);
    }
    Ok(Opened {
        root: store::workspace_root(&ctx.settings.data_dir, ws.user_id, ws.id),
        workspace: ws,
    })
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    let mut problems = crate::error::Problems::default();
    problems.line("name", name, true, NAME_MAX);
    if name.contains('/') || name.contains('\\') {
        problems.add("name", "invalid_name", "a name cannot hold / or \\");
    }
    problems.into_result()?;
    Ok(name.to_owned())
}

fn check_description(text: &str) -> Result<String> {
    let text = text.trim();
    let mut problems = crate::error::Problems::default();
    problems.text("description", text, false, DESCRIPTION_MAX);
    problems.into_result()?;
    Ok(text.to_owned())
}

fn name_taken() -> ServiceError {
    ServiceError::Conflict(entity::FieldError::new(
        "name",
        "name_taken",
        "you already have a workspace with that name",
    ))
}

async fn ensure_name_free(ctx: &Ctx, user_id: i32, name: &str, except: i32) -> Result<()> {
    let taken = workspace::Entity::find()
        .filter(workspace::Column::UserId.eq(user_id))
        .filter(workspace::Column::Name.eq(name))
        .filter(workspace::Column::Id.ne(except))
        .one(&ctx.db)
        .await?;
    match taken {
        Some(_) => Err(name_taken()),
        None => Ok(()),
    }
}

/// Bytes on disk and the Jupyter state, as every door shows a workspace.
pub async fn view(ctx: &Ctx, ws: workspace::Model) -> Result<Workspace> {
    let root = store::workspace_root(&ctx.settings.data_dir, ws.user_id, ws.id);
    let size_bytes = blocking(move || Ok(store::usage(&root))).await?;
    let jupyter = crate::jupyter::state_of(ctx, ws.id).await?;
    Ok(Workspace {
        id: ws.id,
        name: ws.name,
        description: ws.description,
        created_at: ws.created_at,
        updated_at: ws.updated_at,
        size_bytes,
        jupyter,
    })
}

/// A new workspace with its folders and the welcome notebooks (in `korean` or English).
pub async fn create(
    ctx: &Ctx,
    actor: Option<&Actor>,
    input: WorkspaceInput,
    korean: bool,
) -> Result<Workspace> {
    let me = policy::require(actor, Action::CreateWorkspace)?;
    let name = check_name(&input.name);
    let description = check_description(input.description.as_deref().unwrap_or(""));
    let (name, description) = match (name, description) {
        (Ok(n), Ok(d)) => (n, d),
        (a, b) => {
            let mut all = a.err().map(|e| e.fields()).unwrap_or_default();
            all.extend(b.err().map(|e| e.fields()).unwrap_or_default());
            return Err(ServiceError::Invalid(all));
        }
    };
    ensure_name_free(ctx, me.id(), &name, 0).await?;
    let now = Utc::now();
    let ws = workspace::ActiveModel {
        user_id: Set(me.id()),
        name: Set(name),
        description: Set(description),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await
    .map_err(|e| match ServiceError::from(e) {
        ServiceError::Conflict(_) => name_taken(),
        other => other,
    })?;
    let root = store::workspace_root(&ctx.settings.data_dir, ws.user_id, ws.id);
    let files = welcome::files(korean);
    let laid = blocking(move || {
        store::lay_out(&root, &files).map_err(|e| ServiceError::Internal(e.to_string()))
    })
    .await;
    if let Err(e) = laid {
        // Nothing half-made stays: no row without its folder.
        workspace::Entity::delete_by_id(ws.id).exec(&ctx.db).await?;
        return Err(e);
    }
    view(ctx, ws).await
}

/// The caller's workspaces by name.
pub async fn list(ctx: &Ctx, actor: Option<&Actor>, req: PageRequest) -> Result<Page<Workspace>> {
    let me = policy::require(actor, Action::CreateWorkspace)?;
    let page = crate::db::page(
        ctx,
        workspace::Entity::find()
            .filter(workspace::Column::UserId.eq(me.id()))
            .order_by_asc(workspace::Column::Name)
            .order_by_asc(workspace::Column::Id),
        req,
    )
    .await?;
    let mut items = Vec::with_capacity(page.items.len());
    for ws in page.items.iter().cloned() {
        items.push(view(ctx, ws).await?);
    }
    Ok(page.with(items).creatable(true))
}

pub async fn get(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<Workspace> {
    let opened = open(ctx, actor, id).await?;
    view(ctx, opened.workspace).await
}

pub async fn update(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    patch: WorkspacePatch,
) -> Result<Workspace> {
    let opened = open(ctx, actor, id).await?;
    let ws = opened.workspace;
    let name = patch.name.as_deref().map(check_name).transpose();
    let description = patch
        .description
        .as_deref()
        .map(check_description)
        .transpose();
    let (name, description) = match (name, description) {
        (Ok(n), Ok(d)) => (n, d),
        (a, b) => {
            let mut all = a.err().map(|e| e.fields()).unwrap_or_default();
            all.extend(b.err().map(|e| e.fields()).unwrap_or_default());
            return Err(ServiceError::Invalid(all));
        }
    };
    if let Some(name) = &name {
        ensure_name_free(ctx, ws.user_id, name, ws.id).await?;
    }
    let mut active = ws.into_active_model();
    if let Some(name) = name {
        active.name = Set(name);
    }
    if let Some(description) = description {
        active.description = Set(description);
    }
    active.updated_at = Set(Utc::now());
    let ws = active
        .update(&ctx.db)
        .await
        .map_err(|e| match ServiceError::from(e) {
            ServiceError::Conflict(_) => name_taken(),
            other => other,
        })?;
    view(ctx, ws).await
}

/// Stops the workspace's Jupyter server, then removes its rows (runs, server record) and every
/// file. The files go last: if removing them fails, what is left has no row pointing at it and
/// is reported, not hidden.
pub async fn delete(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<()> {
    let opened = open(ctx, actor, id).await?;
    crate::jupyter::stop_now(ctx, id).await?;
    // The server record and the runs go with the row (foreign keys cascade); a queued run's job
    // finds its run gone and ends.
    workspace::Entity::delete_by_id(id).exec(&ctx.db).await?;
    let root = opened.root;
    blocking(move || match std::fs::remove_dir_all(&root) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(ServiceError::Internal(format!(
            "removing {}: {e}",
            root.display()
        ))),
    })
    .await
}

/// Deletes the workspace once the person typed its name, as the page asks before anything so
/// final (the API's DELETE is the integration's own decision).
pub async fn delete_confirmed(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    typed_name: &str,
) -> Result<()> {
    let opened = open(ctx, actor, id).await?;
    if typed_name.trim() != opened.workspace.name {
        return Err(ServiceError::invalid(
            "confirm",
            "confirm_mismatch",
            "type the workspace's name to delete it",
        ));
    }
    delete(ctx, actor, id).await
}

/// What the caller's workspaces take against their quota.
pub async fn usage(ctx: &Ctx, actor: Option<&Actor>) -> Result<Usage> {
    let me = policy::require(actor, Action::CreateWorkspace)?;
    let root = store::user_root(&ctx.settings.data_dir, me.id());
    let used_bytes = blocking(move || Ok(store::usage(&root))).await?;
    Ok(Usage {
        used_bytes,
        quota_bytes: ctx.settings.workspaces.quota_bytes,
    })
}

/// Runs blocking file work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ServiceError::Internal(format!("file task: {e}")))?
}
