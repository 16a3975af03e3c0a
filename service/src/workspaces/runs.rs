//! Notebook runs: an ordered list of notebooks executed headless in the workspace (its root is
//! the working directory), outputs saved back into each notebook so the next step reads what
//! the last one wrote. A run is a job; its record keeps per-notebook, per-cell progress.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use entity::notebook_run::{self, Run, RunNotebook};
use entity::{Page, PageRequest};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;

use super::runner::{self, RunEnd, RunEvent};
use super::{blocking, open, paths, store};
use crate::{jobs, Actor, Ctx, Result, ServiceError};

/// Notebooks one run may chain.
const MAX_NOTEBOOKS: usize = 20;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RunInput {
    /// Paths from the workspace root, run in this order.
    pub notebooks: Vec<String>,
}

fn to_run(row: notebook_run::Model) -> Run {
    Run {
        id: row.id,
        status: row.status,
        notebooks: serde_json::from_str(&row.notebooks).unwrap_or_default(),
        created_at: row.created_at,
        started_at: row.started_at,
        finished_at: row.finished_at,
    }
}

/// Checks the list (each a notebook file in the workspace), records the run and queues it.
pub async fn start(
    ctx: &Ctx,
    actor: Option<&Actor>,
    workspace_id: i32,
    input: RunInput,
) -> Result<Run> {
    let ws = open(ctx, actor, workspace_id).await?;
    if input.notebooks.is_empty() || input.notebooks.len() > MAX_NOTEBOOKS {
        return Err(ServiceError::invalid(
            "notebooks",
            "notebooks_count",
            format!("choose from 1 to {MAX_NOTEBOOKS} notebooks"),
        ));
    }
    let mut checked = Vec::new();
    let mut problems = crate::error::Problems::default();
    for (i, raw) in input.notebooks.iter().enumerate() {
        let field = format!("notebooks[{i}]");
        match paths::check(&field, raw) {
            Ok(rel) if rel.as_str().ends_with(".ipynb") => checked.push(rel),
            Ok(_) => problems.add(&field, "not_a_notebook", "choose .ipynb files"),
            Err(e) => problems.push(e),
        }
    }
    problems.into_result()?;
    let root = ws.root.clone();
    let probe = checked.clone();
    blocking(move || {
        let dir = store::open_root(&root).map_err(|e| ServiceError::Internal(e.to_string()))?;
        for (i, rel) in probe.iter().enumerate() {
            let meta = dir
                .metadata(rel.fs())
                .map_err(|e| super::files::fs_error(&format!("notebooks[{i}]"), e))?;
            if !meta.is_file() {
                return Err(ServiceError::invalid(
                    &format!("notebooks[{i}]"),
                    "not_a_notebook",
                    "choose .ipynb files",
                ));
            }
        }
        Ok(())
    })
    .await?;
    let notebooks: Vec<RunNotebook> = checked
        .iter()
        .map(|rel| RunNotebook {
            path: rel.as_str().to_owned(),
            status: "queued".into(),
            cells_done: 0,
            cells_total: 0,
            failed_cell: None,
            error: None,
        })
        .collect();
    let row = notebook_run::ActiveModel {
        workspace_id: Set(workspace_id),
        user_id: Set(ws.workspace.user_id),
        status: Set("queued".into()),
        notebooks: Set(serde_json::to_string(&notebooks).unwrap_or_default()),
        created_at: Set(Utc::now()),
        started_at: Set(None),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?;
    jobs::enqueue(ctx, jobs::NOTEBOOK_RUN, row.id).await?;
    Ok(to_run(row))
}

/// The workspace's runs, newest first.
pub async fn list(
    ctx: &Ctx,
    actor: Option<&Actor>,
    workspace_id: i32,
    req: PageRequest,
) -> Result<Page<Run>> {
    open(ctx, actor, workspace_id).await?;
    let page = crate::db::page(
        ctx,
        notebook_run::Entity::find()
            .filter(notebook_run::Column::WorkspaceId.eq(workspace_id))
            .order_by_desc(notebook_run::Column::Id),
        req,
    )
    .await?;
    let items = page.items.iter().cloned().map(to_run).collect();
    Ok(page.with(items).creatable(true))
}

pub async fn get(ctx: &Ctx, actor: Option<&Actor>, workspace_id: i32, run_id: i32) -> Result<Run> {
    open(ctx, actor, workspace_id).await?;
    notebook_run::Entity::find_by_id(run_id)
        .filter(notebook_run::Column::WorkspaceId.eq(workspace_id))
        .one(&ctx.db)
        .await?
        .map(to_run)
        .ok_or(ServiceError::NotFound { what: "run" })
}

/// Applies one event from the runner to the progress.
fn apply(progress: &mut [RunNotebook], event: RunEvent) {
    let find = |p: &mut [RunNotebook], path: &str| p.iter().position(|n| n.path == path);
    match event {
        RunEvent::Started { path, cells_total } => {
            if let Some(i) = find(progress, &path) {
                progress[i].status = "running".into();
                progress[i].cells_total = cells_total;
            }
        }
        RunEvent::Cell { path, cells_done } => {
            if let Some(i) = find(progress, &path) {
                progress[i].cells_done = cells_done;
            }
        }
        RunEvent::Done { path } => {
            if let Some(i) = find(progress, &path) {
                progress[i].status = "succeeded".into();
                progress[i].cells_done = progress[i].cells_total;
            }
        }
        RunEvent::Failed { path, cell, error } => {
            if let Some(i) = find(progress, &path) {
                progress[i].status = "failed".into();
                progress[i].failed_cell = cell;
                progress[i].error = Some(error);
            }
        }
    }
}

async fn save(
    ctx: &Ctx,
    run_id: i32,
    progress: &[RunNotebook],
    status: Option<&str>,
) -> Result<()> {
    let mut update = notebook_run::Entity::update_many()
        .col_expr(
            notebook_run::Column::Notebooks,
            sea_orm::sea_query::Expr::value(serde_json::to_string(progress).unwrap_or_default()),
        )
        .filter(notebook_run::Column::Id.eq(run_id));
    if let Some(status) = status {
        update = update.col_expr(
            notebook_run::Column::Status,
            sea_orm::sea_query::Expr::value(status),
        );
        if status == "running" {
            update = update.col_expr(
                notebook_run::Column::StartedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            );
        } else {
            update = update.col_expr(
                notebook_run::Column::FinishedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            );
        }
    }
    update.exec(&ctx.db).await?;
    Ok(())
}

/// The run job: execute, writing progress down as it comes (at most twice a second).
pub(crate) async fn perform(
    ctx: &Ctx,
    job: &entity::job::Model,
) -> std::result::Result<(), String> {
    let err = |e: ServiceError| e.to_string();
    let Some(row) = notebook_run::Entity::find_by_id(job.subject_id)
        .one(&ctx.db)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(()); // its workspace was deleted
    };
    let Some(ws) = entity::workspace::Entity::find_by_id(row.workspace_id)
        .one(&ctx.db)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    let initial: Vec<RunNotebook> = serde_json::from_str(&row.notebooks).unwrap_or_default();
    let paths: Vec<String> = initial.iter().map(|n| n.path.clone()).collect();
    save(ctx, row.id, &initial, Some("running"))
        .await
        .map_err(err)?;
    let progress = Arc::new(Mutex::new(initial));
    let (changed_tx, mut changed_rx) = tokio::sync::watch::channel(());
    let writer = {
        let ctx = ctx.clone();
        let progress = progress.clone();
        let run_id = row.id;
        tokio::spawn(async move {
            while changed_rx.changed().await.is_ok() {
                let snapshot = progress.lock().map(|p| p.clone()).unwrap_or_default();
                let _ = save(&ctx, run_id, &snapshot, None).await;
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
        })
    };
    let root = store::workspace_root(&ctx.settings.data_dir, ws.user_id, ws.id);
    let sink = progress.clone();
    let end = runner::execute(
        &ctx.settings.workspaces.jupyter,
        &root,
        &paths,
        ctx.settings.workspaces.run_limit,
        move |event| {
            if let Ok(mut p) = sink.lock() {
                apply(&mut p, event);
            }
            let _ = changed_tx.send(());
        },
    )
    .await;
    writer.abort();
    let mut last = progress.lock().map(|p| p.clone()).unwrap_or_default();
    let (status, outcome) = match end {
        RunEnd::Succeeded => ("succeeded", Ok(())),
        RunEnd::Failed { path, error, .. } => ("failed", Err(format!("{path}: {error}"))),
        RunEnd::TimedOut => (
            "failed",
            Err("the run took longer than its time limit".into()),
        ),
        RunEnd::Crashed(why) => ("failed", Err(why)),
    };
    if let Err(why) = &outcome {
        for n in last.iter_mut() {
            match n.status.as_str() {
                "running" => {
                    n.status = "failed".into();
                    n.error.get_or_insert_with(|| why.clone());
                }
                "queued" => n.status = "skipped".into(),
                _ => {}
            }
        }
    }
    save(ctx, row.id, &last, Some(status)).await.map_err(err)?;
    outcome
}
