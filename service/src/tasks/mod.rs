//! A mentee's tasks: listed by mentorship, assignee, status or due date (each caller sees only
//! what they may), read with their history and memos, added and edited by hand by the mentor.
//! The board lives in `board`, status changes in `transition`, memos in `memos`.

pub mod board;
pub mod memos;
pub mod transition;

use chrono::{NaiveDate, Utc};
use entity::{mentorship, task, task_event, Page, PageRequest, Role, TaskStatus};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde::Deserialize;

pub use entity::mentoring::{EventView, TaskDetail, TaskItem};

use crate::curricula::{patched, DESCRIPTION_MAX, TITLE_MAX};
use crate::error::{AllValid, Checked, Problems};
use crate::markdown::to_safe_html;
use crate::mentorships::{self, parse_date};
use crate::notifications::{self, kind, today, Notice};
use crate::policy::{self, capabilities, Action, Pairing};
use crate::{links, lookup};
use crate::{Actor, Ctx, Result, ServiceError};

pub use board::{board, BoardQuery};
pub use transition::{parse_status, transition};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskQuery {
    pub mentorship_id: Option<i32>,
    pub assignee_id: Option<i32>,
    pub status: Option<TaskStatus>,
    /// Only open tasks past their due date.
    pub overdue: Option<bool>,
    /// `due_date` (default), `title`, `status`, `created_at`, `updated_at`; `-` for descending.
    pub sort: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewTask {
    pub mentorship_id: Option<i32>,
    pub title: String,
    pub description: Option<String>,
    /// ISO date.
    pub due_date: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub due_date: Option<String>,
}

pub(crate) fn is_overdue(t: &task::Model, today: NaiveDate) -> bool {
    t.status.is_open() && t.due_date < today
}

/// What a task list sorts by (default `due_date`).
pub const SORTS: [(&str, task::Column); 5] = [
    ("due_date", task::Column::DueDate),
    ("title", task::Column::Title),
    ("status", task::Column::Status),
    ("created_at", task::Column::CreatedAt),
    ("updated_at", task::Column::UpdatedAt),
];

fn sort_order(sort: Option<&str>) -> Result<(task::Column, bool)> {
    crate::sort::parse(sort.unwrap_or("due_date"), &SORTS)
}

/// The tasks a caller may see: admins their company's, mentors their mentorships', mentees
/// their own.
fn scope(me: &Actor) -> Condition {
    if policy::Caller::from(me).platform_admin {
        return Condition::all();
    }
    let company =
        Condition::all().add(task::Column::CompanyId.eq(me.user.company_id.unwrap_or(-1)));
    match me.role() {
        Role::Admin => company,
        Role::Mentee => company.add(task::Column::AssigneeId.eq(me.id())),
        Role::Mentor => company.add(
            task::Column::MentorshipId.in_subquery(
                Query::select()
                    .column(mentorship::Column::Id)
                    .from(mentorship::Entity)
                    .and_where(mentorship::Column::MentorId.eq(me.id()))
                    .to_owned(),
            ),
        ),
    }
}

pub(crate) async fn items(
    db: &impl sea_orm::ConnectionTrait,
    tasks: Vec<task::Model>,
) -> Result<Vec<TaskItem>> {
    let ids: Vec<i32> = tasks.iter().map(|t| t.assignee_id).collect();
    let names = lookup::names(db, &ids).await?;
    let today = today();
    Ok(tasks
        .into_iter()
        .map(|t| TaskItem {
            overdue: is_overdue(&t, today),
            assignee_name: names.get(&t.assignee_id).cloned().unwrap_or_default(),
            id: t.id,
            mentorship_id: t.mentorship_id,
            assignee_id: t.assignee_id,
            title: t.title,
            status: t.status,
            due_date: t.due_date,
            week: t.week,
            position: t.position,
            completed_at: t.completed_at,
            updated_at: t.updated_at,
        })
        .collect())
}

pub async fn list(
    ctx: &Ctx,
    actor: Option<&Actor>,
    query: TaskQuery,
    page: PageRequest,
) -> Result<Page<TaskItem>> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let (column, descending) = sort_order(query.sort.as_deref())?;
    let mut q = task::Entity::find().filter(scope(me));
    if let Some(id) = query.mentorship_id {
        q = q.filter(task::Column::MentorshipId.eq(id));
    }
    if let Some(id) = query.assignee_id {
        q = q.filter(task::Column::AssigneeId.eq(id));
    }
    if let Some(s) = query.status {
        q = q.filter(task::Column::Status.eq(s));
    }
    if query.overdue == Some(true) {
        q = q
            .filter(task::Column::DueDate.lt(today()))
            .filter(task::Column::Status.ne(TaskStatus::Done));
    }
    q = if descending {
        q.order_by_desc(column)
    } else {
        q.order_by_asc(column)
    };
    let mut found = crate::db::page(
        ctx,
        q.order_by_asc(task::Column::Week)
            .order_by_asc(task::Column::Position)
            .order_by_asc(task::Column::Id),
        page,
    )
    .await?;
    let labelled = items(&ctx.db, std::mem::take(&mut found.items)).await?;
    Ok(found.with(labelled))
}

/// The task and its mentorship, if the caller may see them.
pub(crate) async fn visible(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
) -> Result<(task::Model, mentorship::Model)> {
    policy::require(actor, Action::ViewOwnAccount)?;
    let found = task::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or(ServiceError::NotFound { what: "task" })?;
    let m = mentorships::find(&ctx.db, found.mentorship_id).await?;
    if !policy::allowed(
        actor.map(policy::Caller::from),
        Action::ViewMentorship(Pairing::from(&m)),
    ) {
        return Err(ServiceError::NotFound { what: "task" });
    }
    Ok((found, m))
}

