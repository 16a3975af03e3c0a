//! Curricula for the pages: list, read, shape (admins) and copy. Forms send numbers as text so a
//! blank or mistyped number comes back as a field error instead of a failed request, and every
//! failed no-JS post names its form (`form`) so the page shows the error in the right place.

use entity::curriculum_view::CurriculumView;
use entity::{curriculum, task_template, Page};
use leptos::prelude::*;

use crate::error::AppError;

/// The page a curriculum lives on.
pub fn curriculum_path(id: i32) -> String {
    format!("/curricula/{id}")
}

/// A number typed into a form; anything unreadable becomes 0, which the service refuses as out of
/// range next to the field.
#[cfg(feature = "ssr")]
fn number(text: &str) -> i32 {
    text.trim().parse().unwrap_or(0)
}

/// A checkbox is sent only when ticked.
#[cfg(feature = "ssr")]
fn ticked(value: &Option<String>) -> bool {
    value.is_some()
}

#[server(prefix = "/api/fn", endpoint = "list_curricula")]
pub async fn list_curricula(templates_only: bool) -> Result<Page<curriculum::Model>, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let all = entity::PageRequest::new(Some(1), Some(entity::page::MAX_PER_PAGE));
    Ok(service::curricula::list(&ctx, info.actor.as_ref(), templates_only, all).await?)
}

#[server(prefix = "/api/fn", endpoint = "get_curriculum")]
pub async fn get_curriculum(id: i32) -> Result<CurriculumView, AppError> {
    let (ctx, info) = super::ssr::context()?;
    service::curricula::get(&ctx, info.actor.as_ref(), id)
        .await
        .map_err(super::ssr::read_failed)
}

#[server(prefix = "/api/fn", endpoint = "create_curriculum")]
pub async fn create_curriculum(
    title: String,
    description: Option<String>,
    is_template: Option<String>,
) -> Result<curriculum::Model, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let input = service::curricula::CurriculumInput {
        title: title.clone(),
        description: description.clone(),
        is_template: Some(ticked(&is_template)),
        company_id: None,
    };
    match service::curricula::create(&ctx, info.actor.as_ref(), input).await {
        Ok(created) => {
            ssr::continue_to("/curricula?done=created");
            Ok(created)
        }
        Err(e) => Err(ssr::fail(
            e,
            "/curricula",
            &[
                ("form", "new"),
                ("title", &title),
                ("description", description.as_deref().unwrap_or("")),
                ("is_template", is_template.as_deref().unwrap_or("")),
            ],
        )),
    }
}

#[server(prefix = "/api/fn", endpoint = "update_curriculum")]
pub async fn update_curriculum(
    id: i32,
    title: String,
    description: Option<String>,
    is_template: Option<String>,
) -> Result<curriculum::Model, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let patch = service::curricula::CurriculumPatch {
        title: Some(title.clone()),
        description: description.clone(),
        is_template: Some(ticked(&is_template)),
    };
    let page = curriculum_path(id);
    match service::curricula::update(&ctx, info.actor.as_ref(), id, patch).await {
        Ok(updated) => {
            ssr::continue_to(&format!("{page}?done=updated"));
            Ok(updated)
        }
        Err(e) => Err(ssr::fail(
            e,
            &page,
            &[
                ("form", "edit"),
                ("title", &title),
                ("description", description.as_deref().unwrap_or("")),
                ("is_template", is_template.as_deref().unwrap_or("")),
            ],
        )),
    }
}

#[server(prefix = "/api/fn", endpoint = "delete_curriculum")]
pub async fn delete_curriculum(id: i32) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::curricula::delete(&ctx, info.actor.as_ref(), id).await {
        Ok(()) => {
            ssr::continue_to("/curricula?done=deleted");
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, &curriculum_path(id), &[])),
    }
}

/// Copies a curriculum with its tasks; answers the copy's id.
#[server(prefix = "/api/fn", endpoint = "copy_curriculum")]
pub async fn copy_curriculum(id: i32) -> Result<i32, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::curricula::copy(&ctx, info.actor.as_ref(), id, None).await {
        Ok(copy) => {
            let copy_id = copy.curriculum.id;
            ssr::continue_to(&format!("{}?done=copied", curriculum_path(copy_id)));
            Ok(copy_id)
        }
        Err(e) => Err(ssr::fail(e, &curriculum_path(id), &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "add_task")]
pub async fn add_task(
    curriculum_id: i32,
    title: String,
    description: Option<String>,
    week: String,
    expected_days: String,
) -> Result<task_template::Model, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let input = service::curricula::TaskInput {
        title: title.clone(),
        description: description.clone(),
        week: number(&week),
        expected_days: number(&expected_days),
    };
    let page = curriculum_path(curriculum_id);
    match service::curricula::add_task(&ctx, info.actor.as_ref(), curriculum_id, input).await {
        Ok(task) => {
            ssr::continue_to(&format!("{page}?done=task_added"));
            Ok(task)
        }
        Err(e) => Err(ssr::fail(
            e,
            &page,
            &[
                ("form", "task-new"),
                ("title", &title),
                ("description", description.as_deref().unwrap_or("")),
                ("week", &week),
                ("expected_days", &expected_days),
            ],
        )),
    }
}

#[server(prefix = "/api/fn", endpoint = "update_task")]
pub async fn update_task(
    curriculum_id: i32,
    task_id: i32,
    title: String,
    description: Option<String>,
    week: String,
    expected_days: String,
) -> Result<task_template::Model, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let patch = service::curricula::TaskPatch {
        title: Some(title.clone()),
        description: description.clone(),
        week: Some(number(&week)),
        expected_days: Some(number(&expected_days)),
    };
    let page = curriculum_path(curriculum_id);
    match service::curricula::update_task(&ctx, info.actor.as_ref(), curriculum_id, task_id, patch)
        .await
    {
        Ok(task) => {
            ssr::continue_to(&format!("{page}?done=task_updated"));
            Ok(task)
        }
        Err(e) => {
            let form = format!("task-{task_id}");
            Err(ssr::fail(
                e,
                &page,
                &[
                    ("form", &form),
                    ("title", &title),
                    ("description", description.as_deref().unwrap_or("")),
                    ("week", &week),
                    ("expected_days", &expected_days),
                ],
            ))
        }
    }
}

#[server(prefix = "/api/fn", endpoint = "delete_task")]
pub async fn delete_task(curriculum_id: i32, task_id: i32) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let page = curriculum_path(curriculum_id);
    match service::curricula::delete_task(&ctx, info.actor.as_ref(), curriculum_id, task_id).await {
        Ok(()) => {
            ssr::continue_to(&format!("{page}?done=task_deleted"));
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, &page, &[])),
    }
}

/// Sets the order of all tasks; `task_ids` is every task id, comma-separated, in the new order.
#[server(prefix = "/api/fn", endpoint = "reorder_tasks")]
pub async fn reorder_tasks(curriculum_id: i32, task_ids: String) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let page = curriculum_path(curriculum_id);
    let ids: Result<Vec<i32>, _> = task_ids
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<i32>())
        .collect();
    let Ok(ids) = ids else {
        let err = service::ServiceError::invalid("task_ids", "mismatch", "list task ids");
        return Err(ssr::fail(err, &page, &[]));
    };
    match service::curricula::reorder(&ctx, info.actor.as_ref(), curriculum_id, &ids).await {
        Ok(_) => {
            ssr::continue_to(&format!("{page}?done=reordered"));
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, &page, &[])),
    }
}
