//! Batched look-ups that lists use to label rows without one query per row.

use std::collections::HashMap;

use chrono::NaiveDate;
pub use entity::mentoring::Progress;
use entity::{task, user, TaskStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

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

fn add(p: &mut Progress, status: TaskStatus, count: u64) {
    p.total += count;
    match status {
        TaskStatus::Done => p.done += count,
        TaskStatus::Review => p.in_review += count,
        _ => {}
    }
}

/// Progress per mentorship, counted by the database (two grouped queries whatever the number).
pub async fn progress(
    db: &impl ConnectionTrait,
    mentorships: &[i32],
    today: NaiveDate,
) -> Result<HashMap<i32, Progress>> {
    let mut out: HashMap<i32, Progress> = HashMap::new();
    if mentorships.is_empty() {
        return Ok(out);
    }
    let counts = |overdue_only: bool| {
        let mut q = task::Entity::find()
            .select_only()
            .column(task::Column::MentorshipId)
            .column(task::Column::Status)
            .column_as(task::Column::Id.count(), "n")
            .filter(task::Column::MentorshipId.is_in(mentorships.iter().copied()))
            .group_by(task::Column::MentorshipId)
            .group_by(task::Column::Status);
        if overdue_only {
            q = q
                .filter(task::Column::DueDate.lt(today))
                .filter(task::Column::Status.ne(TaskStatus::Done));
        }
        q.into_tuple::<(i32, TaskStatus, i64)>()
    };
    for (id, status, n) in counts(false).all(db).await? {
        add(out.entry(id).or_default(), status, n as u64);
    }
    for (id, _, n) in counts(true).all(db).await? {
        out.entry(id).or_default().overdue += n as u64;
    }
    Ok(out)
}
