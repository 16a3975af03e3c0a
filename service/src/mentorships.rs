//! Mentorships: an admin pairs a mentor with a mentee on a curriculum from a start date, which
//! generates the mentee's tasks with due dates. A mentorship runs until it is ended or cancelled;
//! its tasks and memos stay as history either way. Reading the form for a new one is in `pairing`.

mod pairing;

use chrono::{Days, NaiveDate, Utc};
use entity::{
    curriculum, mentorship, task, task_template, FieldError, MentorshipStatus, Page, PageRequest,
    Role, TaskStatus,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;

use crate::error::Checked;
use crate::notifications::{self, kind, today, Notice};
use crate::policy::{self, capabilities, Action, Caller, Pairing};
use crate::{links, lookup};
use crate::{Actor, Ctx, Result, ServiceError};
pub use entity::mentoring::MentorshipView;
pub use pairing::{candidates, Candidates};
use pairing::{check, company_for, NewPairing};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MentorshipInput {
    pub mentor_id: Option<i32>,
    pub mentee_id: Option<i32>,
    pub curriculum_id: Option<i32>,
    /// ISO date (`2026-12-01`).
    pub start_date: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MentorshipQuery {
    pub status: Option<MentorshipStatus>,
    pub mentor_id: Option<i32>,
    pub mentee_id: Option<i32>,
    /// `start_date` or `created_at`, `-` for descending. Default: active first, newest start first.
    pub sort: Option<String>,
}

/// What a mentorship list sorts by.
pub const SORTS: [(&str, mentorship::Column); 2] = [
    ("start_date", mentorship::Column::StartDate),
    ("created_at", mentorship::Column::CreatedAt),
];

fn sort_order(sort: &str) -> Result<(mentorship::Column, bool)> {
    crate::sort::parse(sort, &SORTS)
}

impl From<&mentorship::Model> for Pairing {
    fn from(m: &mentorship::Model) -> Self {
        Pairing {
            company: m.company_id,
            mentor: m.mentor_id,
            mentee: m.mentee_id,
        }
    }
}

/// Reads an ISO date (`2026-12-01`) for `field`.
pub(crate) fn parse_date(field: &str, raw: &str) -> Checked<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(vec![FieldError::new(field, "required", "choose a date")]);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        vec![FieldError::new(
            field,
            "invalid_date",
            "use a date like 2026-12-01",
        )]
    })
}

/// When a template's task falls due: `expected_days` after its week starts.
pub fn due_date(start: NaiveDate, week: i32, expected_days: i32) -> NaiveDate {
    let offset = 7 * (week.max(1) as u64 - 1) + expected_days.max(0) as u64;
    start.checked_add_days(Days::new(offset)).unwrap_or(start)
}

/// Still running: it, its tasks and their memos can change. Ended and cancelled ones are history.
pub(crate) fn is_open(m: &mentorship::Model) -> bool {
    m.status == MentorshipStatus::Active
}

pub(crate) async fn find(db: &impl ConnectionTrait, id: i32) -> Result<mentorship::Model> {
    mentorship::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound { what: "mentorship" })
}

/// The mentorship if the caller may `action` it; those who may not even see it learn nothing.
pub(crate) async fn checked(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    action: fn(Pairing) -> Action,
) -> Result<mentorship::Model> {
    policy::require(actor, Action::ViewOwnAccount)?;
    let found = find(&ctx.db, id).await?;
    let pairing = Pairing::from(&found);
    if !policy::allowed(actor.map(Caller::from), Action::ViewMentorship(pairing)) {
        return Err(ServiceError::NotFound { what: "mentorship" });
    }
    policy::require(actor, action(pairing))?;
    Ok(found)
}

