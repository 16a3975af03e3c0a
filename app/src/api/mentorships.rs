//! Server functions for mentorships: list, one, create, end or cancel, add a task, and the
//! choices the "new mentorship" form offers.

use entity::mentoring::MentorshipView;
use entity::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

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

/// `None` when the caller may not create a mentorship (the service decides; the page shows no form).
#[server(prefix = "/api/fn", endpoint = "mentorship_choices")]
pub async fn mentorship_choices() -> Result<Option<MentorshipOptions>, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let Some(found) = service::mentorships::candidates(&ctx, info.actor.as_ref()).await? else {
        return Ok(None);
    };
    let choices = |pairs: Vec<(i32, String)>| {
        pairs
            .into_iter()
            .map(|(id, label)| Choice { id, label })
            .collect()
    };
    Ok(Some(MentorshipOptions {
        mentors: choices(found.mentors),
        mentees: choices(found.mentees),
        curricula: choices(found.curricula),
    }))
}
