//! Work that outlives a request. The request records a job and answers at once; a worker claims
//! it with a lease and records each step with its time. Claiming is a conditional update ("set
//! running where still queued, or where the lease ran out"), so whichever worker wins owns the
//! job on every database and across replicas; a worker that died leaves a lease that runs out,
//! and the job is taken again, up to `MAX_ATTEMPTS`.

use std::time::Duration;

use chrono::Utc;
use entity::job::{self, step, Step};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::{Ctx, Result};

pub const JUPYTER_START: &str = "jupyter_start";
pub const JUPYTER_STOP: &str = "jupyter_stop";
pub const NOTEBOOK_RUN: &str = "notebook_run";
pub const HOSTING_CREATE: &str = "hosting_create";
pub const HOSTING_START: &str = "hosting_start";
pub const HOSTING_STOP: &str = "hosting_stop";
pub const HOSTING_RESTART: &str = "hosting_restart";
pub const HOSTING_DELETE: &str = "hosting_delete";

/// How long a claim holds before another worker may take the job; renewed while it runs.
pub const LEASE: Duration = Duration::from_secs(60);
const MAX_ATTEMPTS: i32 = 3;
/// Jobs one process runs at once (each mostly waits on a child process).
const CONCURRENCY: usize = 4;

/// Records a job and wakes this process's worker, for a subject that does not name its job.
pub async fn enqueue(ctx: &Ctx, kind: &str, subject_id: i32) -> Result<job::Model> {
    let job = insert(&ctx.db, kind, subject_id).await?;
    wake(ctx);
    Ok(job)
}

