//! The create job: allocate → seed and disk → define → start → wait → rule. Each step that
//! leaves something behind pushes its undo; a failure at any step (or the hosting leaving
//! `creating` meanwhile: an admin's forced delete) runs the undos in reverse, so nothing is
//! left — no domain, disk, seed, rule or port — and the hosting ends in `error` with the reason.

use std::time::Duration;

use entity::hosting::{self, HostingStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::hypervisor::Host;
use super::machine;
use super::{nginx, resources};
use crate::Ctx;

/// What a step left behind, to be taken away again.
enum Undo {
    Ports,
    Files,
    Domain(Host),
    Rule,
}

/// Something went wrong: the step and what happened.
struct Failure {
    step: &'static str,
    message: String,
}

type Step<T> = Result<T, Failure>;

fn at<T>(step: &'static str, r: Result<T, String>) -> Step<T> {
    r.map_err(|message| Failure { step, message })
}

pub(super) async fn run(ctx: &Ctx, row: hosting::Model) -> Result<(), String> {
    let mut undo = Vec::new();
    // A worker that died mid-create left its pieces under the same names: clear them first.
    super::lifecycle::remove_everything(ctx, &row).await?;
    match steps(ctx, row.id, &mut undo).await {
        Ok(()) => Ok(()),
        Err(failure) => {
            let current = load(ctx, row.id).await?;
            machine::step(ctx, &current, "rollback", &failure.message)
                .await
                .map_err(|e| e.to_string())?;
            for item in undo.into_iter().rev() {
                if let Err(e) = undo_one(ctx, &current, item).await {
                    // The reconciler takes what is left; say so on the timeline.
                    tracing::warn!(hosting = row.id, error = %e, "an undo step failed");
                    let _ = machine::step(ctx, &current, "rollback", &e).await;
                }
            }
            let message = format!("{} failed: {}", failure.step, failure.message);
            machine::transition(
                ctx,
                row.id,
                HostingStatus::Creating,
                HostingStatus::Error,
                None,
                failure.step,
                &message,
            )
            .await
            .map_err(|e| e.to_string())?;
            Err(message)
        }
    }
}

async fn load(ctx: &Ctx, id: i32) -> Result<hosting::Model, String> {
    hosting::Entity::find_by_id(id)
        .one(&ctx.db)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "the hosting went away".to_owned())
}

/// Reloads the row and checks it is still being created (an admin may have deleted it).
async fn still_creating(ctx: &Ctx, id: i32, step: &'static str) -> Step<hosting::Model> {
    let row = at(step, load(ctx, id).await)?;
    if row.status() != HostingStatus::Creating {
        return Err(Failure {
            step,
            message: format!("the hosting became {} meanwhile", row.status),
        });
    }
    Ok(row)
}

async fn mark(ctx: &Ctx, row: &hosting::Model, step: &'static str, message: &str) -> Step<()> {
    at(
        step,
        machine::step(ctx, row, step, message)
            .await
            .map_err(|e| e.to_string()),
    )
}

