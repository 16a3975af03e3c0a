//! Keeps the records true to libvirt and nginx: at start-up and every few minutes. What a crash
//! left half-done is repaired where the facts allow (a guest that runs is `running`, a lost rule
//! is written again), marked `error` where they do not, and anything named by this instance that
//! no hosting owns (a domain, a rule, a folder of files) is removed.

use std::collections::HashSet;

use chrono::Utc;
use entity::hosting::{self, HostingStatus};
use entity::job;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::hypervisor::Host;
use super::machine::{self, Op};
use super::{create, lifecycle, nginx, resources};
use crate::Ctx;

/// What a pass found and did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub repaired: Vec<i32>,
    pub failed: Vec<i32>,
    pub orphans_removed: Vec<String>,
}

/// Whether a job is still someone's to finish (queued, or held under a live lease).
async fn in_hand(ctx: &Ctx, job_id: Option<i32>) -> Result<bool, String> {
    let Some(id) = job_id else { return Ok(false) };
    let job = job::Entity::find_by_id(id)
        .one(&ctx.db)
        .await
        .map_err(|e| e.to_string())?;
    Ok(job.is_some_and(|j| {
        j.state == "queued"
            || (j.state == "running" && j.lease_until.is_some_and(|t| t > Utc::now()))
    }))
}

/// Every hosting not yet deleted.
async fn live(ctx: &Ctx) -> Result<Vec<hosting::Model>, String> {
    hosting::Entity::find()
        .filter(hosting::Column::Status.ne(HostingStatus::Deleted.as_str()))
        .all(&ctx.db)
        .await
        .map_err(|e| e.to_string())
}

pub async fn reconcile(ctx: &Ctx) -> Result<Report, String> {
    let mut report = Report::default();
    let rows = live(ctx).await?;
    // After a reboot nuri's own nginx is not running: the web addresses need it back.
    if rows.iter().any(|r| r.status() == HostingStatus::Running) {
        nginx::ensure_running(ctx).await?;
    }
    for row in &rows {
        if let Err(e) = one(ctx, row, &mut report).await {
            tracing::warn!(hosting = row.id, error = %e, "could not reconcile a hosting");
        }
    }
    orphans(ctx, &mut report).await?;
    if report != Report::default() {
        tracing::info!(?report, "hosting reconciled");
    }
    Ok(report)
}

async fn one(ctx: &Ctx, row: &hosting::Model, report: &mut Report) -> Result<(), String> {
    if (row.op.is_some() || row.status().is_transitional()) && in_hand(ctx, row.job_id).await? {
        return Ok(()); // a worker is on it
    }
    let running = match &row.host {
        Some(uri) => match ctx.hypervisors.connect(uri).await {
            Ok(conn) => Host(conn).running(&row.vm_name).await?,
            // A hypervisor that does not answer now proves nothing: leave it for next time.
            Err(_) => return Ok(()),
        },
        None => None,
    };
    let rule = nginx::has_rule(ctx, &resources::rule_name(row.id));
    let status = row.status();
    let to_error = |why: &str| format!("{why}; retry or delete it");
    match (status, running) {
        (HostingStatus::Creating, Some(true)) if rule => {
            settle(
                ctx,
                row,
                HostingStatus::Running,
                "recovered",
                "the VM runs and its web address is live",
            )
            .await?;
            report.repaired.push(row.id);
        }
        (HostingStatus::Creating, _) => {
            // Abandoned mid-way: take away what it made, as its own rollback would have.
            lifecycle::remove_everything(ctx, row).await?;
            settle(
                ctx,
                row,
                HostingStatus::Error,
                "abandoned",
                &to_error("nuri stopped while creating it"),
            )
            .await?;
            report.failed.push(row.id);
        }
        (HostingStatus::Deleting, _) => {
            super::begin_forced(
                ctx,
                hosting::Model {
                    op: None,
                    ..row.clone()
                },
                status,
                "finishing an interrupted delete",
            )
            .await
            .map_err(|e| e.to_string())?;
            report.repaired.push(row.id);
        }
        (_, None) if row.host.is_some() && status != HostingStatus::Error => {
            settle(
                ctx,
                row,
                HostingStatus::Error,
                "lost",
                &to_error("its VM is gone from the hypervisor"),
            )
            .await?;
            report.failed.push(row.id);
        }
        (HostingStatus::Running | HostingStatus::Stopping, Some(false)) => {
            settle(
                ctx,
                row,
                HostingStatus::Stopped,
                "found_stopped",
                "the VM was found shut down",
            )
            .await?;
            report.repaired.push(row.id);
        }
        (HostingStatus::Stopped | HostingStatus::Stopping, Some(true))
        | (HostingStatus::Running, Some(true)) => {
            if !rule {
                let owner = create::owner_name(ctx, row.user_id).await?;
                nginx::ensure_running(ctx).await?;
                nginx::apply_rule(
                    ctx,
                    &resources::rule_name(row.id),
                    &create::rule(row, &owner)?,
                )
                .await?;
            }
            if status != HostingStatus::Running || !rule || row.op.is_some() {
                settle(
                    ctx,
                    row,
                    HostingStatus::Running,
                    "recovered",
                    "the VM runs; its web address is live",
                )
                .await?;
                report.repaired.push(row.id);
            }
        }
        (HostingStatus::Stopped | HostingStatus::Error, _) if row.op.is_some() => {
            // A start that was abandoned: say where things are.
            settle(
                ctx,
                row,
                status,
                "abandoned",
                "the last operation was interrupted",
            )
            .await?;
            report.repaired.push(row.id);
        }
        _ => {}
    }
    Ok(())
}