/// Records a job on `conn` without waking anyone. A subject that names its job (a JupyterLab's
/// record, a hosting) must be pointed at it in the same transaction, and `wake` called after the
/// commit: a worker that claimed the job before the subject named it would drop it as stale,
/// leaving the subject "starting" for good.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    kind: &str,
    subject_id: i32,
) -> Result<job::Model> {
    let now = Utc::now();
    let job = job::ActiveModel {
        kind: Set(kind.to_owned()),
        subject_id: Set(subject_id),
        state: Set("queued".into()),
        attempts: Set(0),
        lease_until: Set(None),
        error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    record_on(conn, job.id, "queued", "").await?;
    Ok(job)
}

/// Tells this process's worker a job is waiting (other replicas find it by polling).
pub fn wake(ctx: &Ctx) {
    ctx.jobs.notify_one();
}

/// One step of a job, with the time it happened.
pub async fn record(ctx: &Ctx, job_id: i32, step: &str, detail: &str) -> Result<()> {
    record_on(&ctx.db, job_id, step, detail).await
}

async fn record_on<C: ConnectionTrait>(
    conn: &C,
    job_id: i32,
    step: &str,
    detail: &str,
) -> Result<()> {
    step::ActiveModel {
        job_id: Set(job_id),
        step: Set(step.to_owned()),
        detail: Set(detail.to_owned()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

pub async fn steps(ctx: &Ctx, job_id: i32) -> Result<Vec<Step>> {
    Ok(step::Entity::find()
        .filter(step::Column::JobId.eq(job_id))
        .order_by_asc(step::Column::Id)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|s| Step {
            step: s.step,
            detail: s.detail,
            at: s.at,
        })
        .collect())
}

fn claimable(now: chrono::DateTime<Utc>) -> Condition {
    Condition::any().add(job::Column::State.eq("queued")).add(
        Condition::all()
            .add(job::Column::State.eq("running"))
            .add(job::Column::LeaseUntil.lt(now)),
    )
}

/// Takes the oldest job nobody holds, if any.
pub async fn claim(ctx: &Ctx) -> Result<Option<job::Model>> {
    let now = Utc::now();
    let candidates = job::Entity::find()
        .filter(claimable(now))
        .order_by_asc(job::Column::Id)
        .limit(8)
        .all(&ctx.db)
        .await?;
    for candidate in candidates {
        let lease = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
        let won = job::Entity::update_many()
            .col_expr(job::Column::State, Expr::value("running"))
            .col_expr(job::Column::LeaseUntil, Expr::value(lease))
            .col_expr(
                job::Column::Attempts,
                Expr::col(job::Column::Attempts).add(1),
            )
            .col_expr(job::Column::UpdatedAt, Expr::value(now))
            .filter(job::Column::Id.eq(candidate.id))
            .filter(claimable(now))
            .exec(&ctx.db)
            .await?;
        if won.rows_affected == 1 {
            let attempts = candidate.attempts + 1;
            if attempts > MAX_ATTEMPTS {
                finish(ctx, candidate.id, Err("abandoned too many times".into())).await?;
                continue;
            }
            return Ok(Some(job::Model {
                state: "running".into(),
                lease_until: Some(lease),
                attempts,
                ..candidate
            }));
        }
    }
    Ok(None)
}

/// Keeps a running job's claim.
pub async fn renew(ctx: &Ctx, job_id: i32) -> Result<()> {
    let lease = Utc::now() + chrono::Duration::from_std(LEASE).unwrap_or_default();
    job::Entity::update_many()
        .col_expr(job::Column::LeaseUntil, Expr::value(lease))
        .filter(job::Column::Id.eq(job_id))
        .filter(job::Column::State.eq("running"))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

pub async fn finish(
    ctx: &Ctx,
    job_id: i32,
    outcome: std::result::Result<(), String>,
) -> Result<()> {
    let (state, error) = match outcome {
        Ok(()) => ("done", None),
        Err(e) => ("failed", Some(e)),
    };
    job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(state))
        .col_expr(job::Column::Error, Expr::value(error))
        .col_expr(
            job::Column::LeaseUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(job::Column::Id.eq(job_id))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Does one claimed job to its end, renewing the lease while it runs.
async fn perform(ctx: Ctx, job: job::Model) {
    // Dropped with this future (a worker cancelled mid-job stops renewing, as a dead one would).
    let heartbeat = AbortOnDrop({
        let ctx = ctx.clone();
        let id = job.id;
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(LEASE / 3).await;
                if let Err(e) = renew(&ctx, id).await {
                    tracing::warn!(job = id, error = %e, "could not renew a job's lease");
                }
            }
        })
    });
    let outcome = match job.kind.as_str() {
        JUPYTER_START => crate::jupyter::run_start(&ctx, &job).await,
        JUPYTER_STOP => crate::jupyter::run_stop(&ctx, &job).await,
        NOTEBOOK_RUN => crate::workspaces::runs::perform(&ctx, &job).await,
        HOSTING_CREATE | HOSTING_START | HOSTING_STOP | HOSTING_RESTART | HOSTING_DELETE => {
            crate::hosting::perform(&ctx, &job).await
        }
        other => Err(format!("unknown job kind {other}")),
    };
    drop(heartbeat);
    if let Err(e) = &outcome {
        tracing::warn!(job = job.id, kind = %job.kind, error = %e, "job failed");
    }
    if let Err(e) = finish(&ctx, job.id, outcome).await {
        tracing::error!(job = job.id, error = %e, "could not record a job's end");
    }
}

/// Runs every job that can be claimed now, waiting for each (tests use this to drive jobs
/// without a background worker).
pub async fn run_pending(ctx: &Ctx) -> Result<usize> {
    let mut done = 0;
    while let Some(job) = claim(ctx).await? {
        perform(ctx.clone(), job).await;
        done += 1;
    }
    Ok(done)
}

/// The background worker: claims jobs as they come (woken by `enqueue`, or every few seconds
/// for jobs another replica recorded or a dead worker abandoned) and runs up to `CONCURRENCY`.
pub async fn worker(ctx: Ctx) {
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    loop {
        let Ok(permit) = slots.clone().acquire_owned().await else {
            return;
        };
        match claim(&ctx).await {
            Ok(Some(job)) => {
                let ctx = ctx.clone();
                tokio::spawn(async move {
                    perform(ctx, job).await;
                    drop(permit);
                });
                continue;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not look for jobs"),
        }
        drop(permit);
        let _ = tokio::time::timeout(Duration::from_secs(3), ctx.jobs.notified()).await;
    }
}
