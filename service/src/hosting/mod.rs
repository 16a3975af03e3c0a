//! One small VM per person with a web address (`<web base>/<user id>/` through nginx) and an
//! SSH port of their own (issue #13). A request records intent and answers at once; the work is
//! a job (`crate::jobs`) that moves the recorded state machine (`machine`) step by step, undoing
//! what it did if a step fails (`create`, `lifecycle`). `reconcile` keeps the records true to
//! libvirt and nginx after crashes.

mod admin;
mod create;
pub mod guest;
mod hypervisor;
mod lifecycle;
pub mod machine;
pub mod nginx;
mod reconcile;
pub mod resources;
mod settings;

pub use admin::{force, list, totals, Force};
pub use hypervisor::{Host, Hypervisors};
pub use machine::Op;
pub use reconcile::{reconcile, Report};
pub use settings::{default_guest, Guest, HostingSettings, NginxSettings};

use chrono::Utc;
use entity::hosting::{self, event, Hosting, HostingEvent, HostingStatus, HostingView};
use entity::{job, FieldError};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::policy::{self, Action};
use crate::{jobs, Actor, Ctx, Result, ServiceError};

/// Where the hosting of `user_id` answers on the web.
pub fn web_url(ctx: &Ctx, user_id: i32) -> String {
    format!(
        "{}/{user_id}/",
        ctx.settings.hosting.web_base.trim_end_matches('/')
    )
}

pub(crate) fn to_view(
    ctx: &Ctx,
    row: &hosting::Model,
    op_started_at: Option<chrono::DateTime<Utc>>,
) -> Hosting {
    let status = row.status();
    let port = |p: Option<i32>| p.and_then(|p| u16::try_from(p).ok());
    let ssh_port = port(row.ssh_port);
    let reachable = matches!(status, HostingStatus::Running | HostingStatus::Stopped)
        || (status == HostingStatus::Stopping && ssh_port.is_some());
    let public = &ctx.settings.hosting.public_host;
    let user = resources::GUEST_USER;
    Hosting {
        id: row.id,
        status,
        vm_id: row.vm_name.clone(),
        ssh_port,
        web_url: reachable.then(|| web_url(ctx, row.user_id)),
        ssh_command: ssh_port
            .filter(|_| reachable)
            .map(|p| format!("ssh -p {p} {user}@{public}")),
        sftp_command: ssh_port
            .filter(|_| reachable)
            .map(|p| format!("sftp -P {p} {user}@{public}")),
        host: row.host.clone(),
        created_at: row.created_at,
        updated_at: row.updated_at,
        error: row.error.clone(),
        op: row.op.clone(),
        step: row.step.clone(),
        op_started_at: row.op.as_ref().and(op_started_at),
        memory_mib: row.memory_mib.max(0) as u32,
        vcpus: row.vcpus.max(0) as u32,
        disk_mib: row.disk_mib.max(0) as u32,
    }
}

/// The caller's live hosting (anything but `deleted`), if any.
async fn live(ctx: &Ctx, user_id: i32) -> Result<Option<hosting::Model>> {
    Ok(hosting::Entity::find()
        .filter(hosting::Column::LiveOwner.eq(user_id))
        .one(&ctx.db)
        .await?)
}

async fn op_started(ctx: &Ctx, row: &hosting::Model) -> Result<Option<chrono::DateTime<Utc>>> {
    Ok(match row.job_id.filter(|_| row.op.is_some()) {
        Some(id) => job::Entity::find_by_id(id)
            .one(&ctx.db)
            .await?
            .map(|j| j.created_at),
        None => None,
    })
}

async fn hosting_of(ctx: &Ctx, row: &hosting::Model) -> Result<Hosting> {
    Ok(to_view(ctx, row, op_started(ctx, row).await?))
}

fn none_yet() -> ServiceError {
    ServiceError::NotFound { what: "hosting" }
}

/// `GET /api/v1/host/my`.
pub async fn mine(ctx: &Ctx, actor: Option<&Actor>) -> Result<Hosting> {
    let me = policy::require(actor, Action::UseHosting)?;
    let row = live(ctx, me.id()).await?.ok_or_else(none_yet)?;
    hosting_of(ctx, &row).await
}

async fn events_of(ctx: &Ctx, id: i32) -> Result<Vec<HostingEvent>> {
    Ok(event::Entity::find()
        .filter(event::Column::HostingId.eq(id))
        .order_by_asc(event::Column::Id)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|e| HostingEvent {
            from: HostingStatus::parse(&e.from_status).unwrap_or(HostingStatus::Error),
            to: HostingStatus::parse(&e.to_status).unwrap_or(HostingStatus::Error),
            step: e.step,
            message: e.message,
            at: e.at,
        })
        .collect())
}

