//! Server functions for tasks and their memos: the board, one task, moving it along, memos.

use entity::mentoring::{MemoView, TaskDetail, TaskItem};
use entity::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the task board filters by; mirrors its query string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskFilter {
    pub mentorship_id: Option<i32>,
    pub status: String,
    pub overdue: bool,
}

#[server(prefix = "/api/fn", endpoint = "list_tasks")]
pub async fn list_tasks(filter: TaskFilter) -> Result<Page<TaskItem>, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let query = service::tasks::TaskQuery {
        mentorship_id: filter.mentorship_id,
        status: filter.status.parse().ok(),
        overdue: filter.overdue.then_some(true),
        ..Default::default()
    };
    // A board shows everything at once; a mentee's curriculum is well under this.
    let page = entity::PageRequest::new(Some(1), Some(entity::page::MAX_PER_PAGE));
    Ok(service::tasks::list(&ctx, info.actor.as_ref(), query, page).await?)
}

#[server(prefix = "/api/fn", endpoint = "get_task")]
pub async fn get_task(id: i32) -> Result<TaskDetail, AppError> {
    let (ctx, info) = super::ssr::context()?;
    service::tasks::get(&ctx, info.actor.as_ref(), id)
        .await
        .map_err(super::ssr::read_failed)
}

#[server(prefix = "/api/fn", endpoint = "move_task")]
pub async fn move_task(
    id: i32,
    to: String,
    comment: Option<String>,
) -> Result<entity::task::Model, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let page = format!("/tasks/{id}");
    let result = match service::tasks::parse_status(&to) {
        Ok(status) => {
            service::tasks::transition(&ctx, info.actor.as_ref(), id, status, comment.clone()).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(moved) => {
            ssr::continue_to(&format!("{page}?done=moved"));
            Ok(moved)
        }
        Err(e) => Err(ssr::fail(
            e,
            &page,
            &[("comment", comment.as_deref().unwrap_or(""))],
        )),
    }
}

#[server(prefix = "/api/fn", endpoint = "add_memo")]
pub async fn add_memo(task_id: i32, body: String) -> Result<MemoView, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let page = format!("/tasks/{task_id}");
    match service::tasks::memos::add(&ctx, info.actor.as_ref(), task_id, &body).await {
        Ok(memo) => {
            ssr::continue_to(&format!("{page}?done=memo#memo-{}", memo.memo.id));
            Ok(memo)
        }
        Err(e) => Err(ssr::fail(e, &page, &[("body", &body)])),
    }
}

#[server(prefix = "/api/fn", endpoint = "edit_memo")]
pub async fn edit_memo(task_id: i32, memo_id: i32, body: String) -> Result<MemoView, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let page = format!("/tasks/{task_id}");
    match service::tasks::memos::edit(&ctx, info.actor.as_ref(), task_id, memo_id, &body).await {
        Ok(memo) => {
            ssr::continue_to(&format!("{page}?done=memo_edited#memo-{memo_id}"));
            Ok(memo)
        }
        Err(e) => Err(ssr::fail(e, &page, &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "delete_memo")]
pub async fn delete_memo(task_id: i32, memo_id: i32) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let page = format!("/tasks/{task_id}");
    match service::tasks::memos::delete(&ctx, info.actor.as_ref(), task_id, memo_id).await {
        Ok(()) => {
            ssr::continue_to(&format!("{page}?done=memo_deleted"));
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, &page, &[])),
    }
}
