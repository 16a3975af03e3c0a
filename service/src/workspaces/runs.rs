//! Notebook runs: an ordered list of notebooks executed headless in the workspace (its root is
//! the working directory), outputs saved back into each notebook so the next step reads what
//! the last one wrote. A run is a job; its record keeps per-notebook, per-cell progress.
//!
//! Cancelling: a queued run is cancelled at once (its job, when claimed, finds nothing to do).
//! A running one gets `cancel_requested_at` in its row; the worker running it, on whichever
//! replica, polls the row, drops the runner (which kills its process groups) and records
//! `cancelled`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use entity::notebook_run::{self, Run, RunNotebook};
use entity::{FieldError, Page, PageRequest};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;

use super::runner::{self, RunEnd, RunEvent};
use super::{blocking, open, paths, store};
use crate::{jobs, Actor, Ctx, Result, ServiceError};

/// Notebooks one run may chain.
const MAX_NOTEBOOKS: usize = 20;
/// How often a running run's worker looks for a cancel request in the database.
const CANCEL_POLL: Duration = Duration::from_secs(1);

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
        cancel_requested_at: row.cancel_requested_at,
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
        cancel_requested_at: Set(None),
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
    find(ctx, workspace_id, run_id).await.map(to_run)
}

async fn find(ctx: &Ctx, workspace_id: i32, run_id: i32) -> Result<notebook_run::Model> {
    notebook_run::Entity::find_by_id(run_id)
        .filter(notebook_run::Column::WorkspaceId.eq(workspace_id))
        .one(&ctx.db)
        .await?
        .ok_or(ServiceError::NotFound { what: "run" })
}

/// Cancels a run: a queued one at once (`cancelled`), a running one by asking its worker, which
/// stops it within about a second (until then it reads `running` with `cancel_requested_at`).
/// A cancelled run stays so (asking again returns it); a finished one is a conflict.
pub async fn cancel(
    ctx: &Ctx,
    actor: Option<&Actor>,
    workspace_id: i32,
    run_id: i32,
) -> Result<Run> {
    open(ctx, actor, workspace_id).await?;
    // Each change is conditional on the status read, so a worker taking the run meanwhile is
    // seen on the next look: queued → running → finished takes at most three looks.
    for _ in 0..3 {
        let row = find(ctx, workspace_id, run_id).await?;
        let now = Utc::now();
        match row.status.as_str() {
            "cancelled" => return Ok(to_run(row)),
            "running" if row.cancel_requested_at.is_some() => return Ok(to_run(row)),
            "queued" => {
                let mut notebooks: Vec<RunNotebook> =
                    serde_json::from_str(&row.notebooks).unwrap_or_default();
                mark_unfinished_cancelled(&mut notebooks);
                let json = serde_json::to_string(&notebooks).unwrap_or_default();
                let won = notebook_run::Entity::update_many()
                    .col_expr(notebook_run::Column::Status, Expr::value("cancelled"))
                    .col_expr(notebook_run::Column::FinishedAt, Expr::value(now))
                    .col_expr(notebook_run::Column::Notebooks, Expr::value(json))
                    .filter(notebook_run::Column::Id.eq(run_id))
                    .filter(notebook_run::Column::Status.eq("queued"))
                    .exec(&ctx.db)
                    .await?;
                if won.rows_affected == 1 {
                    // As stored (a database may keep times less precisely than `now`).
                    return find(ctx, workspace_id, run_id).await.map(to_run);
                }
            }
            "running" => {
                let won = notebook_run::Entity::update_many()
                    .col_expr(notebook_run::Column::CancelRequestedAt, Expr::value(now))
                    .filter(notebook_run::Column::Id.eq(run_id))
                    .filter(notebook_run::Column::Status.eq("running"))
                    .filter(notebook_run::Column::CancelRequestedAt.is_null())
                    .exec(&ctx.db)
                    .await?;
                if won.rows_affected == 1 {
                    return find(ctx, workspace_id, run_id).await.map(to_run);
                }
            }
            _ => {
                return Err(ServiceError::Conflict(FieldError::new(
                    "",
                    "run_finished",
                    format!(
                        "the run has already {}; there is nothing to cancel",
                        row.status
                    ),
                )))
            }
        }
    }
    Err(ServiceError::Conflict(FieldError::new(
        "",
        "changed_meanwhile",
        "the run changed meanwhile; look again",
    )))
}