pub async fn create(
    ctx: &Ctx,
    actor: Option<&Actor>,
    input: MentorshipInput,
) -> Result<MentorshipView> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let company = company_for(ctx, me, input.mentee_id).await?;
    policy::require(actor, Action::CreateMentorship(company))?;
    let pairing = check(&ctx.db, company, &input).await?;
    let NewPairing {
        mentor,
        mentee,
        curriculum,
        start,
    } = &pairing;

    let already = mentorship::Entity::find()
        .filter(mentorship::Column::MenteeId.eq(mentee.id))
        .filter(mentorship::Column::CurriculumId.eq(curriculum.id))
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active))
        .count(&ctx.db)
        .await?;
    if already > 0 {
        return Err(ServiceError::Conflict(FieldError::new(
            "mentee_id",
            "already_following",
            "this mentee already follows this curriculum",
        )));
    }

    let now = Utc::now();
    let txn = crate::db::begin(&ctx.db).await?;
    let created = mentorship::ActiveModel {
        company_id: Set(company),
        mentor_id: Set(mentor.id),
        mentee_id: Set(mentee.id),
        curriculum_id: Set(Some(curriculum.id)),
        status: Set(MentorshipStatus::Active),
        start_date: Set(*start),
        ended_at: Set(None),
        created_by: Set(Some(me.id())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    schedule_tasks(&txn, &created, curriculum.id).await?;
    notifications::notify(
        &txn,
        &[mentee.id],
        &Notice {
            kind: kind::TASKS_ASSIGNED,
            actor_id: Some(me.id()),
            subject: &curriculum.title,
            link: links::task_board(),
        },
    )
    .await?;
    notifications::notify(
        &txn,
        &[mentor.id],
        &Notice {
            kind: kind::MENTORSHIP_ASSIGNED,
            actor_id: Some(me.id()),
            subject: &mentee.name,
            link: links::mentorship(created.id),
        },
    )
    .await?;
    txn.commit().await?;
    let mut views = views(&ctx.db, Some(Caller::from(me)), vec![created]).await?;
    Ok(views.remove(0))
}

/// Gives the mentee of `m` one task per template of `curriculum`, due by the template's week and
/// expected days counted from the start date.
async fn schedule_tasks(
    db: &impl ConnectionTrait,
    m: &mentorship::Model,
    curriculum: i32,
) -> Result<()> {
    let templates = task_template::Entity::find()
        .filter(task_template::Column::CurriculumId.eq(curriculum))
        .order_by_asc(task_template::Column::Week)
        .order_by_asc(task_template::Column::Position)
        .order_by_asc(task_template::Column::Id)
        .all(db)
        .await?;
    let tasks: Vec<task::ActiveModel> = templates
        .into_iter()
        .map(|t| task::ActiveModel {
            company_id: Set(m.company_id),
            mentorship_id: Set(m.id),
            assignee_id: Set(m.mentee_id),
            template_id: Set(Some(t.id)),
            due_date: Set(due_date(m.start_date, t.week, t.expected_days)),
            title: Set(t.title),
            description: Set(t.description),
            week: Set(t.week),
            position: Set(t.position),
            status: Set(TaskStatus::Todo),
            started_at: Set(None),
            submitted_at: Set(None),
            completed_at: Set(None),
            overdue_notified: Set(false),
            created_at: Set(m.created_at),
            updated_at: Set(m.created_at),
            ..Default::default()
        })
        .collect();
    if !tasks.is_empty() {
        task::Entity::insert_many(tasks).exec(db).await?;
    }
    Ok(())
}

/// Labels mentorships with names, curriculum titles and progress in a fixed number of queries.
pub(crate) async fn views(
    db: &impl ConnectionTrait,
    caller: Option<Caller>,
    items: Vec<mentorship::Model>,
) -> Result<Vec<MentorshipView>> {
    let people: Vec<i32> = items
        .iter()
        .flat_map(|m| [m.mentor_id, m.mentee_id])
        .collect();
    let names = lookup::names(db, &people).await?;
    let curricula: Vec<i32> = items.iter().filter_map(|m| m.curriculum_id).collect();
    let titles: std::collections::HashMap<i32, String> = if curricula.is_empty() {
        Default::default()
    } else {
        curriculum::Entity::find()
            .select_only()
            .columns([curriculum::Column::Id, curriculum::Column::Title])
            .filter(curriculum::Column::Id.is_in(curricula))
            .into_tuple::<(i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let ids: Vec<i32> = items.iter().map(|m| m.id).collect();
    let progress = lookup::progress(db, &ids, today()).await?;
    Ok(items
        .into_iter()
        .map(|m| MentorshipView {
            mentor_name: names.get(&m.mentor_id).cloned().unwrap_or_default(),
            mentee_name: names.get(&m.mentee_id).cloned().unwrap_or_default(),
            curriculum_title: m.curriculum_id.and_then(|c| titles.get(&c).cloned()),
            progress: progress.get(&m.id).copied().unwrap_or_default(),
            capabilities: capabilities::mentorship(caller, Pairing::from(&m), is_open(&m)),
            mentorship: m,
        })
        .collect())
}

/// What the caller may see: admins their company's, mentors theirs, mentees their own.
pub(crate) fn scope(me: &Actor) -> Condition {
    let caller = Caller::from(me);
    if caller.platform_admin {
        return Condition::all();
    }
    let company = me.user.company_id.unwrap_or(-1);
    let mine = match me.role() {
        Role::Admin => Condition::all(),
        Role::Mentor => Condition::all().add(mentorship::Column::MentorId.eq(me.id())),
        Role::Mentee => Condition::all().add(mentorship::Column::MenteeId.eq(me.id())),
    };
    mine.add(mentorship::Column::CompanyId.eq(company))
}

/// Newest first (active ones before the rest).
pub async fn list(
    ctx: &Ctx,
    actor: Option<&Actor>,
    query: MentorshipQuery,
    page: PageRequest,
) -> Result<Page<MentorshipView>> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let mut q = mentorship::Entity::find().filter(scope(me));
    if let Some(s) = query.status {
        q = q.filter(mentorship::Column::Status.eq(s));
    }
    if let Some(id) = query.mentor_id {
        q = q.filter(mentorship::Column::MentorId.eq(id));
    }
    if let Some(id) = query.mentee_id {
        q = q.filter(mentorship::Column::MenteeId.eq(id));
    }
    q = match query.sort.as_deref() {
        Some(sort) => match sort_order(sort)? {
            (column, true) => q.order_by_desc(column),
            (column, false) => q.order_by_asc(column),
        },
        None => q
            .order_by_asc(mentorship::Column::Status)
            .order_by_desc(mentorship::Column::StartDate),
    };
    let mut found = crate::db::page(ctx, q.order_by_desc(mentorship::Column::Id), page).await?;
    let caller = Caller::from(me);
    let labelled = views(&ctx.db, Some(caller), std::mem::take(&mut found.items)).await?;
    // The platform admin has no company of their own and may pair people in any.
    let company = me.user.company_id.unwrap_or(-1);
    let can_create = policy::allowed(Some(caller), Action::CreateMentorship(company));
    Ok(found.with(labelled).creatable(can_create))
}

pub async fn get(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<MentorshipView> {
    let found = checked(ctx, actor, id, Action::ViewMentorship).await?;
    let caller = actor.map(Caller::from);
    Ok(views(&ctx.db, caller, vec![found]).await?.remove(0))
}

/// Reads a mentorship status as both doors receive it, with the field error for `status`.
pub fn parse_status(raw: &str) -> Result<MentorshipStatus> {
    Ok(crate::error::parse("status", raw)?)
}

/// Ends (finished) or cancels (abandoned) an active mentorship.
pub async fn set_status(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    to: MentorshipStatus,
) -> Result<MentorshipView> {
    let found = checked(ctx, actor, id, Action::ManageMentorship).await?;
    if !is_open(&found) || to == MentorshipStatus::Active {
        return Err(ServiceError::invalid(
            "status",
            "invalid_transition",
            format!(
                "a mentorship that is {} cannot become {}",
                found.status.as_str(),
                to.as_str()
            ),
        ));
    }
    let now = Utc::now();
    let changed = mentorship::Entity::update_many()
        .col_expr(mentorship::Column::Status, Expr::value(to))
        .col_expr(mentorship::Column::EndedAt, Expr::value(now))
        .col_expr(mentorship::Column::UpdatedAt, Expr::value(now))
        .filter(mentorship::Column::Id.eq(id))
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active))
        .exec(&ctx.db)
        .await?;
    if changed.rows_affected != 1 {
        return Err(changed_meanwhile());
    }
    get(ctx, actor, id).await
}

pub(crate) fn changed_meanwhile() -> ServiceError {
    ServiceError::Conflict(FieldError::new(
        "",
        "changed_meanwhile",
        "someone changed this meanwhile; reload and try again",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_count_from_the_start_of_the_week() {
        let start = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            due_date(start, 1, 3),
            NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
        );
        assert_eq!(
            due_date(start, 2, 1),
            NaiveDate::from_ymd_opt(2026, 12, 9).unwrap()
        );
    }
}
