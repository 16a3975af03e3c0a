//! Server functions for tasks and their memos: the board, one task, moving it along, memos.

use entity::mentoring::{Board, MemoView, TaskDetail, TaskItem};
use entity::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Which tasks a list shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskFilter {
    pub mentorship_id: Option<i32>,
    pub status: String,
    pub overdue: bool,
}

/// What the board shows; mirrors its query string (`mentorship_id`, `assignee_id`, `overdue`,
/// `q`, and each column's `<status>_page`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardFilter {
    pub mentorship_id: Option<i32>,
    pub assignee_id: Option<i32>,
    pub overdue: bool,
    pub q: String,
    pub todo_page: Option<i64>,
    pub in_progress_page: Option<i64>,
    pub changes_requested_page: Option<i64>,
    pub review_page: Option<i64>,
    pub done_page: Option<i64>,
}

impl BoardFilter {
    /// Each column's page in board order (`TaskStatus::ALL`).
    pub fn pages(&self) -> [Option<i64>; 5] {
        [
            self.todo_page,
            self.in_progress_page,
            self.changes_requested_page,
            self.review_page,
            self.done_page,
        ]
    }
}

#[server(prefix = "/api/fn", endpoint = "load_board")]
pub async fn load_board(filter: BoardFilter) -> Result<Board, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let query = service::tasks::BoardQuery {
        mentorship_id: filter.mentorship_id,
        assignee_id: filter.assignee_id,
        overdue: filter.overdue,
        q: Some(filter.q.clone()),
        per_page: None,
        pages: filter.pages(),
    };
    service::tasks::board(&ctx, info.actor.as_ref(), query)
        .await
        .map_err(super::ssr::read_failed)
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
    // A mentorship's tasks at once: a curriculum is well under this.
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
