//! Curricula: ordered task templates (week, then position) that mentorships follow. Admins of a
//! company shape them; everyone in the company can read them. Descriptions are Markdown,
//! rendered safely on the server.

use chrono::Utc;
pub use entity::curriculum_view::{CurriculumView, TemplateView};
use entity::{curriculum, task_template, Page, PageRequest};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Deserialize;

use crate::error::Problems;
use crate::markdown::to_safe_html;
use crate::policy::{self, capabilities, Action, Caller};
use crate::{Actor, Ctx, Result, ServiceError};

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 20_000;
/// A task sits in week 1 to `WEEKS` of its curriculum.
pub const WEEKS: i32 = 52;
/// A task is expected to take 1 to `EXPECTED_DAYS_MAX` days.
pub const EXPECTED_DAYS_MAX: i32 = 365;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CurriculumInput {
    pub title: String,
    pub description: Option<String>,
    pub is_template: Option<bool>,
    /// Default: the caller's company.
    pub company_id: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CurriculumPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub is_template: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskInput {
    pub title: String,
    pub description: Option<String>,
    pub week: i32,
    pub expected_days: i32,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub week: Option<i32>,
    pub expected_days: Option<i32>,
}

fn check_task(title: &str, description: &str, week: i32, expected_days: i32) -> Result<()> {
    let mut problems = Problems::default();
    problems.line("title", title, true, TITLE_MAX);
    problems.text("description", description, false, DESCRIPTION_MAX);
    if !(1..=WEEKS).contains(&week) {
        problems.add(
            "week",
            "out_of_range",
            format!("week is between 1 and {WEEKS}"),
        );
    }
    if !(1..=EXPECTED_DAYS_MAX).contains(&expected_days) {
        problems.add(
            "expected_days",
            "out_of_range",
            format!("expected days are between 1 and {EXPECTED_DAYS_MAX}"),
        );
    }
    problems.into_result()
}

/// A patched text field: the new value if given, else the current one; trimmed either way.
pub(crate) fn patched(new: Option<&str>, current: &str) -> String {
    new.unwrap_or(current).trim().to_owned()
}

fn check_curriculum(title: &str, description: &str) -> Result<()> {
    let mut problems = Problems::default();
    problems.line("title", title, true, TITLE_MAX);
    problems.text("description", description, false, DESCRIPTION_MAX);
    problems.into_result()
}

async fn find(ctx: &Ctx, id: i32) -> Result<curriculum::Model> {
    curriculum::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or(ServiceError::NotFound { what: "curriculum" })
}

/// The curriculum, if the caller may see it (and, with `manage`, change it).
async fn visible(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    manage: bool,
) -> Result<curriculum::Model> {
    policy::require(actor, Action::ViewOwnAccount)?;
    let found = find(ctx, id).await?;
    let action = if manage {
        Action::ManageCompany(found.company_id)
    } else {
        Action::ViewCompany(found.company_id)
    };
    policy::require_visible(actor, found.company_id, action, "curriculum")?;
    Ok(found)
}

async fn tasks_of(db: &impl ConnectionTrait, curriculum: i32) -> Result<Vec<task_template::Model>> {
    Ok(task_template::Entity::find()
        .filter(task_template::Column::CurriculumId.eq(curriculum))
        .order_by_asc(task_template::Column::Week)
        .order_by_asc(task_template::Column::Position)
        .order_by_asc(task_template::Column::Id)
        .all(db)
        .await?)
}

fn view(
    actor: Option<&Actor>,
    curriculum: curriculum::Model,
    tasks: Vec<task_template::Model>,
) -> CurriculumView {
    CurriculumView {
        capabilities: capabilities::curriculum(actor.map(Caller::from), curriculum.company_id),
        description_html: to_safe_html(&curriculum.description),
        curriculum,
        tasks: tasks
            .into_iter()
            .map(|task| TemplateView {
                description_html: to_safe_html(&task.description),
                task,
            })
            .collect(),
    }
}

pub async fn create(
    ctx: &Ctx,
    actor: Option<&Actor>,
    input: CurriculumInput,
) -> Result<curriculum::Model> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let company = input
        .company_id
        .or(me.user.company_id)
        .ok_or_else(|| ServiceError::invalid("company_id", "required", "choose a company"))?;
    policy::require_visible(actor, company, Action::ManageCompany(company), "company")?;
    let title = input.title.trim().to_owned();
    let description = input.description.unwrap_or_default().trim().to_owned();
    check_curriculum(&title, &description)?;
    let now = Utc::now();
    Ok(curriculum::ActiveModel {
        company_id: Set(company),
        title: Set(title),
        description: Set(description),
        is_template: Set(input.is_template.unwrap_or(false)),
        created_by: Set(Some(me.id())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?)
}

/// The company's curricula by title; `templates_only` narrows to templates.
pub async fn list(
    ctx: &Ctx,
    actor: Option<&Actor>,
    templates_only: bool,
    page: PageRequest,
) -> Result<Page<curriculum::Model>> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let company = me.user.company_id.unwrap_or(-1);
    policy::require_visible(actor, company, Action::ViewCompany(company), "company")?;
    let mut q = curriculum::Entity::find().filter(curriculum::Column::CompanyId.eq(company));
    if templates_only {
        q = q.filter(curriculum::Column::IsTemplate.eq(true));
    }
    let found = crate::db::page(ctx, q.order_by_asc(curriculum::Column::Title), page).await?;
    let can_create = policy::allowed(Some(Caller::from(me)), Action::ManageCompany(company));
    Ok(found.creatable(can_create))
}

pub async fn get(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<CurriculumView> {
    let found = visible(ctx, actor, id, false).await?;
    let tasks = tasks_of(&ctx.db, id).await?;
    Ok(view(actor, found, tasks))
}

pub async fn update(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    patch: CurriculumPatch,
) -> Result<curriculum::Model> {
    let current = visible(ctx, actor, id, true).await?;
    let title = patched(patch.title.as_deref(), &current.title);
    let description = patched(patch.description.as_deref(), &current.description);
    check_curriculum(&title, &description)?;
    let is_template = patch.is_template.unwrap_or(current.is_template);
    let mut active: curriculum::ActiveModel = current.into();
    active.title = Set(title);
    active.description = Set(description);
    active.is_template = Set(is_template);
    active.updated_at = Set(Utc::now());
    Ok(active.update(&ctx.db).await?)
}

/// Deletes a curriculum and its task templates.
pub async fn delete(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<()> {
    visible(ctx, actor, id, true).await?;
    let txn = crate::db::begin(&ctx.db).await?;
    task_template::Entity::delete_many()
        .filter(task_template::Column::CurriculumId.eq(id))
        .exec(&txn)
        .await?;
    curriculum::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Adds a task at the end of its week.
pub async fn add_task(
    ctx: &Ctx,
    actor: Option<&Actor>,
    curriculum_id: i32,
    input: TaskInput,
) -> Result<task_template::Model> {
    visible(ctx, actor, curriculum_id, true).await?;
    let title = input.title.trim().to_owned();
    let description = input.description.unwrap_or_default().trim().to_owned();
    check_task(&title, &description, input.week, input.expected_days)?;
    let txn = crate::db::begin(&ctx.db).await?;
    let position = next_position(&txn, curriculum_id, input.week).await?;
    let now = Utc::now();
    let task = task_template::ActiveModel {
        curriculum_id: Set(curriculum_id),
        week: Set(input.week),
        position: Set(position),
        title: Set(title),
        description: Set(description),
        expected_days: Set(input.expected_days),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    touch(&txn, curriculum_id).await?;
    txn.commit().await?;
    Ok(task)
}

async fn next_position(db: &impl ConnectionTrait, curriculum: i32, week: i32) -> Result<i32> {
    let last: Option<i32> = task_template::Entity::find()
        .select_only()
        .column_as(task_template::Column::Position.max(), "max")
        .filter(task_template::Column::CurriculumId.eq(curriculum))
        .filter(task_template::Column::Week.eq(week))
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    Ok(last.map_or(1, |p| p + 1))
}

async fn touch(db: &impl ConnectionTrait, curriculum: i32) -> Result<()> {
    curriculum::Entity::update_many()
        .col_expr(
            curriculum::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(curriculum::Column::Id.eq(curriculum))
        .exec(db)
        .await?;
    Ok(())
}

async fn task_in(ctx: &Ctx, curriculum: i32, task: i32) -> Result<task_template::Model> {
    task_template::Entity::find_by_id(task)
        .one(&ctx.db)
        .await?
        .filter(|t| t.curriculum_id == curriculum)
        .ok_or(ServiceError::NotFound { what: "task" })
}

/// Edits a task; moving it to another week puts it at the end of that week.
pub async fn update_task(
    ctx: &Ctx,
    actor: Option<&Actor>,
    curriculum_id: i32,
    task_id: i32,
    patch: TaskPatch,
) -> Result<task_template::Model> {
    visible(ctx, actor, curriculum_id, true).await?;
    let current = task_in(ctx, curriculum_id, task_id).await?;
    let title = patched(patch.title.as_deref(), &current.title);
    let description = patched(patch.description.as_deref(), &current.description);
    let week = patch.week.unwrap_or(current.week);
    let expected_days = patch.expected_days.unwrap_or(current.expected_days);
    check_task(&title, &description, week, expected_days)?;
    let txn = crate::db::begin(&ctx.db).await?;
    let position = if week == current.week {
        current.position
    } else {
        next_position(&txn, curriculum_id, week).await?
    };
    let mut active: task_template::ActiveModel = current.into();
    active.title = Set(title);
    active.description = Set(description);
    active.week = Set(week);
    active.position = Set(position);
    active.expected_days = Set(expected_days);
    active.updated_at = Set(Utc::now());
    let task = active.update(&txn).await?;
    touch(&txn, curriculum_id).await?;
    txn.commit().await?;
    Ok(task)
}

pub async fn delete_task(
    ctx: &Ctx,
    actor: Option<&Actor>,
    curriculum_id: i32,
    task_id: i32,
) -> Result<()> {
    visible(ctx, actor, curriculum_id, true).await?;
    task_in(ctx, curriculum_id, task_id).await?;
    task_template::Entity::delete_by_id(task_id)
        .exec(&ctx.db)
        .await?;
    touch(&ctx.db, curriculum_id).await
}

/// Sets the order of the tasks: `task_ids` lists every task of the curriculum exactly once; each
/// keeps its week and takes its place within it from this order.
pub async fn reorder(
    ctx: &Ctx,
    actor: Option<&Actor>,
    curriculum_id: i32,
    task_ids: &[i32],
) -> Result<CurriculumView> {
    let found = visible(ctx, actor, curriculum_id, true).await?;
    let tasks = tasks_of(&ctx.db, curriculum_id).await?;
    let mut expected: Vec<i32> = tasks.iter().map(|t| t.id).collect();
    let mut given = task_ids.to_vec();
    expected.sort_unstable();
    given.sort_unstable();
    if expected != given {
        return Err(ServiceError::invalid(
            "task_ids",
            "mismatch",
            "list every task of this curriculum exactly once",
        ));
    }
    let week_of: std::collections::HashMap<i32, i32> =
        tasks.iter().map(|t| (t.id, t.week)).collect();
    let mut next_in_week: std::collections::HashMap<i32, i32> = std::collections::HashMap::new();
    let txn = crate::db::begin(&ctx.db).await?;
    for id in task_ids {
        // Positions count within each week, so moving a task to another week appends cleanly.
        let slot = next_in_week.entry(week_of[id]).or_insert(0);
        *slot += 1;
        task_template::Entity::update_many()
            .col_expr(
                task_template::Column::Position,
                sea_orm::sea_query::Expr::value(*slot),
            )
            .filter(task_template::Column::Id.eq(*id))
            .exec(&txn)
            .await?;
    }
    touch(&txn, curriculum_id).await?;
    txn.commit().await?;
    Ok(view(actor, found, tasks_of(&ctx.db, curriculum_id).await?))
}

/// "<title> (copy)", the title shortened as needed so that it stays within `TITLE_MAX`.
fn copy_title(title: &str) -> String {
    const SUFFIX: &str = " (copy)";
    let room = TITLE_MAX - SUFFIX.chars().count();
    let kept: String = title.chars().take(room).collect();
    format!("{}{SUFFIX}", kept.trim_end())
}

/// Copies a curriculum with all its tasks (the copy is not a template).
pub async fn copy(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    title: Option<String>,
) -> Result<CurriculumView> {
    let original = visible(ctx, actor, id, true).await?;
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let title = title
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| copy_title(&original.title));
    let mut problems = Problems::default();
    problems.line("title", &title, true, TITLE_MAX);
    problems.into_result()?;
    let tasks = tasks_of(&ctx.db, id).await?;
    let now = Utc::now();
    let txn = crate::db::begin(&ctx.db).await?;
    let copy = curriculum::ActiveModel {
        company_id: Set(original.company_id),
        title: Set(title),
        description: Set(original.description.clone()),
        is_template: Set(false),
        created_by: Set(Some(me.id())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for t in &tasks {
        task_template::ActiveModel {
            curriculum_id: Set(copy.id),
            week: Set(t.week),
            position: Set(t.position),
            title: Set(t.title.clone()),
            description: Set(t.description.clone()),
            expected_days: Set(t.expected_days),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    let copied = tasks_of(&ctx.db, copy.id).await?;
    Ok(view(actor, copy, copied))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_title_stays_within_the_limit() {
        assert_eq!(copy_title("Onboarding"), "Onboarding (copy)");
        let long = "가".repeat(TITLE_MAX);
        let copied = copy_title(&long);
        assert_eq!(copied.chars().count(), TITLE_MAX);
        assert!(copied.ends_with(" (copy)"));
    }
}