/// `GET /api/v1/host/my/events`: the timeline, oldest first.
pub async fn events(ctx: &Ctx, actor: Option<&Actor>) -> Result<Vec<HostingEvent>> {
    let me = policy::require(actor, Action::UseHosting)?;
    let row = live(ctx, me.id()).await?.ok_or_else(none_yet)?;
    events_of(ctx, row.id).await
}

/// The hosting page in one answer.
pub async fn view(ctx: &Ctx, actor: Option<&Actor>) -> Result<HostingView> {
    let me = policy::require(actor, Action::UseHosting)?;
    let row = live(ctx, me.id()).await?;
    let unavailable = match &row {
        // A hosting that exists is shown whatever its hypervisor says now.
        Some(_) => None,
        None => {
            ctx.hypervisors
                .unavailable(&ctx.settings.hosting.hypervisors)
                .await
        }
    };
    let ssh_keys = entity::ssh_key::Entity::find()
        .filter(entity::ssh_key::Column::UserId.eq(me.id()))
        .count(&ctx.db)
        .await? as u32;
    Ok(match row {
        Some(row) => HostingView {
            unavailable,
            events: events_of(ctx, row.id).await?,
            hosting: Some(hosting_of(ctx, &row).await?),
            ssh_keys,
        },
        None => HostingView {
            unavailable,
            hosting: None,
            events: Vec::new(),
            ssh_keys,
        },
    })
}