/// Records what the facts say, clearing any operation in flight.
async fn settle(
    ctx: &Ctx,
    row: &hosting::Model,
    to: HostingStatus,
    step: &str,
    message: &str,
) -> Result<(), String> {
    let op_was = row.op.as_deref().and_then(Op::parse);
    machine::transition(ctx, row.id, row.status(), to, None, step, message)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(job_id) = row.job_id.filter(|_| op_was.is_some()) {
        let _ = crate::jobs::finish(ctx, job_id, Err("taken over by the reconciler".into())).await;
    }
    Ok(())
}

/// Removes domains, rules and folders this instance named that no live hosting owns. The names
/// are listed first and the owners read after: a hosting's row (with its VM name) is recorded
/// before any of its resources exist, so one created while this pass runs is always among the
/// owners and never taken for an orphan.
async fn orphans(ctx: &Ctx, report: &mut Report) -> Result<(), String> {
    let prefix = resources::prefix(ctx);
    let mut domains = Vec::new();
    for uri in &ctx.settings.hosting.hypervisors {
        let Ok(conn) = ctx.hypervisors.connect(uri).await else {
            continue;
        };
        let host = Host(conn);
        let names = host.names(&prefix).await?;
        domains.push((host, names));
    }
    let rules = nginx::rule_names(ctx);
    let mut folders = Vec::new();
    if let Ok(mut dir) = tokio::fs::read_dir(resources::root(ctx)).await {
        while let Ok(Some(entry)) = dir.next_entry().await {
            folders.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    let rows = live(ctx).await?;
    let owned: HashSet<&str> = rows.iter().map(|r| r.vm_name.as_str()).collect();
    let ids: HashSet<i32> = rows.iter().map(|r| r.id).collect();
    for (host, names) in domains {
        for name in names.into_iter().filter(|n| !owned.contains(n.as_str())) {
            host.remove(&name).await?;
            report.orphans_removed.push(format!("domain {name}"));
        }
    }
    for rule in rules {
        if resources::rule_owner(&rule).is_none_or(|id| !ids.contains(&id)) {
            nginx::remove_rule(ctx, &rule).await?;
            report.orphans_removed.push(format!("rule {rule}"));
        }
    }
    for name in folders.into_iter().filter(|n| !owned.contains(n.as_str())) {
        resources::remove_files(ctx, &name).await?;
        report.orphans_removed.push(format!("files {name}"));
    }
    Ok(())
}