/// What did not get to finish: the notebook cut short (it keeps its `cells_done`) and those
/// after it.
fn mark_unfinished_cancelled(notebooks: &mut [RunNotebook]) {
    for n in notebooks {
        if matches!(n.status.as_str(), "queued" | "running") {
            n.status = "cancelled".into();
        }
    }
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

/// Writes the progress down, and with `status` the run's end.
async fn save(
    ctx: &Ctx,
    run_id: i32,
    progress: &[RunNotebook],
    status: Option<&str>,
) -> Result<()> {
    let mut update = notebook_run::Entity::update_many()
        .col_expr(
            notebook_run::Column::Notebooks,
            Expr::value(serde_json::to_string(progress).unwrap_or_default()),
        )
        .filter(notebook_run::Column::Id.eq(run_id));
    if let Some(status) = status {
        update = update
            .col_expr(notebook_run::Column::Status, Expr::value(status))
            .col_expr(notebook_run::Column::FinishedAt, Expr::value(Utc::now()));
    }
    update.exec(&ctx.db).await?;
    Ok(())
}

/// Marks the run running, unless it was cancelled meanwhile (while queued, or asked to stop
/// before a retried attempt began): whether it may run.
async fn begin(ctx: &Ctx, run_id: i32, progress: &[RunNotebook]) -> Result<bool> {
    let begun = notebook_run::Entity::update_many()
        .col_expr(notebook_run::Column::Status, Expr::value("running"))
        .col_expr(notebook_run::Column::StartedAt, Expr::value(Utc::now()))
        .col_expr(
            notebook_run::Column::Notebooks,
            Expr::value(serde_json::to_string(progress).unwrap_or_default()),
        )
        .filter(notebook_run::Column::Id.eq(run_id))
        .filter(notebook_run::Column::Status.is_in(["queued", "running"]))
        .filter(notebook_run::Column::CancelRequestedAt.is_null())
        .exec(&ctx.db)
        .await?;
    Ok(begun.rows_affected == 1)
}

/// Resolves once someone asked to cancel the run (the flag is in its row, so a request made on
/// any replica counts), or once the run is gone with its workspace.
async fn cancel_requested(ctx: &Ctx, run_id: i32) {
    loop {
        tokio::time::sleep(CANCEL_POLL).await;
        let flag = notebook_run::Entity::find_by_id(run_id)
            .select_only()
            .column(notebook_run::Column::CancelRequestedAt)
            .into_tuple::<Option<chrono::DateTime<Utc>>>()
            .one(&ctx.db)
            .await;
        match flag {
            Ok(Some(None)) => {}
            Ok(_) => return,
            Err(e) => {
                tracing::warn!(run = run_id, error = %e, "could not look for a cancel request")
            }
        }
    }
}

/// Records the end of a run stopped on request: what did not finish is `cancelled`.
async fn record_cancelled(ctx: &Ctx, run_id: i32, mut progress: Vec<RunNotebook>) -> Result<()> {
    mark_unfinished_cancelled(&mut progress);
    save(ctx, run_id, &progress, Some("cancelled")).await
}

/// The run job: execute, writing progress down as it comes (at most twice a second), until it
/// ends or someone cancels it.
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
    if !begin(ctx, row.id, &initial).await.map_err(err)? {
        // Cancelled while queued: nothing to do. Asked to stop while an earlier attempt ran
        // (its worker died): it ends here.
        let now = notebook_run::Entity::find_by_id(row.id)
            .one(&ctx.db)
            .await
            .map_err(|e| e.to_string())?;
        if let Some(now) = now.filter(|r| r.status == "running") {
            let progress = serde_json::from_str(&now.notebooks).unwrap_or_default();
            record_cancelled(ctx, row.id, progress).await.map_err(err)?;
        }
        return Ok(());
    }
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
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        })
    };
    let root = store::workspace_root(&ctx.settings.data_dir, ws.user_id, ws.id);
    let sink = progress.clone();
    let execute = runner::execute(
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
    );
    // Cancelled, the runner is dropped here, which kills its process groups (script, kernels).
    let end = tokio::select! {
        end = execute => Some(end),
        () = cancel_requested(ctx, row.id) => None,
    };
    writer.abort();
    // Once it is really stopped, no late progress write can land after the last one.
    let _ = writer.await;
    let mut last = progress.lock().map(|p| p.clone()).unwrap_or_default();
    let Some(end) = end else {
        return record_cancelled(ctx, row.id, last).await.map_err(err);
    };
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
