//! The task board: the caller's tasks in one column per status, each column counted and paged by
//! the database on its own, so a board over thousands of tasks shows true counts and reads only
//! the cards on screen. Whoever sees a whole company (admins) names a mentorship or a person
//! first: a board of everyone's tasks answers no question anyone asks.

use entity::form_view::MentorshipChoice;
use entity::mentoring::{Board, BoardColumn};
use entity::page::{bounded, DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE};
use entity::{mentorship, task, user, MentorshipStatus, PageRequest, Role, TaskStatus};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect};

use super::{items, scope};
use crate::error::Problems;
use crate::notifications::today;
use crate::policy::{self, Action, Caller};
use crate::users::{contains_pattern, SEARCH_MAX};
use crate::{lookup, mentorships};
use crate::{Actor, Ctx, Result, ServiceError};

/// How many mentorships the chooser offers at once; a search narrows the rest.
pub const CHOICES: u64 = 20;

#[derive(Debug, Clone, Default)]
pub struct BoardQuery {
    /// One mentorship (ended ones too); otherwise the caller's active mentorships.
    pub mentorship_id: Option<i32>,
    /// One person's tasks.
    pub assignee_id: Option<i32>,
    /// Only open tasks past their due date (a question worth asking company-wide).
    pub overdue: bool,
    /// Narrows the chooser by mentee or mentor name or email.
    pub q: Option<String>,
    /// Cards per column (1–100, default 20).
    pub per_page: Option<i64>,
    /// Each column's page, in [`TaskStatus::ALL`] order, as the client sent it (1-based).
    pub pages: [Option<i64>; 5],
}

/// The query parameter that pages `status`'s column (`todo_page`, …).
pub fn page_param(status: TaskStatus) -> String {
    format!("{}_page", status.as_str())
}

/// Every page number within bounds, or one field error per parameter out of them.
fn checked_pages(query: &BoardQuery) -> Result<(u64, [u64; 5])> {
    let mut problems = Vec::new();
    let per_page = bounded(
        "per_page",
        query.per_page,
        MAX_PER_PAGE,
        DEFAULT_PER_PAGE,
        &mut problems,
    );
    let mut pages = [1; 5];
    for (i, status) in TaskStatus::ALL.into_iter().enumerate() {
        pages[i] = bounded(
            &page_param(status),
            query.pages[i],
            MAX_PAGE,
            1,
            &mut problems,
        );
    }
    if !problems.is_empty() {
        return Err(ServiceError::Invalid(problems));
    }
    Ok((per_page, pages))
}

