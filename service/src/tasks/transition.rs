//! The task status machine: to do → in progress → review → done, with "changes requested" back
//! to work. The mentee moves their own task forward; the mentor (or an admin) reviews. Every move
//! is recorded with who, when and why.

use chrono::Utc;
use entity::{mentorship, task, task_event, TaskStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::error::text_problem;
use crate::links;
use crate::mentorships::changed_meanwhile;
use crate::notifications::{self, kind, Notice};
use crate::policy::{self, Action, Caller, Pairing};
use crate::{Actor, Ctx, Result, ServiceError};

pub const COMMENT_MAX: usize = 10_000;

/// Who makes a move: the one doing the work or the one reviewing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    Worker,
    Reviewer,
}

/// Every allowed move. Anything else is an invalid transition.
const MOVES: &[(TaskStatus, TaskStatus, By)] = {
    use TaskStatus::*;
    &[
        (Todo, InProgress, By::Worker),
        (InProgress, Todo, By::Worker),
        (InProgress, Review, By::Worker),
        (ChangesRequested, InProgress, By::Worker),
        (ChangesRequested, Review, By::Worker),
        (Review, Done, By::Reviewer),
        (Review, ChangesRequested, By::Reviewer),
    ]
};

fn rule(from: TaskStatus, to: TaskStatus) -> Option<By> {
    MOVES
        .iter()
        .find(|(f, t, _)| *f == from && *t == to)
        .map(|(_, _, by)| *by)
}

fn may(caller: Option<Caller>, by: By, pairing: Pairing) -> bool {
    let action = match by {
        By::Worker => Action::WorkOnTask(pairing),
        By::Reviewer => Action::ReviewTask(pairing),
    };
    policy::allowed(caller, action)
}

/// Reads a status as both doors receive it (`in_progress`, …), with the field error for `to`.
pub fn parse_status(raw: &str) -> Result<TaskStatus> {
    Ok(crate::error::parse("to", raw)?)
}

/// The statuses `caller` may move the task to now (none once the mentorship is over).
pub fn allowed_moves(
    caller: Option<Caller>,
    t: &task::Model,
    m: &mentorship::Model,
) -> Vec<TaskStatus> {
    if !crate::mentorships::is_open(m) {
        return Vec::new();
    }
    let pairing = Pairing::from(m);
    MOVES
        .iter()
        .filter(|(from, _, by)| *from == t.status && may(caller, *by, pairing))
        .map(|(_, to, _)| *to)
        .collect()
}

/// Moves a task to `to`. Requesting changes needs a comment saying what to change.
pub async fn transition(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    to: TaskStatus,
    comment: Option<String>,
) -> Result<task::Model> {
    let (current, m) = super::visible(ctx, actor, id).await?;
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let from = current.status;
    let pairing = Pairing::from(&m);
    let Some(by) = rule(from, to) else {
        return Err(ServiceError::invalid(
            "to",
            "invalid_transition",
            format!("a task that is {from} cannot move to {to}"),
        ));
    };
    if !may(Some(Caller::from(me)), by, pairing) {
        return Err(ServiceError::Forbidden);
    }
    super::require_active(&m)?;
    let comment = comment
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    match &comment {
        None if to == TaskStatus::ChangesRequested => {
            return Err(ServiceError::invalid(
                "comment",
                "required",
                "say what should change",
            ))
        }
        Some(c) => {
            if let Some((code, message)) = text_problem(c, false, COMMENT_MAX, true) {
                return Err(ServiceError::invalid("comment", code, message));
            }
        }
        None => {}
    }

    let now = Utc::now();
    let txn = crate::db::begin(&ctx.db).await?;
    let mut update = task::Entity::update_many()
        .col_expr(task::Column::Status, Expr::value(to))
        .col_expr(task::Column::UpdatedAt, Expr::value(now));
    match to {
        TaskStatus::InProgress if current.started_at.is_none() => {
            update = update.col_expr(task::Column::StartedAt, Expr::value(now));
        }
        TaskStatus::Review => {
            update = update.col_expr(task::Column::SubmittedAt, Expr::value(now));
        }
        TaskStatus::Done => {
            update = update.col_expr(task::Column::CompletedAt, Expr::value(now));
        }
        _ => {}
    }
    // Only if nobody moved it since we looked: two reviewers cannot both act on one review.
    let changed = update
        .filter(task::Column::Id.eq(id))
        .filter(task::Column::Status.eq(from))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return Err(changed_meanwhile());
    }
    task_event::ActiveModel {
        task_id: Set(id),
        actor_id: Set(Some(me.id())),
        from_status: Set(from),
        to_status: Set(to),
        comment: Set(comment),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let notice = match to {
        TaskStatus::Review => Some((m.mentor_id, kind::TASK_SUBMITTED)),
        TaskStatus::Done => Some((m.mentee_id, kind::TASK_APPROVED)),
        TaskStatus::ChangesRequested => Some((m.mentee_id, kind::CHANGES_REQUESTED)),
        _ => None,
    };
    if let Some((who, what)) = notice {
        notifications::notify(
            &txn,
            &[who],
            &Notice {
                kind: what,
                actor_id: Some(me.id()),
                subject: &current.title,
                link: links::task(id),
            },
        )
        .await?;
    }
    txn.commit().await?;
    task::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or(ServiceError::NotFound { what: "task" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use TaskStatus::*;

    #[test]
    fn the_mentee_works_and_the_mentor_reviews() {
        assert_eq!(rule(Todo, InProgress), Some(By::Worker));
        assert_eq!(rule(InProgress, Review), Some(By::Worker));
        assert_eq!(rule(Review, Done), Some(By::Reviewer));
        assert_eq!(rule(Review, ChangesRequested), Some(By::Reviewer));
        assert_eq!(rule(ChangesRequested, InProgress), Some(By::Worker));
    }

    #[test]
    fn no_shortcuts() {
        for (from, to) in [
            (Todo, Done),
            (Todo, Review),
            (InProgress, Done),
            (Done, Todo),
            (Done, InProgress),
            (Review, Todo),
            (Todo, Todo),
        ] {
            assert_eq!(rule(from, to), None, "{from} → {to}");
        }
    }
}
