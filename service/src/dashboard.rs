//! The home page's numbers, one view per role. Every figure is counted by the database in a fixed
//! number of queries (no query per row), so the pages stay fast on tens of thousands of tasks.

use std::collections::HashMap;

use entity::{department, mentorship, task, user, MentorshipStatus, PageRequest, Role, TaskStatus};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::lookup;
use crate::mentorships;
use crate::notifications::today;
use crate::policy::{self, Action, Caller};
use crate::tasks;
use crate::{Actor, Ctx, Result};
pub use entity::mentoring::{
    AdminDashboard, Dashboard, DepartmentCompletion, MenteeDashboard, MentorDashboard, Progress,
};

const LIST_LIMIT: u64 = 10;

pub async fn for_caller(ctx: &Ctx, actor: Option<&Actor>) -> Result<Dashboard> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    Ok(match me.role() {
        Role::Mentee => Dashboard::Mentee(mentee(ctx, me).await?),
        Role::Mentor => Dashboard::Mentor(mentor(ctx, me).await?),
        Role::Admin => Dashboard::Admin(admin(ctx, me).await?),
    })
}

/// Counts tasks matching `filter` by status, and the overdue ones, in one grouped query.
async fn count_tasks(ctx: &Ctx, filter: Condition) -> Result<Progress> {
    let rows: Vec<(TaskStatus, i64, i64)> = task::Entity::find()
        .select_only()
        .column(task::Column::Status)
        .column_as(task::Column::Id.count(), "n")
        .column_as(lookup::overdue_count(today()), "overdue")
        .filter(filter)
        .group_by(task::Column::Status)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let mut p = Progress::default();
    for (status, n, overdue) in rows {
        lookup::add(&mut p, status, n, overdue);
    }
    Ok(p)
}

fn active_ids() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(mentorship::Column::Id)
        .from(mentorship::Entity)
        .and_where(mentorship::Column::Status.eq(MentorshipStatus::Active))
        .to_owned()
}

async fn mentee(ctx: &Ctx, me: &Actor) -> Result<MenteeDashboard> {
    let mine = Condition::all()
        .add(task::Column::AssigneeId.eq(me.id()))
        .add(task::Column::MentorshipId.in_subquery(active_ids()));
    let progress = count_tasks(ctx, mine.clone()).await?;
    let next = task::Entity::find()
        .filter(mine)
        .filter(task::Column::Status.ne(TaskStatus::Done))
        .order_by_asc(task::Column::DueDate)
        .order_by_asc(task::Column::Id)
        .limit(LIST_LIMIT)
        .all(&ctx.db)
        .await?;
    let ms = mentorship::Entity::find()
        .filter(mentorship::Column::MenteeId.eq(me.id()))
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active))
        .order_by_desc(mentorship::Column::StartDate)
        .all(&ctx.db)
        .await?;
    Ok(MenteeDashboard {
        progress,
        next_due: tasks::items(&ctx.db, next).await?,
        mentorships: mentorships::views(&ctx.db, Some(Caller::from(me)), ms).await?,
    })
}

async fn mentor(ctx: &Ctx, me: &Actor) -> Result<MentorDashboard> {
    let ms = mentorship::Entity::find()
        .filter(mentorship::Column::MentorId.eq(me.id()))
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active))
        .order_by_asc(mentorship::Column::StartDate)
        .order_by_asc(mentorship::Column::Id)
        .all(&ctx.db)
        .await?;
    let ids: Vec<i32> = ms.iter().map(|m| m.id).collect();
    let review = task::Entity::find()
        .filter(task::Column::MentorshipId.is_in(ids))
        .filter(task::Column::Status.eq(TaskStatus::Review));
    // The first page of the queue, counted the way every list is (no count when it is not full).
    // The earliest due first: a late review holds a mentee up longest.
    let waiting = crate::db::page(
        ctx,
        review
            .order_by_asc(task::Column::DueDate)
            .order_by_asc(task::Column::SubmittedAt)
            .order_by_asc(task::Column::Id),
        PageRequest::new(Some(1), Some(LIST_LIMIT)),
    )
    .await?;
    let mentees = mentorships::views(&ctx.db, Some(Caller::from(me)), ms).await?;
    // Each mentorship's progress is already counted: their sum costs no query.
    let tasks = mentees.iter().fold(Progress::default(), |mut all, m| {
        all.total += m.progress.total;
        all.done += m.progress.done;
        all.in_review += m.progress.in_review;
        all.overdue += m.progress.overdue;
        all
    });
    Ok(MentorDashboard {
        tasks,
        mentees,
        awaiting_review_total: waiting.total,
        awaiting_review: tasks::items(&ctx.db, waiting.items).await?,
    })
}

