//! The jobs after creation: start, stop (graceful, then forced), restart and delete. Delete
//! rolls forward: every step is idempotent, so a failed delete ends in `error` saying what is
//! left, and deleting again (or the reconciler) finishes it.

use entity::hosting::{self, HostingStatus};
use sea_orm::EntityTrait;

use super::hypervisor::Host;
use super::machine::{self, Op};
use super::{create, nginx, resources};
use crate::Ctx;

async fn host_of(ctx: &Ctx, row: &hosting::Model) -> Result<Option<Host>, String> {
    match &row.host {
        Some(uri) => Ok(Some(Host(ctx.hypervisors.connect(uri).await?))),
        None => Ok(None),
    }
}

/// Takes away everything a hosting holds (VM, files, rule, ports), whatever exists of it.
pub(super) async fn remove_everything(ctx: &Ctx, row: &hosting::Model) -> Result<(), String> {
    let faults = &ctx.settings.hosting;
    faults.fault("destroy")?;
    if let Some(host) = host_of(ctx, row).await? {
        host.destroy(&row.vm_name).await?;
        faults.fault("undefine")?;
        host.remove(&row.vm_name).await?;
    }
    faults.fault("unrule")?;
    nginx::remove_rule(ctx, &resources::rule_name(row.id)).await?;
    faults.fault("files")?;
    resources::remove_files(ctx, &row.vm_name).await?;
    faults.fault("release")?;
    resources::release(ctx, row.id).await
}

/// Ends an operation in `error`, saying why (the timeline gets it too).
async fn fail(
    ctx: &Ctx,
    row: &hosting::Model,
    from: HostingStatus,
    step: &str,
    why: String,
) -> String {
    let message = format!("{step} failed: {why}");
    if let Err(e) = machine::transition(
        ctx,
        row.id,
        from,
        HostingStatus::Error,
        None,
        step,
        &message,
    )
    .await
    {
        tracing::error!(hosting = row.id, error = %e, "could not record a failure");
    }
    message
}

pub(super) async fn delete(ctx: &Ctx, row: hosting::Model) -> Result<(), String> {
    if let Err(e) = remove_everything(ctx, &row).await {
        return Err(fail(ctx, &row, HostingStatus::Deleting, "delete", e).await);
    }
    machine::transition(
        ctx,
        row.id,
        HostingStatus::Deleting,
        HostingStatus::Deleted,
        None,
        "deleted",
        "the VM, its disk, its web address and its ports are gone",
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok(())
}

pub(super) async fn stop(ctx: &Ctx, row: hosting::Model, then_start: bool) -> Result<(), String> {
    let stopped = async {
        ctx.settings.hosting.fault("shutdown")?;
        let host = host_of(ctx, &row).await?.ok_or("the hosting has no VM")?;
        host.stop(&row.vm_name, ctx.settings.hosting.stop_grace)
            .await
    }
    .await;
    if let Err(e) = stopped {
        return Err(fail(ctx, &row, HostingStatus::Stopping, "stop", e).await);
    }
    let op = then_start.then_some(Op::Restart);
    machine::transition(
        ctx,
        row.id,
        HostingStatus::Stopping,
        HostingStatus::Stopped,
        op,
        "stopped",
        "the VM is shut down",
    )
    .await
    .map_err(|e| e.to_string())?;
    if then_start {
        let row = reload(ctx, row.id).await?;
        return start(ctx, row).await;
    }
    Ok(())
}

pub(super) async fn start(ctx: &Ctx, row: hosting::Model) -> Result<(), String> {
    let from = row.status();
    let started = async {
        ctx.settings.hosting.fault("start")?;
        let uri = row.host.clone().ok_or("the hosting has no VM")?;
        let host = Host(ctx.hypervisors.connect(&uri).await?);
        host.start(&row.vm_name).await?;
        machine::step(ctx, &row, "start", "the VM is booting")
            .await
            .map_err(|e| e.to_string())?;
        create::wait_ready(ctx, &host, &row, &uri).await?;
        // The web address comes back with the guest (a rule lost meanwhile is written again).
        let owner = create::owner_name(ctx, row.user_id).await?;
        let rule = create::rule(&row, &owner)?;
        nginx::ensure_running(ctx).await?;
        nginx::apply_rule(ctx, &resources::rule_name(row.id), &rule).await
    }
    .await;
    if let Err(e) = started {
        return Err(fail(ctx, &row, from, "start", e).await);
    }
    machine::transition(
        ctx,
        row.id,
        from,
        HostingStatus::Running,
        None,
        "ready",
        "your hosting is running",
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok(())
}

pub(super) async fn reload(ctx: &Ctx, id: i32) -> Result<hosting::Model, String> {
    hosting::Entity::find_by_id(id)
        .one(&ctx.db)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "the hosting went away".to_owned())
}