async fn steps(ctx: &Ctx, id: i32, undo: &mut Vec<Undo>) -> Step<()> {
    let settings = &ctx.settings.hosting;

    let row = still_creating(ctx, id, "allocate").await?;
    at("allocate", settings.fault("allocate"))?;
    let host = at(
        "allocate",
        ctx.hypervisors.place(&settings.hypervisors).await,
    )?;
    undo.push(Undo::Ports);
    let ssh = at(
        "allocate",
        resources::claim_port(
            ctx,
            id,
            hosting::Column::SshPort,
            settings.ssh_ports.clone(),
        )
        .await,
    )?;
    let http = at(
        "allocate",
        resources::claim_port(
            ctx,
            id,
            hosting::Column::HttpPort,
            settings.http_ports.clone(),
        )
        .await,
    )?;
    at(
        "allocate",
        hosting::Entity::update_many()
            .col_expr(hosting::Column::Host, Expr::value(host.clone()))
            .filter(hosting::Column::Id.eq(id))
            .exec(&ctx.db)
            .await
            .map(drop)
            .map_err(|e| e.to_string()),
    )?;
    mark(
        ctx,
        &row,
        "allocate",
        &format!("{host}: SSH port {ssh}, web port {http}"),
    )
    .await?;

    let row = still_creating(ctx, id, "seed").await?;
    let owner = at("seed", owner_name(ctx, row.user_id).await)?;
    let keys = at(
        "seed",
        crate::ssh_keys::authorized_keys(ctx, row.user_id)
            .await
            .map_err(|e| e.to_string()),
    )?;
    undo.push(Undo::Files);
    at(
        "seed",
        resources::write_files(ctx, &row, &owner, &keys).await,
    )?;
    let keys_note = match keys.len() {
        1 => "1 SSH key".to_owned(),
        n => format!("{n} SSH keys"),
    };
    mark(
        ctx,
        &row,
        "seed",
        &format!("cloud-init seed with {keys_note}; disk made"),
    )
    .await?;

    let row = still_creating(ctx, id, "define").await?;
    at("define", settings.fault("define"))?;
    let xml = at("define", resources::domain_xml(ctx, &row, &host))?;
    let conn = at("define", ctx.hypervisors.connect(&host).await)?;
    undo.push(Undo::Domain(Host(conn.clone())));
    at("define", Host(conn.clone()).define(xml).await)?;
    mark(ctx, &row, "define", &row.vm_name).await?;

    let row = still_creating(ctx, id, "start").await?;
    at("start", settings.fault("start"))?;
    at("start", Host(conn.clone()).start(&row.vm_name).await)?;
    mark(ctx, &row, "start", "the VM is booting").await?;

    let row = still_creating(ctx, id, "wait").await?;
    at("wait", settings.fault("wait"))?;
    let waited = at("wait", wait_ready(ctx, &Host(conn), &row, &host).await)?;
    mark(
        ctx,
        &row,
        "wait",
        &format!(
            "the guest answers HTTP and SSH after {:.1} s",
            waited.as_secs_f64()
        ),
    )
    .await?;

    settings.hang("rule").await;
    let row = still_creating(ctx, id, "rule").await?;
    at("rule", nginx::ensure_running(ctx).await)?;
    undo.push(Undo::Rule);
    at(
        "rule",
        nginx::apply_rule(
            ctx,
            &resources::rule_name(id),
            &at("rule", rule(&row, &owner))?,
        )
        .await,
    )?;
    mark(ctx, &row, "rule", &super::web_url(ctx, row.user_id)).await?;

    settings.hang("ready").await;
    let done = at(
        "rule",
        machine::transition(
            ctx,
            id,
            HostingStatus::Creating,
            HostingStatus::Running,
            None,
            "ready",
            "your hosting is running",
        )
        .await
        .map_err(|e| e.to_string()),
    )?;
    if !done {
        return Err(Failure {
            step: "rule",
            message: "the hosting left creating meanwhile".into(),
        });
    }
    Ok(())
}

pub(super) fn rule(row: &hosting::Model, owner: &str) -> Result<nginx::Rule, String> {
    let port = row
        .http_port
        .and_then(|p| u16::try_from(p).ok())
        .ok_or("the hosting has no web port")?;
    Ok(nginx::Rule {
        user_id: row.user_id,
        upstream_port: port,
        owner_name: owner.to_owned(),
    })
}

pub(super) async fn owner_name(ctx: &Ctx, user_id: i32) -> Result<String, String> {
    Ok(entity::user::Entity::find_by_id(user_id)
        .one(&ctx.db)
        .await
        .map_err(|e| e.to_string())?
        .map(|u| u.name)
        .unwrap_or_default())
}

/// Waits until the guest answers; on libvirt's test driver (which runs no guest) until the
/// domain is recorded as running.
pub(super) async fn wait_ready(
    ctx: &Ctx,
    host: &Host,
    row: &hosting::Model,
    uri: &str,
) -> Result<Duration, String> {
    let began = tokio::time::Instant::now();
    let deadline = began + ctx.settings.hosting.ready_within;
    let ports = (
        row.http_port.and_then(|p| u16::try_from(p).ok()),
        row.ssh_port.and_then(|p| u16::try_from(p).ok()),
    );
    loop {
        if host.running(&row.vm_name).await? != Some(true) {
            return Err("the VM stopped while booting".into());
        }
        let ready = match ports {
            _ if resources::simulated(uri) => true,
            (Some(http), Some(ssh)) => resources::answers(http, ssh).await,
            _ => return Err("the hosting has no ports".into()),
        };
        if ready {
            return Ok(began.elapsed());
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(format!(
                "the guest did not answer HTTP and SSH within {} s",
                ctx.settings.hosting.ready_within.as_secs()
            ));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn undo_one(ctx: &Ctx, row: &hosting::Model, item: Undo) -> Result<(), String> {
    match item {
        Undo::Rule => nginx::remove_rule(ctx, &resources::rule_name(row.id)).await,
        Undo::Domain(host) => host.remove(&row.vm_name).await,
        Undo::Files => resources::remove_files(ctx, &row.vm_name).await,
        Undo::Ports => resources::release(ctx, row.id).await,
    }
}
