//! In-app notifications: a task assigned, sent to review, approved or sent back, a memo written,
//! a task overdue, a form to answer. Written in the same transaction as what they announce, read
//! only by the person they are for.

use chrono::Utc;
use entity::{mentorship, notification, task, MentorshipStatus, Page, PageRequest, TaskStatus};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::links;
use crate::policy::{self, Action};
use crate::{Actor, Ctx, Result, ServiceError};

/// The kinds the UI knows how to say.
pub mod kind {
    pub const TASKS_ASSIGNED: &str = "tasks_assigned";
    pub const MENTORSHIP_ASSIGNED: &str = "mentorship_assigned";
    pub const TASK_ASSIGNED: &str = "task_assigned";
    pub const TASK_SUBMITTED: &str = "task_submitted";
    pub const TASK_APPROVED: &str = "task_approved";
    pub const CHANGES_REQUESTED: &str = "changes_requested";
    pub const MEMO: &str = "memo";
    pub const TASK_OVERDUE: &str = "task_overdue";
    pub const FORM_SENT: &str = "form_sent";
}

/// One notification to write.
pub struct Notice<'a> {
    pub kind: &'static str,
    pub actor_id: Option<i32>,
    pub subject: &'a str,
    pub link: String,
}

/// Tells each of `users` about `notice`, except the one who caused it.
pub async fn notify(db: &impl ConnectionTrait, users: &[i32], notice: &Notice<'_>) -> Result<()> {
    let now = Utc::now();
    let subject: String = notice.subject.chars().take(200).collect();
    let rows: Vec<notification::ActiveModel> = users
        .iter()
        .filter(|u| Some(**u) != notice.actor_id)
        .map(|user| notification::ActiveModel {
            user_id: Set(*user),
            kind: Set(notice.kind.to_owned()),
            actor_id: Set(notice.actor_id),
            subject: Set(subject.clone()),
            link: Set(notice.link.clone()),
            read_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        notification::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// The caller's notifications, newest first.
pub async fn list(
    ctx: &Ctx,
    actor: Option<&Actor>,
    unread_only: bool,
    page: PageRequest,
) -> Result<Page<notification::Model>> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let mut q = notification::Entity::find().filter(notification::Column::UserId.eq(me.id()));
    if unread_only {
        q = q.filter(notification::Column::ReadAt.is_null());
    }
    Ok(crate::db::page(
        ctx,
        q.order_by_desc(notification::Column::CreatedAt)
            .order_by_desc(notification::Column::Id),
        page,
    )
    .await?)
}

pub async fn unread_count(ctx: &Ctx, actor: Option<&Actor>) -> Result<u64> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(me.id()))
        .filter(notification::Column::ReadAt.is_null())
        .count(&ctx.db)
        .await?)
}

/// Marks one of the caller's notifications read (someone else's is "not found").
pub async fn mark_read(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<notification::Model> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let found = notification::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .filter(|n| n.user_id == me.id())
        .ok_or(ServiceError::NotFound {
            what: "notification",
        })?;
    if found.read_at.is_some() {
        return Ok(found);
    }
    let mut active: notification::ActiveModel = found.into();
    active.read_at = Set(Some(Utc::now()));
    Ok(active.update(&ctx.db).await?)
}

/// Marks all of the caller's notifications read; answers how many were unread.
pub async fn mark_all_read(ctx: &Ctx, actor: Option<&Actor>) -> Result<u64> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let done = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(me.id()))
        .filter(notification::Column::ReadAt.is_null())
        .exec(&ctx.db)
        .await?;
    Ok(done.rows_affected)
}

/// Today, as the people using this instance count days: the server's local date.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Tells mentees once about each open task of an active mentorship that is past its due date.
/// Run by the server's housekeeping loop; answers how many were told.
pub async fn sweep_overdue(ctx: &Ctx) -> Result<u64> {
    const BATCH: u64 = 500;
    let mut told = 0;
    loop {
        let active = Query::select()
            .column(mentorship::Column::Id)
            .from(mentorship::Entity)
            .and_where(mentorship::Column::Status.eq(MentorshipStatus::Active))
            .to_owned();
        let due: Vec<task::Model> = task::Entity::find()
            .filter(task::Column::OverdueNotified.eq(false))
            .filter(task::Column::DueDate.lt(today()))
            .filter(task::Column::Status.ne(TaskStatus::Done))
            .filter(task::Column::MentorshipId.in_subquery(active))
            .order_by_asc(task::Column::Id)
            .limit(BATCH)
            .all(&ctx.db)
            .await?;
        if due.is_empty() {
            return Ok(told);
        }
        let txn = crate::db::begin(&ctx.db).await?;
        for t in &due {
            notify(
                &txn,
                &[t.assignee_id],
                &Notice {
                    kind: kind::TASK_OVERDUE,
                    actor_id: None,
                    subject: &t.title,
                    link: links::task(t.id),
                },
            )
            .await?;
        }
        task::Entity::update_many()
            .col_expr(task::Column::OverdueNotified, Expr::value(true))
            .filter(task::Column::Id.is_in(due.iter().map(|t| t.id)))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        told += due.len() as u64;
    }
}