pub async fn get(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<TaskDetail> {
    let (t, m) = visible(ctx, actor, id).await?;
    let events = task_event::Entity::find()
        .filter(task_event::Column::TaskId.eq(id))
        .order_by_asc(task_event::Column::CreatedAt)
        .order_by_asc(task_event::Column::Id)
        .all(&ctx.db)
        .await?;
    let caller = actor.map(policy::Caller::from);
    let reader = memos::Reader {
        caller,
        company: m.company_id,
    };
    let memos = memos::of_task(&ctx.db, reader, id).await?;
    let mut people: Vec<i32> = events.iter().filter_map(|e| e.actor_id).collect();
    people.extend([t.assignee_id, m.mentor_id]);
    let names = lookup::names(&ctx.db, &people).await?;
    Ok(TaskDetail {
        description_html: to_safe_html(&t.description),
        assignee_name: names.get(&t.assignee_id).cloned().unwrap_or_default(),
        mentor_id: m.mentor_id,
        mentor_name: names.get(&m.mentor_id).cloned().unwrap_or_default(),
        mentorship_status: m.status,
        overdue: is_overdue(&t, today()),
        allowed_transitions: transition::allowed_moves(caller, &t, &m),
        capabilities: capabilities::task(caller, Pairing::from(&m), mentorships::is_open(&m)),
        events: events
            .into_iter()
            .map(|e| EventView {
                actor_name: e.actor_id.and_then(|a| names.get(&a).cloned()),
                event: e,
            })
            .collect(),
        memos,
        task: t,
    })
}

fn check(title: &str, description: &str) -> Checked<()> {
    let mut problems = Problems::default();
    problems.line("title", title, true, TITLE_MAX);
    problems.text("description", description, false, DESCRIPTION_MAX);
    problems.into_checked(())
}

pub(crate) fn require_active(m: &mentorship::Model) -> Result<()> {
    if mentorships::is_open(m) {
        Ok(())
    } else {
        Err(ServiceError::Conflict(entity::FieldError::new(
            "mentorship_id",
            "mentorship_closed",
            "this mentorship has ended; its tasks can no longer change",
        )))
    }
}

/// Adds a task by hand at the end of the mentorship's last week.
pub async fn create(ctx: &Ctx, actor: Option<&Actor>, input: NewTask) -> Result<task::Model> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let Some(mentorship_id) = input.mentorship_id else {
        return Err(ServiceError::invalid(
            "mentorship_id",
            "required",
            "choose a mentorship",
        ));
    };
    let m = mentorships::checked(ctx, actor, mentorship_id, Action::ManageMentorship).await?;
    require_active(&m)?;
    let title = input.title.trim().to_owned();
    let description = input.description.unwrap_or_default().trim().to_owned();
    let (due, ()) = (
        parse_date("due_date", &input.due_date),
        check(&title, &description),
    )
        .all_valid()?;
    let txn = crate::db::begin(&ctx.db).await?;
    let last: Option<(i32, i32)> = task::Entity::find()
        .select_only()
        .columns([task::Column::Week, task::Column::Position])
        .filter(task::Column::MentorshipId.eq(m.id))
        .order_by_desc(task::Column::Week)
        .order_by_desc(task::Column::Position)
        .into_tuple()
        .one(&txn)
        .await?;
    let (week, position) = last.map_or((1, 1), |(w, p)| (w, p + 1));
    let now = Utc::now();
    let created = task::ActiveModel {
        company_id: Set(m.company_id),
        mentorship_id: Set(m.id),
        assignee_id: Set(m.mentee_id),
        template_id: Set(None),
        title: Set(title),
        description: Set(description),
        week: Set(week),
        position: Set(position),
        due_date: Set(due),
        status: Set(TaskStatus::Todo),
        started_at: Set(None),
        submitted_at: Set(None),
        completed_at: Set(None),
        overdue_notified: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    notifications::notify(
        &txn,
        &[m.mentee_id],
        &Notice {
            kind: kind::TASK_ASSIGNED,
            actor_id: Some(me.id()),
            subject: &created.title,
            link: links::task(created.id),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Edits a task's title, description or due date (the mentor and admins).
pub async fn update(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    patch: TaskPatch,
) -> Result<task::Model> {
    let (current, m) = visible(ctx, actor, id).await?;
    policy::require(actor, Action::ManageMentorship(Pairing::from(&m)))?;
    require_active(&m)?;
    let title = patched(patch.title.as_deref(), &current.title);
    let description = patched(patch.description.as_deref(), &current.description);
    let due = match patch.due_date.as_deref() {
        Some(raw) => parse_date("due_date", raw),
        None => Ok(current.due_date),
    };
    let (due, ()) = (due, check(&title, &description)).all_valid()?;
    let moved_later = due > current.due_date;
    let mut active: task::ActiveModel = current.into();
    active.title = Set(title);
    active.description = Set(description);
    active.due_date = Set(due);
    if moved_later {
        // A new deadline deserves a new reminder.
        active.overdue_notified = Set(false);
    }
    active.updated_at = Set(Utc::now());
    Ok(active.update(&ctx.db).await?)
}

pub async fn delete(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<()> {
    let (_, m) = visible(ctx, actor, id).await?;
    policy::require(actor, Action::ManageMentorship(Pairing::from(&m)))?;
    require_active(&m)?;
    task::Entity::delete_by_id(id).exec(&ctx.db).await?;
    Ok(())
}