async fn admin(ctx: &Ctx, me: &Actor) -> Result<AdminDashboard> {
    let company = me.user.company_id.unwrap_or(-1);
    let roles: Vec<(Role, i64)> = user::Entity::find()
        .select_only()
        .column(user::Column::Role)
        .column_as(user::Column::Id.count(), "n")
        .filter(user::Column::CompanyId.eq(company))
        .filter(user::Column::IsActive.eq(true))
        .group_by(user::Column::Role)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let count_of = |role: Role| {
        roles
            .iter()
            .find(|(r, _)| *r == role)
            .map_or(0, |(_, n)| *n as u64)
    };
    let active_mentorships = mentorship::Entity::find()
        .filter(mentorship::Column::CompanyId.eq(company))
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active))
        .count(&ctx.db)
        .await?;
    let in_company = Condition::all()
        .add(task::Column::CompanyId.eq(company))
        .add(task::Column::MentorshipId.in_subquery(active_ids()));
    let tasks_progress = count_tasks(ctx, in_company.clone()).await?;
    let overdue = task::Entity::find()
        .filter(in_company.clone())
        .filter(task::Column::DueDate.lt(today()))
        .filter(task::Column::Status.ne(TaskStatus::Done))
        .order_by_asc(task::Column::DueDate)
        .order_by_asc(task::Column::Id)
        .limit(LIST_LIMIT)
        .all(&ctx.db)
        .await?;
    Ok(AdminDashboard {
        admins: count_of(Role::Admin),
        mentors: count_of(Role::Mentor),
        mentees: count_of(Role::Mentee),
        active_mentorships,
        tasks: tasks_progress,
        departments: by_department(ctx, company, in_company).await?,
        overdue: tasks::items(&ctx.db, overdue).await?,
    })
}

/// Completion per department of the mentee, in one grouped join.
async fn by_department(
    ctx: &Ctx,
    company: i32,
    in_company: Condition,
) -> Result<Vec<DepartmentCompletion>> {
    let rows: Vec<(Option<i32>, TaskStatus, i64)> = task::Entity::find()
        .select_only()
        .column(user::Column::DepartmentId)
        .column(task::Column::Status)
        .column_as(task::Column::Id.count(), "n")
        .join(
            sea_orm::JoinType::InnerJoin,
            task::Entity::belongs_to(user::Entity)
                .from(task::Column::AssigneeId)
                .to(user::Column::Id)
                .into(),
        )
        .filter(in_company)
        .group_by(user::Column::DepartmentId)
        .group_by(task::Column::Status)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let mut totals: HashMap<Option<i32>, (u64, u64)> = HashMap::new();
    for (dept, status, n) in rows {
        let e = totals.entry(dept).or_default();
        e.0 += n as u64;
        if status == TaskStatus::Done {
            e.1 += n as u64;
        }
    }
    let names: HashMap<i32, String> = department::Entity::find()
        .filter(department::Column::CompanyId.eq(company))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let mut out: Vec<DepartmentCompletion> = totals
        .into_iter()
        .map(|(id, (total, done))| DepartmentCompletion {
            department_id: id,
            name: id.and_then(|d| names.get(&d).cloned()),
            total,
            done,
            percent: (done * 100).checked_div(total).unwrap_or(0),
        })
        .collect();
    // Named departments by name, then "no department".
    out.sort_by(|a, b| (a.name.is_none(), &a.name).cmp(&(b.name.is_none(), &b.name)));
    Ok(out)
}
