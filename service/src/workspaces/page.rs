//! What the browser's workspace pages show, gathered in one call each (one round trip per
//! page render).

use entity::workspace::{WorkspaceList, WorkspaceView};
use entity::PageRequest;

use super::files::{self, SortBy};
use super::{get, list, runs, usage};
use crate::{Actor, Ctx, Result};

/// How many runs the page lists.
const RECENT_RUNS: u64 = 10;

pub async fn list_page(ctx: &Ctx, actor: Option<&Actor>) -> Result<WorkspaceList> {
    let page = list(ctx, actor, PageRequest::new(Some(1), Some(100))).await?;
    Ok(WorkspaceList {
        items: page.items,
        usage: usage(ctx, actor).await?,
    })
}

pub struct ViewQuery {
    pub path: String,
    pub sort: SortBy,
    pub descending: bool,
    /// A file to preview.
    pub file: Option<String>,
}

pub async fn view_page(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    q: ViewQuery,
) -> Result<WorkspaceView> {
    let workspace = get(ctx, actor, id).await?;
    let listing = files::list(ctx, actor, id, &q.path, q.sort, q.descending).await?;
    let preview = match q.file.as_deref().filter(|f| !f.is_empty()) {
        Some(file) => {
            let shown = files::preview(ctx, actor, id, file).await?;
            let entry = files::entry(ctx, actor, id, file).await?;
            Some((entry, shown))
        }
        None => None,
    };
    let notebooks = files::list(ctx, actor, id, "notebooks", SortBy::Name, false)
        .await
        .map(|l| {
            l.entries
                .into_iter()
                .filter(|e| !e.is_dir() && e.name.ends_with(".ipynb"))
                .map(|e| e.path)
                .collect()
        })
        .unwrap_or_default();
    Ok(WorkspaceView {
        workspace,
        listing,
        preview,
        jupyter: crate::jupyter::status(ctx, actor, id).await?,
        runs: runs::list(ctx, actor, id, PageRequest::new(Some(1), Some(RECENT_RUNS)))
            .await?
            .items,
        notebooks,
        folders: files::folders(ctx, actor, id).await?,
        usage: usage(ctx, actor).await?,
    })
}
