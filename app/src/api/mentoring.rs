//! Server functions for mentorships, tasks, memos, the dashboard and notifications.

use entity::mentoring::{Dashboard, MemoView, MentorshipView, TaskDetail, TaskItem};
use entity::{notification, Page};
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

#[server(prefix = "/api/fn", endpoint = "dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    let (ctx, info) = super::ssr::context()?;
    Ok(service::dashboard::for_caller(&ctx, info.actor.as_ref()).await?)
}

#[server(prefix = "/api/fn", endpoint = "list_mentorships")]
pub async fn list_mentorships(status: String, page: u64) -> Result<Page<MentorshipView>, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let query = service::mentorships::MentorshipQuery {
        status: status.parse().ok(),
        ..Default::default()
    };
    let page = entity::PageRequest::new(Some(page), Some(50));
    Ok(service::mentorships::list(&ctx, info.actor.as_ref(), query, page).await?)
}

#[server(prefix = "/api/fn", endpoint = "get_mentorship")]
pub async fn get_mentorship(id: i32) -> Result<MentorshipView, AppError> {
    let (ctx, info) = super::ssr::context()?;
    service::mentorships::get(&ctx, info.actor.as_ref(), id)
        .await
        .map_err(super::ssr::read_failed)
}

/// Ids arrive as form text: an empty choice is "none chosen" (the service says so per field).
#[server(prefix = "/api/fn", endpoint = "create_mentorship")]
pub async fn create_mentorship(
    mentor_id: String,
    mentee_id: String,
    curriculum_id: String,
    start_date: String,
) -> Result<MentorshipView, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let id = |v: &str| v.trim().parse::<i32>().ok();
    let input = service::mentorships::MentorshipInput {
        mentor_id: id(&mentor_id),
        mentee_id: id(&mentee_id),
        curriculum_id: id(&curriculum_id),
        start_date: start_date.clone(),
    };
    match service::mentorships::create(&ctx, info.actor.as_ref(), input).await {
        Ok(created) => {
            ssr::continue_to(&format!("/mentorships/{}", created.mentorship.id));
            Ok(created)
        }
        Err(e) => Err(ssr::fail(
            e,
            "/mentorships",
            &[
                ("mentor_id", &mentor_id),
                ("mentee_id", &mentee_id),
                ("curriculum_id", &curriculum_id),
                ("start_date", &start_date),
            ],
        )),
    }
}

#[server(prefix = "/api/fn", endpoint = "set_mentorship_status")]
pub async fn set_mentorship_status(id: i32, status: String) -> Result<MentorshipView, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let page = format!("/mentorships/{id}");
    let result = match service::mentorships::parse_status(&status) {
        Ok(to) => service::mentorships::set_status(&ctx, info.actor.as_ref(), id, to).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(updated) => {
            ssr::continue_to(&format!("{page}?done={status}"));
            Ok(updated)
        }
        Err(e) => Err(ssr::fail(e, &page, &[])),
    }
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

#[server(prefix = "/api/fn", endpoint = "add_mentorship_task")]
pub async fn add_mentorship_task(
    mentorship_id: i32,
    title: String,
    description: Option<String>,
    due_date: String,
) -> Result<entity::task::Model, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let page = format!("/mentorships/{mentorship_id}");
    let input = service::tasks::NewTask {
        mentorship_id: Some(mentorship_id),
        title: title.clone(),
        description: description.clone(),
        due_date: due_date.clone(),
    };
    match service::tasks::create(&ctx, info.actor.as_ref(), input).await {
        Ok(created) => {
            ssr::continue_to(&format!("{page}?done=added"));
            Ok(created)
        }
        Err(e) => Err(ssr::fail(
            e,
            &page,
            &[
                ("title", &title),
                ("description", description.as_deref().unwrap_or("")),
                ("due_date", &due_date),
            ],
        )),
    }
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

#[server(prefix = "/api/fn", endpoint = "unread_notifications")]
pub async fn unread_notifications() -> Result<u64, AppError> {
    let (ctx, info) = super::ssr::context()?;
    Ok(service::notifications::unread_count(&ctx, info.actor.as_ref()).await?)
}

#[server(prefix = "/api/fn", endpoint = "list_notifications")]
pub async fn list_notifications(page: u64) -> Result<Page<notification::Model>, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let page = entity::PageRequest::new(Some(page), Some(30));
    Ok(service::notifications::list(&ctx, info.actor.as_ref(), false, page).await?)
}

/// Marks a notification read and goes where it points.
#[server(prefix = "/api/fn", endpoint = "open_notification")]
pub async fn open_notification(id: i32) -> Result<String, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::notifications::mark_read(&ctx, info.actor.as_ref(), id).await {
        Ok(n) => Ok(ssr::continue_to(&n.link)),
        Err(e) => Err(ssr::fail(e, "/notifications", &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "read_all_notifications")]
pub async fn read_all_notifications() -> Result<u64, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::notifications::mark_all_read(&ctx, info.actor.as_ref()).await {
        Ok(n) => {
            ssr::continue_to("/notifications");
            Ok(n)
        }
        Err(e) => Err(ssr::fail(e, "/notifications", &[])),
    }
}

/// A person or curriculum to pick in a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i32,
    pub label: String,
}

/// What the "new mentorship" form offers: who may mentor, who may be mentored (as the service
/// decides), and the company's curricula.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentorshipOptions {
    pub mentors: Vec<Choice>,
    pub mentees: Vec<Choice>,
    pub curricula: Vec<Choice>,
}

#[server(prefix = "/api/fn", endpoint = "mentorship_choices")]
pub async fn mentorship_choices() -> Result<MentorshipOptions, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let (mentors, mentees) = service::mentorships::candidates(&ctx, info.actor.as_ref()).await?;
    let all = entity::PageRequest::new(Some(1), Some(entity::page::MAX_PER_PAGE));
    let curricula = service::curricula::list(&ctx, info.actor.as_ref(), false, all).await?;
    let choices = |people: Vec<(i32, String)>| {
        people
            .into_iter()
            .map(|(id, label)| Choice { id, label })
            .collect()
    };
    Ok(MentorshipOptions {
        mentors: choices(mentors),
        mentees: choices(mentees),
        curricula: curricula
            .items
            .into_iter()
            .map(|c| Choice {
                id: c.id,
                label: c.title,
            })
            .collect(),
    })
}