/// `POST /api/v1/host`: records the hosting as `creating` and queues the job (202). One live
/// hosting per person: the unique key refuses a second, however the requests race (409).
pub async fn create(ctx: &Ctx, actor: Option<&Actor>) -> Result<Hosting> {
    let me = policy::require(actor, Action::UseHosting)?;
    if live(ctx, me.id()).await?.is_some() {
        return Err(already());
    }
    if let Some(why) = ctx
        .hypervisors
        .unavailable(&ctx.settings.hosting.hypervisors)
        .await
    {
        return Err(ServiceError::Unavailable(why));
    }
    let s = &ctx.settings.hosting;
    let now = Utc::now();
    // The name needs the id: insert under a unique placeholder, then name it.
    let placeholder = format!(
        "{}new-{}",
        resources::prefix(ctx),
        crate::secrets::random_token(9)
    );
    let row = hosting::ActiveModel {
        user_id: Set(me.id()),
        company_id: Set(me.user.company_id),
        live_owner: Set(Some(me.id())),
        status: Set(HostingStatus::Creating.as_str().into()),
        op: Set(Some(Op::Create.as_str().into())),
        step: Set(Some("queued".into())),
        host: Set(None),
        vm_name: Set(placeholder),
        ssh_port: Set(None),
        http_port: Set(None),
        memory_mib: Set(s.memory_mib as i32),
        vcpus: Set(s.vcpus as i32),
        disk_mib: Set(s.disk_mib as i32),
        job_id: Set(None),
        error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ready_at: Set(None),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await
    .map_err(|e| match crate::db::is_unique_violation(&e) {
        true => already(),
        false => e.into(),
    })?;
    let mut named: hosting::ActiveModel = row.clone().into();
    named.vm_name = Set(resources::vm_name(ctx, row.id));
    let row = named.update(&ctx.db).await?;
    machine::event(
        ctx,
        row.id,
        HostingStatus::Creating,
        HostingStatus::Creating,
        "queued",
        "hosting requested",
    )
    .await?;
    let row = queue(ctx, row, Op::Create).await?;
    tracing::info!(hosting = row.id, user = me.id(), "hosting requested");
    hosting_of(ctx, &row).await
}

fn already() -> ServiceError {
    ServiceError::Conflict(FieldError::new(
        "",
        "hosting_exists",
        "you have a hosting already; delete it before creating another",
    ))
}

/// Records the job for `op` and points the hosting at it, in one transaction (see `jobs::insert`:
/// a worker woken before the hosting named its job dropped it, and the hosting sat "queued" until
/// the reconciler took over).
async fn queue(ctx: &Ctx, row: hosting::Model, op: Op) -> Result<hosting::Model> {
    let txn = crate::db::begin(&ctx.db).await?;
    let job = jobs::insert(&txn, op.job_kind(), row.id).await?;
    let mut active: hosting::ActiveModel = row.into();
    active.job_id = Set(Some(job.id));
    let row = active.update(&txn).await?;
    txn.commit().await?;
    jobs::wake(ctx);
    Ok(row)
}

/// `POST /api/v1/host/my/{start,stop,restart}`, `DELETE /api/v1/host/my`, and a retry after an
/// error (`create` again, or `start` when the VM is still there): 202, or 409 when the state
/// forbids it.
pub async fn act(ctx: &Ctx, actor: Option<&Actor>, op: Op) -> Result<Hosting> {
    let me = policy::require(actor, Action::UseHosting)?;
    let row = live(ctx, me.id()).await?.ok_or_else(none_yet)?;
    let row = begin(ctx, row, op, "requested").await?;
    hosting_of(ctx, &row).await
}

/// An operation named by a form (`create`, `retry`, `start`, `stop`, `restart`, `delete`): the
/// page's buttons, with the same rules as the REST doors.
pub async fn act_named(ctx: &Ctx, actor: Option<&Actor>, action: &str) -> Result<Hosting> {
    match action {
        "create" => create(ctx, actor).await,
        "retry" => act(ctx, actor, Op::Create).await,
        other => match Op::parse(other).filter(|op| *op != Op::Create) {
            Some(op) => act(ctx, actor, op).await,
            None => Err(ServiceError::invalid(
                "action",
                "unknown_action",
                "unknown hosting action",
            )),
        },
    }
}

/// Moves the hosting into `op` (checking the machine allows it) and queues its job.
pub(crate) async fn begin(
    ctx: &Ctx,
    row: hosting::Model,
    op: Op,
    why: &str,
) -> Result<hosting::Model> {
    let from = row.status();
    let op = match (op, from) {
        // Retrying a failed hosting: start it if its VM is still there, else create it again.
        (Op::Create | Op::Start, HostingStatus::Error) => match row.host.is_some() {
            true => Op::Start,
            false => Op::Create,
        },
        _ => op,
    };
    let to = match (row.op.as_deref(), op.begins(from)) {
        (None, Some(to)) => to,
        _ => return Err(op.refusal(from)),
    };
    let moved = machine::transition(ctx, row.id, from, to, Some(op), "queued", why).await?;
    if !moved {
        return Err(op.refusal(from));
    }
    let row = lifecycle::reload(ctx, row.id)
        .await
        .map_err(ServiceError::Internal)?;
    queue(ctx, row, op).await
}

/// An admin's delete: from whatever state, whatever is in flight.
pub(crate) async fn begin_forced(
    ctx: &Ctx,
    row: hosting::Model,
    from: HostingStatus,
    why: &str,
) -> Result<hosting::Model> {
    let to = HostingStatus::Deleting;
    if !machine::transition(ctx, row.id, from, to, Some(Op::Delete), "queued", why).await? {
        return Err(Op::Delete.refusal(from));
    }
    let row = lifecycle::reload(ctx, row.id)
        .await
        .map_err(ServiceError::Internal)?;
    queue(ctx, row, Op::Delete).await
}

/// Called when a person's account is closed (deactivated): their hosting goes with it.
pub async fn on_account_closed(ctx: &Ctx, user_id: i32) -> Result<()> {
    if let Some(row) = live(ctx, user_id).await? {
        if row.op.is_none() && Op::Delete.begins(row.status()).is_some() {
            begin(ctx, row, Op::Delete, "the account was closed").await?;
        }
    }
    Ok(())
}

/// Runs one hosting job (called by the job worker).
pub(crate) async fn perform(ctx: &Ctx, job: &job::Model) -> std::result::Result<(), String> {
    let row = lifecycle::reload(ctx, job.subject_id).await?;
    if row.job_id != Some(job.id) {
        return Ok(()); // superseded by a later request
    }
    let status = row.status();
    match (job.kind.as_str(), status) {
        (jobs::HOSTING_CREATE, HostingStatus::Creating) => create::run(ctx, row).await,
        (jobs::HOSTING_START, HostingStatus::Stopped | HostingStatus::Error) => {
            lifecycle::start(ctx, row).await
        }
        (jobs::HOSTING_STOP, HostingStatus::Stopping) => lifecycle::stop(ctx, row, false).await,
        (jobs::HOSTING_RESTART, HostingStatus::Stopping) => lifecycle::stop(ctx, row, true).await,
        (jobs::HOSTING_DELETE, HostingStatus::Deleting) => lifecycle::delete(ctx, row).await,
        // Moved on since (an admin's forced delete, a reconciler repair): nothing to do.
        _ => Ok(()),
    }
}
