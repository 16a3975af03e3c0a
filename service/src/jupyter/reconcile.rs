//! Keeping the record true to the processes: at start-up (`reconcile`) and every minute
//! (`cull`, which also stops idle servers).

use chrono::Utc;
use entity::jupyter;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{process, set_stopped, STOP_GRACE};
use crate::{Ctx, Result};

/// Servers recorded as running whose process is gone are marked stopped; servers caught
/// half-way (starting, stopping) when nuri stopped are ended; Jupyter processes this instance
/// started (their root is under its data dir) that no record owns are ended. Ports of all of
/// these are freed. Returns how many records or processes were repaired.
pub async fn reconcile(ctx: &Ctx) -> Result<usize> {
    let rows = jupyter::Entity::find()
        .filter(jupyter::Column::State.is_in(["starting", "running", "stopping"]))
        .all(&ctx.db)
        .await?;
    let mut repaired = 0;
    let mut kept = Vec::new();
    for row in rows {
        let pid = row.pid.map(|p| p as u32);
        let live = pid.filter(|&p| process::alive(p) && process::is_ours(p, row.workspace_id));
        match (row.state.as_str(), live) {
            ("running", Some(pid)) => kept.push(pid),
            (_, live) => {
                if let Some(pid) = live {
                    process::stop(pid, STOP_GRACE).await;
                }
                set_stopped(ctx, row.workspace_id, "stopped", None).await?;
                repaired += 1;
            }
        }
    }
    // The servers were given absolute roots; a relative data dir (`./data`) is made one too.
    let root = std::path::absolute(ctx.settings.data_dir.join("workspaces"))
        .unwrap_or_else(|_| ctx.settings.data_dir.join("workspaces"));
    for pid in servers_under(&root) {
        if !kept.contains(&pid) {
            tracing::info!(pid, "ending a Jupyter server no record owns");
            process::stop(pid, STOP_GRACE).await;
            repaired += 1;
        }
    }
    Ok(repaired)
}

/// Stops servers idle longer than the setting (no kernel or HTTP activity, as Jupyter reports
/// it or as the proxy saw it) and marks dead ones stopped.
pub async fn cull(ctx: &Ctx) -> Result<usize> {
    let idle = chrono::Duration::from_std(ctx.settings.workspaces.idle).unwrap_or_default();
    let rows = jupyter::Entity::find()
        .filter(jupyter::Column::State.eq("running"))
        .all(&ctx.db)
        .await?;
    let now = Utc::now();
    let mut stopped = 0;
    for row in rows {
        let Some(pid) = row.pid.map(|p| p as u32) else {
            continue;
        };
        if !process::alive(pid) {
            set_stopped(ctx, row.workspace_id, "stopped", None).await?;
            stopped += 1;
            continue;
        }
        let reported = match row.port {
            Some(port) => process::last_activity(port as u16, row.workspace_id, &row.token).await,
            None => None,
        };
        let last = reported.max(row.last_activity).or(row.ready_at);
        if last.is_some_and(|t| now - t > idle) {
            tracing::info!(
                workspace = row.workspace_id,
                "stopping an idle Jupyter server"
            );
            process::stop(pid, STOP_GRACE).await;
            set_stopped(ctx, row.workspace_id, "stopped", None).await?;
            stopped += 1;
        }
    }
    Ok(stopped)
}

/// Jupyter servers whose root is under `root` (this instance's workspaces, not another nuri's
/// on the same machine), by the flags nuri starts them with.
fn servers_under(root: &std::path::Path) -> Vec<u32> {
    let flag = format!("--ServerApp.root_dir={}", root.display());
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmd| {
                let args: Vec<&[u8]> = cmd.split(|&b| b == 0).collect();
                args.iter().any(|a| a.starts_with(flag.as_bytes()))
                    && args
                        .iter()
                        .any(|a| a.starts_with(b"--ServerApp.base_url=/jupyter/"))
            })
        })
        .collect()
}