pub async fn board(ctx: &Ctx, actor: Option<&Actor>, query: BoardQuery) -> Result<Board> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let (per_page, pages) = checked_pages(&query)?;
    let sees_company = me.role() == Role::Admin || Caller::from(me).platform_admin;
    if sees_company
        && query.mentorship_id.is_none()
        && query.assignee_id.is_none()
        && !query.overdue
    {
        return Ok(Board {
            columns: Vec::new(),
            choose: Some(choices(ctx, me, query.q.as_deref()).await?),
            subject: None,
        });
    }
    let mut filter = scope(me);
    let mut subject = None;
    match query.mentorship_id {
        Some(id) => {
            // Someone else's mentorship is not found, as on its own page.
            let m = mentorships::checked(ctx, actor, id, Action::ViewMentorship).await?;
            subject = lookup::names(&ctx.db, &[m.mentee_id])
                .await?
                .remove(&m.mentee_id);
            filter = filter.add(task::Column::MentorshipId.eq(id));
        }
        None => {
            filter = filter.add(
                task::Column::MentorshipId.in_subquery(
                    Query::select()
                        .column(mentorship::Column::Id)
                        .from(mentorship::Entity)
                        .and_where(mentorship::Column::Status.eq(MentorshipStatus::Active))
                        .to_owned(),
                ),
            );
        }
    }
    if let Some(id) = query.assignee_id {
        filter = filter.add(task::Column::AssigneeId.eq(id));
        if subject.is_none() && me.role() != Role::Mentee {
            subject = colleague_name(ctx, me, id).await?;
        }
    }
    if query.overdue {
        filter = filter
            .add(task::Column::DueDate.lt(today()))
            .add(task::Column::Status.ne(TaskStatus::Done));
    }
    let mut found = Vec::with_capacity(TaskStatus::ALL.len());
    for (status, page) in TaskStatus::ALL.into_iter().zip(pages) {
        let select = task::Entity::find()
            .filter(filter.clone())
            .filter(task::Column::Status.eq(status))
            .order_by_asc(task::Column::DueDate)
            .order_by_asc(task::Column::Week)
            .order_by_asc(task::Column::Position)
            .order_by_asc(task::Column::Id);
        found.push(crate::db::page(ctx, select, PageRequest { page, per_page }).await?);
    }
    // One name lookup for every card on the board.
    let mut labelled = items(
        &ctx.db,
        found
            .iter_mut()
            .flat_map(|p| std::mem::take(&mut p.items))
            .collect(),
    )
    .await?
    .into_iter()
    .peekable();
    let columns = TaskStatus::ALL
        .into_iter()
        .zip(found)
        .map(|(status, page)| {
            let mut cards = Vec::new();
            while let Some(card) = labelled.next_if(|t| t.status == status) {
                cards.push(card);
            }
            BoardColumn {
                status,
                tasks: page.with(cards),
            }
        })
        .collect();
    Ok(Board {
        columns,
        choose: None,
        subject,
    })
}

/// A person of the caller's own company, by name.
async fn colleague_name(ctx: &Ctx, me: &Actor, id: i32) -> Result<Option<String>> {
    let mut select = user::Entity::find_by_id(id)
        .select_only()
        .column(user::Column::Name);
    if let Some(company) = me.user.company_id {
        select = select.filter(user::Column::CompanyId.eq(company));
    }
    Ok(select.into_tuple().one(&ctx.db).await?)
}

/// Active mentorships the caller may open a board for, matching `q` by the mentee's name or
/// email, the first [`CHOICES`] by mentee name.
async fn choices(ctx: &Ctx, me: &Actor, q: Option<&str>) -> Result<Vec<MentorshipChoice>> {
    let mut select = mentorship::Entity::find()
        .select_only()
        .columns([
            mentorship::Column::Id,
            mentorship::Column::MenteeId,
            mentorship::Column::MentorId,
        ])
        .column(user::Column::Name)
        .join(
            JoinType::InnerJoin,
            mentorship::Entity::belongs_to(user::Entity)
                .from(mentorship::Column::MenteeId)
                .to(user::Column::Id)
                .into(),
        )
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active));
    if let Some(company) = me.user.company_id {
        select = select.filter(mentorship::Column::CompanyId.eq(company));
    }
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        let mut problems = Problems::default();
        problems.line("q", q, false, SEARCH_MAX);
        problems.into_result()?;
        let pattern = contains_pattern(q);
        select = select.filter(
            sea_orm::Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col((user::Entity, user::Column::Name))))
                        .like(pattern.clone()),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col((user::Entity, user::Column::Email))))
                        .like(pattern),
                ),
        );
    }
    let rows: Vec<(i32, i32, i32, String)> = select
        .order_by_asc(user::Column::NameKey)
        .order_by_asc(mentorship::Column::Id)
        .limit(CHOICES)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let mentors: Vec<i32> = rows.iter().map(|r| r.2).collect();
    let names = lookup::names(&ctx.db, &mentors).await?;
    Ok(rows
        .into_iter()
        .map(|(id, mentee_id, mentor, mentee_name)| MentorshipChoice {
            id,
            mentee_id,
            mentor_name: names.get(&mentor).cloned().unwrap_or_default(),
            mentee_name,
        })
        .collect())
}
