//! Batched look-ups that lists use to label rows without one query per row.

use std::collections::HashMap;

use chrono::NaiveDate;
pub use entity::mentoring::Progress;
use entity::{task, user, TaskStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::Result;

/// People's names by id.
pub async fn names(db: &impl ConnectionTrait, ids: &[i32]) -> Result<HashMap<i32, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let rows: Vec<(i32, String)> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Name])
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Adds `count` tasks in `status`, `overdue` of them past due, to `p`.
pub(crate) fn add(p: &mut Progress, status: TaskStatus, count: i64, overdue: i64) {
    let (count, overdue) = (count as u64, overdue as u64);
    p.total += count;
    p.overdue += overdue;
    match status {
        TaskStatus::Done => p.done += count,
        TaskStatus::Review => p.in_review += count,
        _ => {}
    }
}

/// `COUNT` of the open tasks past due on `today`, beside the plain count in one grouped query.
pub(crate) fn overdue_count(today: NaiveDate) -> Expr {
    let overdue: Expr = Expr::case(
        Condition::all()
            .add(task::Column::DueDate.lt(today))
            .add(task::Column::Status.ne(TaskStatus::Done)),
        1,
    )
    .into();
    overdue.count()
}

/// Progress per mentorship, counted by the database (one grouped query whatever the number).
pub async fn progress(
    db: &impl ConnectionTrait,
    mentorships: &[i32],
    today: NaiveDate,
) -> Result<HashMap<i32, Progress>> {
    let mut out: HashMap<i32, Progress> = HashMap::new();
    if mentorships.is_empty() {
        return Ok(out);
    }
    let rows = task::Entity::find()
        .select_only()
        .column(task::Column::MentorshipId)
        .column(task::Column::Status)
        .column_as(task::Column::Id.count(), "n")
        .column_as(overdue_count(today), "overdue")
        .filter(task::Column::MentorshipId.is_in(mentorships.iter().copied()))
        .group_by(task::Column::MentorshipId)
        .group_by(task::Column::Status)
        .into_tuple::<(i32, TaskStatus, i64, i64)>()
        .all(db)
        .await?;
    for (id, status, n, overdue) in rows {
        add(out.entry(id).or_default(), status, n, overdue);
    }
    Ok(out)
}
