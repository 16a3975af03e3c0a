//! The recorded state machine: `creating → running ⇄ stopped`, `→ deleting → deleted`, any →
//! `error`. A transition is one conditional update ("set `to` where the status is still
//! `from`") plus an event row, so two requests or two workers racing on one hosting never both
//! win, and the timeline holds every change.

use chrono::Utc;
use entity::hosting::{self, event, HostingStatus};
use entity::FieldError;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::{Ctx, Result, ServiceError};

/// What a person (or an admin) asks of a hosting; each is a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Create,
    Start,
    Stop,
    Restart,
    Delete,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Start => "start",
            Op::Stop => "stop",
            Op::Restart => "restart",
            Op::Delete => "delete",
        }
    }

    pub fn parse(s: &str) -> Option<Op> {
        [Op::Create, Op::Start, Op::Stop, Op::Restart, Op::Delete]
            .into_iter()
            .find(|op| op.as_str() == s)
    }

    pub fn job_kind(self) -> &'static str {
        match self {
            Op::Create => crate::jobs::HOSTING_CREATE,
            Op::Start => crate::jobs::HOSTING_START,
            Op::Stop => crate::jobs::HOSTING_STOP,
            Op::Restart => crate::jobs::HOSTING_RESTART,
            Op::Delete => crate::jobs::HOSTING_DELETE,
        }
    }

    /// The status the hosting shows while the job runs, from `from`; `None`: not allowed now.
    pub fn begins(self, from: HostingStatus) -> Option<HostingStatus> {
        use HostingStatus::*;
        match (self, from) {
            // A retry after a failed create.
            (Op::Create, Error) => Some(Creating),
            (Op::Start, Stopped | Error) => Some(from),
            (Op::Stop, Running) => Some(Stopping),
            (Op::Restart, Running) => Some(Stopping),
            (Op::Delete, Running | Stopped | Error) => Some(Deleting),
            _ => None,
        }
    }

    /// Why `self` cannot start from `from`, in words for the person.
    pub fn refusal(self, from: HostingStatus) -> ServiceError {
        let message = match (self, from) {
            (_, HostingStatus::Creating) => "your hosting is still being created; wait a moment",
            (_, HostingStatus::Deleting) => "your hosting is being deleted",
            (Op::Start, HostingStatus::Running) => "your hosting is already running",
            (Op::Stop | Op::Restart, HostingStatus::Stopped) => "your hosting is stopped",
            (_, HostingStatus::Stopping) => "your hosting is stopping; wait a moment",
            _ => "your hosting cannot do that in its current state",
        };
        ServiceError::Conflict(FieldError::new("", "hosting_state", message))
    }
}

/// Records one event of a hosting's timeline.
pub async fn event(
    ctx: &Ctx,
    hosting_id: i32,
    from: HostingStatus,
    to: HostingStatus,
    step: &str,
    message: &str,
) -> Result<()> {
    event::ActiveModel {
        hosting_id: Set(hosting_id),
        from_status: Set(from.as_str().to_owned()),
        to_status: Set(to.as_str().to_owned()),
        step: Set(step.to_owned()),
        message: Set(message.to_owned()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?;
    Ok(())
}

/// Moves `id` from `from` to `to` if it is still at `from`; false if someone else moved it.
/// `op`: the operation now in flight (`None` clears it); `step`: where it is.
pub async fn transition(
    ctx: &Ctx,
    id: i32,
    from: HostingStatus,
    to: HostingStatus,
    op: Option<Op>,
    step: &str,
    message: &str,
) -> Result<bool> {
    let now = Utc::now();
    let mut update = hosting::Entity::update_many()
        .col_expr(hosting::Column::Status, Expr::value(to.as_str()))
        .col_expr(hosting::Column::Op, Expr::value(op.map(Op::as_str)))
        .col_expr(
            hosting::Column::Step,
            Expr::value(op.map(|_| step.to_owned())),
        )
        .col_expr(hosting::Column::UpdatedAt, Expr::value(now))
        .filter(hosting::Column::Id.eq(id))
        .filter(hosting::Column::Status.eq(from.as_str()));
    if to == HostingStatus::Deleted {
        // The person may create a new one; the row stays for its timeline.
        update = update.col_expr(hosting::Column::LiveOwner, Expr::value(Option::<i32>::None));
    }
    if to == HostingStatus::Error && op.is_none() {
        update = update.col_expr(hosting::Column::Error, Expr::value(message));
    } else if op.is_some() {
        update = update.col_expr(hosting::Column::Error, Expr::value(Option::<String>::None));
    }
    if to == HostingStatus::Running && op.is_none() {
        update = update.col_expr(hosting::Column::ReadyAt, Expr::value(now));
    }
    let moved = update.exec(&ctx.db).await?.rows_affected == 1;
    if moved {
        event(ctx, id, from, to, step, message).await?;
    }
    Ok(moved)
}

/// Notes the step the operation in flight has reached (and puts it on the timeline).
pub async fn step(ctx: &Ctx, row: &hosting::Model, step: &str, message: &str) -> Result<()> {
    hosting::Entity::update_many()
        .col_expr(hosting::Column::Step, Expr::value(step))
        .col_expr(hosting::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(hosting::Column::Id.eq(row.id))
        .exec(&ctx.db)
        .await?;
    let status = row.status();
    event(ctx, row.id, status, status, step, message).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use HostingStatus::*;

    /// The whole table: which operation may begin from which status, and what it shows.
    #[test]
    fn operations_begin_only_where_the_machine_allows() {
        let expect = |op: Op, from: HostingStatus| -> Option<HostingStatus> {
            match (op, from) {
                (Op::Create, Error) => Some(Creating),
                (Op::Start, Stopped) => Some(Stopped),
                (Op::Start, Error) => Some(Error),
                (Op::Stop | Op::Restart, Running) => Some(Stopping),
                (Op::Delete, Running | Stopped | Error) => Some(Deleting),
                _ => None,
            }
        };
        for op in [Op::Create, Op::Start, Op::Stop, Op::Restart, Op::Delete] {
            for from in HostingStatus::ALL {
                assert_eq!(op.begins(from), expect(op, from), "{op:?} from {from:?}");
            }
        }
        for op in [Op::Create, Op::Start, Op::Stop, Op::Restart, Op::Delete] {
            assert_eq!(Op::parse(op.as_str()), Some(op));
        }
    }
}
