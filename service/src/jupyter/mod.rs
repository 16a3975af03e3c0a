//! One JupyterLab server per running workspace. The record (`jupyter_server`) is the intent and
//! what is known: `starting` → `running` → `stopping` → `stopped`, or `failed` with the reason.
//! Starting and stopping are jobs (`crate::jobs`); the proxy in the server asks `upstream` where
//! to forward; `reconcile` and `cull` keep the record true to the processes.

pub mod process;
mod reconcile;

pub use reconcile::{cull, reconcile};

use std::time::Duration;

use chrono::Utc;
use entity::job;
use entity::jupyter::{self, JupyterStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::workspaces::{open, store};
use crate::{jobs, Actor, Ctx, Result, ServiceError};

/// How long a server may take to answer after it is spawned.
const READY_WITHIN: Duration = Duration::from_secs(90);
/// How long a server gets to shut down before its process group is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);
/// How often the proxy's traffic is written down as activity (not on every request).
const ACTIVITY_EVERY: chrono::Duration = chrono::Duration::seconds(30);

pub async fn state_of(ctx: &Ctx, workspace_id: i32) -> Result<String> {
    Ok(jupyter::Entity::find_by_id(workspace_id)
        .one(&ctx.db)
        .await?
        .map_or_else(|| "stopped".to_owned(), |r| r.state))
}

/// Where JupyterLab opens, through nuri.
pub fn url(workspace_id: i32) -> String {
    process::base_url(workspace_id) + "lab"
}

async fn status_of(ctx: &Ctx, workspace_id: i32) -> Result<JupyterStatus> {
    let Some(row) = jupyter::Entity::find_by_id(workspace_id)
        .one(&ctx.db)
        .await?
    else {
        return Ok(JupyterStatus {
            state: "stopped".into(),
            url: None,
            started_at: None,
            ready_at: None,
            last_activity: None,
            error: None,
            steps: Vec::new(),
        });
    };
    let steps = match row.job_id {
        Some(job_id) => jobs::steps(ctx, job_id).await?,
        None => Vec::new(),
    };
    Ok(JupyterStatus {
        url: (row.state == "running").then(|| url(workspace_id)),
        state: row.state,
        started_at: row.started_at,
        ready_at: row.ready_at,
        last_activity: row.last_activity,
        error: row.error,
        steps,
    })
}

pub async fn status(ctx: &Ctx, actor: Option<&Actor>, workspace_id: i32) -> Result<JupyterStatus> {
    open(ctx, actor, workspace_id).await?;
    status_of(ctx, workspace_id).await
}

/// Records the intent to start and queues the job; starting one that is starting or running
/// changes nothing.
pub async fn start(ctx: &Ctx, actor: Option<&Actor>, workspace_id: i32) -> Result<JupyterStatus> {
    open(ctx, actor, workspace_id).await?;
    let row = jupyter::Entity::find_by_id(workspace_id)
        .one(&ctx.db)
        .await?;
    if let Some(row) = &row {
        match row.state.as_str() {
            "starting" | "running" => return status_of(ctx, workspace_id).await,
            "stopping" => {
                return Err(ServiceError::Conflict(entity::FieldError::new(
                    "",
                    "jupyter_stopping",
                    "JupyterLab is still stopping; start it again in a moment",
                )))
            }
            _ => {}
        }
    }
    // The record names its job before any worker can see the job (see `jobs::insert`).
    let txn = crate::db::begin(&ctx.db).await?;
    let job = jobs::insert(&txn, jobs::JUPYTER_START, workspace_id).await?;
    let now = Utc::now();
    let fresh = jupyter::ActiveModel {
        workspace_id: Set(workspace_id),
        state: Set("starting".into()),
        port: Set(None),
        token: Set(crate::secrets::random_token(32)),
        pid: Set(None),
        job_id: Set(Some(job.id)),
        started_at: Set(Some(now)),
        ready_at: Set(None),
        last_activity: Set(None),
        error: Set(None),
        updated_at: Set(now),
    };
    if row.is_some() {
        fresh.update(&txn).await?;
    } else {
        fresh.insert(&txn).await?;
    }
    txn.commit().await?;
    jobs::wake(ctx);
    status_of(ctx, workspace_id).await
}

/// Records the intent to stop and queues the job.
pub async fn stop(ctx: &Ctx, actor: Option<&Actor>, workspace_id: i32) -> Result<JupyterStatus> {
    open(ctx, actor, workspace_id).await?;
    stop_of(ctx, workspace_id).await?;
    status_of(ctx, workspace_id).await
}

/// Marks a starting or running server as stopping and queues the job (the caller checked who
/// may); nothing for one already stopped.
pub(crate) async fn stop_of(ctx: &Ctx, workspace_id: i32) -> Result<()> {
    if let Some(row) = jupyter::Entity::find_by_id(workspace_id)
        .one(&ctx.db)
        .await?
    {
        if matches!(row.state.as_str(), "starting" | "running") {
            let mut active = row.into_active_model();
            active.state = Set("stopping".into());
            active.updated_at = Set(Utc::now());
            active.update(&ctx.db).await?;
            jobs::enqueue(ctx, jobs::JUPYTER_STOP, workspace_id).await?;
        }
    }
    Ok(())
}

/// Where the proxy forwards the owner's requests: the port and the token (which never leaves
/// the server). Notes the traffic as activity, at most every `ACTIVITY_EVERY`.
pub async fn upstream(
    ctx: &Ctx,
    actor: Option<&Actor>,
    workspace_id: i32,
) -> Result<(u16, String)> {
    open(ctx, actor, workspace_id).await?;
    let row = jupyter::Entity::find_by_id(workspace_id)
        .one(&ctx.db)
        .await?
        .filter(|r| r.state == "running");
    let Some((row, port)) = row.and_then(|r| r.port.map(|p| (r, p))) else {
        return Err(ServiceError::Unavailable(
            "JupyterLab is not running in this workspace; start it from the workspace page".into(),
        ));
    };
    let now = Utc::now();
    if row.last_activity.is_none_or(|t| now - t > ACTIVITY_EVERY) {
        jupyter::Entity::update_many()
            .col_expr(
                jupyter::Column::LastActivity,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(jupyter::Column::WorkspaceId.eq(workspace_id))
            .exec(&ctx.db)
            .await?;
    }
    Ok((port as u16, row.token))
}

/// Where a workspace's server writes its log (its `$HOME` is beside it, see `process::home_dir`).
fn log_path(ctx: &Ctx, workspace_id: i32) -> std::path::PathBuf {
    ctx.settings
        .data_dir
        .join("jupyter")
        .join(format!("{workspace_id}.log"))
}

/// Stops the server at once and forgets it, its log and its settings (deleting a workspace).
pub async fn stop_now(ctx: &Ctx, workspace_id: i32) -> Result<()> {
    if let Some(row) = jupyter::Entity::find_by_id(workspace_id)
        .one(&ctx.db)
        .await?
    {
        end_process(&row).await;
        jupyter::Entity::delete_by_id(workspace_id)
            .exec(&ctx.db)
            .await?;
    }
    let log = log_path(ctx, workspace_id);
    let _ = tokio::fs::remove_file(&log).await;
    let _ = tokio::fs::remove_dir_all(log.with_extension("home")).await;
    Ok(())
}

async fn end_process(row: &jupyter::Model) {
    if let Some(pid) = row.pid {
        let pid = pid as u32;
        if process::alive(pid) && process::is_ours(pid, row.workspace_id) {
            process::stop(pid, STOP_GRACE).await;
        }
    }
}

/// Marks the record stopped and gives its port back.
async fn set_stopped(
    ctx: &Ctx,
    workspace_id: i32,
    state: &str,
    error: Option<String>,
) -> Result<()> {
    // One conditional update: a workspace deleted meanwhile (its row gone) is no error.
    jupyter::Entity::update_many()
        .col_expr(jupyter::Column::State, Expr::value(state))
        .col_expr(jupyter::Column::Port, Expr::value(Option::<i32>::None))
        .col_expr(jupyter::Column::Pid, Expr::value(Option::<i32>::None))
        .col_expr(jupyter::Column::Error, Expr::value(error))
        .col_expr(jupyter::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(jupyter::Column::WorkspaceId.eq(workspace_id))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// Takes the lowest free port of the pool for the workspace. The unique constraint on `port`
/// settles a race between two starts; a port some other program holds is skipped.
async fn take_port(ctx: &Ctx, workspace_id: i32) -> Result<u16> {
    let pool = ctx.settings.workspaces.ports.clone();
    for port in pool {
        let taken = jupyter::Entity::find()
            .filter(jupyter::Column::Port.eq(port as i32))
            .one(&ctx.db)
            .await?
            .is_some();
        if taken || std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
            continue;
        }
        let claimed = jupyter::Entity::update_many()
            .col_expr(
                jupyter::Column::Port,
                sea_orm::sea_query::Expr::value(port as i32),
            )
            .filter(jupyter::Column::WorkspaceId.eq(workspace_id))
            .exec(&ctx.db)
            .await;
        match claimed {
            Ok(_) => return Ok(port),
            Err(e)
                if matches!(
                    e.sql_err(),
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                ) =>
            {
                continue
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ServiceError::Unavailable(
        "every Jupyter port is in use".into(),
    ))
}

/// The start job: a port, the process, then wait until it answers.
pub(crate) async fn run_start(ctx: &Ctx, job: &job::Model) -> std::result::Result<(), String> {
    let ws_id = job.subject_id;
    let fail = |e: ServiceError| e.to_string();
    let Some(row) = jupyter::Entity::find_by_id(ws_id)
        .one(&ctx.db)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(()); // the workspace went away
    };
    if row.state != "starting" || row.job_id != Some(job.id) {
        return Ok(()); // stopped or started again since: this job is stale
    }
    let Some(ws) = entity::workspace::Entity::find_by_id(ws_id)
        .one(&ctx.db)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    let port = match take_port(ctx, ws_id).await {
        Ok(p) => p,
        Err(e) => {
            let why = e.to_string();
            let _ = jobs::record(ctx, job.id, "failed", &why).await;
            set_stopped(ctx, ws_id, "failed", Some(why.clone()))
                .await
                .map_err(fail)?;
            return Err(why);
        }
    };
    jobs::record(ctx, job.id, "port", &port.to_string())
        .await
        .map_err(fail)?;
    let log = log_path(ctx, ws_id);
    if let Some(dir) = log.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let launch = process::Launch {
        jupyter: ctx.settings.workspaces.jupyter.clone(),
        workspace_id: ws_id,
        root: store::workspace_root(&ctx.settings.data_dir, ws.user_id, ws_id),
        port,
        token: row.token.clone(),
        log,
    };
    let _ = std::fs::remove_file(&launch.log);
    let pid = match process::spawn(&launch) {
        Ok(pid) => pid,
        Err(e) => {
            let why = format!(
                "could not start JupyterLab ({}): {e}",
                launch.jupyter.display()
            );
            let _ = jobs::record(ctx, job.id, "failed", &why).await;
            set_stopped(ctx, ws_id, "failed", Some(why.clone()))
                .await
                .map_err(fail)?;
            return Err(why);
        }
    };
    jupyter::Entity::update_many()
        .col_expr(
            jupyter::Column::Pid,
            sea_orm::sea_query::Expr::value(pid as i32),
        )
        .filter(jupyter::Column::WorkspaceId.eq(ws_id))
        .exec(&ctx.db)
        .await
        .map_err(|e| e.to_string())?;
    jobs::record(ctx, job.id, "spawned", &format!("pid {pid}"))
        .await
        .map_err(fail)?;
    match process::wait_ready(port, ws_id, &row.token, pid, READY_WITHIN).await {
        Ok(()) => {
            let now = Utc::now();
            let still_wanted = jupyter::Entity::update_many()
                .col_expr(
                    jupyter::Column::State,
                    sea_orm::sea_query::Expr::value("running"),
                )
                .col_expr(
                    jupyter::Column::ReadyAt,
                    sea_orm::sea_query::Expr::value(now),
                )
                .col_expr(
                    jupyter::Column::LastActivity,
                    sea_orm::sea_query::Expr::value(now),
                )
                .col_expr(
                    jupyter::Column::UpdatedAt,
                    sea_orm::sea_query::Expr::value(now),
                )
                .filter(jupyter::Column::WorkspaceId.eq(ws_id))
                .filter(jupyter::Column::State.eq("starting"))
                .exec(&ctx.db)
                .await
                .map_err(|e| e.to_string())?;
            jobs::record(ctx, job.id, "ready", "").await.map_err(fail)?;
            if still_wanted.rows_affected == 0 {
                // A stop came while it started, before there was a process to end: end it here.
                process::stop(pid, STOP_GRACE).await;
                set_stopped(ctx, ws_id, "stopped", None)
                    .await
                    .map_err(fail)?;
            }
            Ok(())
        }
        Err(reason) => {
            process::stop(pid, STOP_GRACE).await;
            let tail = process::log_tail(&launch.log, 20);
            let why = if tail.is_empty() {
                reason
            } else {
                format!("{reason}\n{tail}")
            };
            let _ = jobs::record(ctx, job.id, "failed", &why).await;
            set_stopped(ctx, ws_id, "failed", Some(why.clone()))
                .await
                .map_err(fail)?;
            Err(why)
        }
    }
}

/// The stop job: end the process group and give the port back.
pub(crate) async fn run_stop(ctx: &Ctx, job: &job::Model) -> std::result::Result<(), String> {
    let ws_id = job.subject_id;
    let Some(row) = jupyter::Entity::find_by_id(ws_id)
        .one(&ctx.db)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    if row.state != "stopping" {
        return Ok(());
    }
    end_process(&row).await;
    set_stopped(ctx, ws_id, "stopped", None)
        .await
        .map_err(|e| e.to_string())?;
    jobs::record(ctx, job.id, "stopped", "")
        .await
        .map_err(|e| e.to_string())
}
