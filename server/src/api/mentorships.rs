//! `/api/v1/mentorships` and `/api/v1/dashboard`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use entity::{MentorshipStatus, PageRequest};
use serde::{Deserialize, Serialize};
use service::dashboard::Dashboard;
use service::mentorships::{MentorshipInput, MentorshipQuery, MentorshipView};
use utoipa::{IntoParams, ToSchema};

use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct MentorshipParams {
    /// `active`, `ended` or `cancelled`
    pub status: Option<MentorshipStatus>,
    pub mentor_id: Option<i32>,
    pub mentee_id: Option<i32>,
    /// `start_date` or `created_at`; prefix `-` for descending (default: active first, newest start first)
    pub sort: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MentorshipList {
    pub items: Vec<MentorshipView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// The caller may add to this list (false for lists nobody adds to directly)
    pub can_create: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateMentorship {
    pub mentor_id: Option<i32>,
    pub mentee_id: Option<i32>,
    pub curriculum_id: Option<i32>,
    /// ISO date, e.g. `2026-12-01`
    #[serde(default)]
    pub start_date: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateMentorship {
    /// `ended` or `cancelled`
    #[serde(default)]
    pub status: String,
}

/// Mentorships the caller may see (admins: the company's; mentors and mentees: their own).
#[utoipa::path(get, path = "/api/v1/mentorships", tag = "mentoring", security(("bearer" = [])), params(MentorshipParams),
    responses((status = 200, body = MentorshipList), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<MentorshipParams>,
) -> Result<ApiJson<MentorshipList>, ApiError> {
    let query = MentorshipQuery {
        status: p.status,
        mentor_id: p.mentor_id,
        mentee_id: p.mentee_id,
        sort: p.sort,
    };
    let page = service::mentorships::list(
        &state.ctx,
        Some(&actor),
        query,
        PageRequest::new(p.page, p.per_page),
    )
    .await?;
    Ok(ApiJson(MentorshipList {
        items: page.items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        can_create: page.can_create,
    }))
}

/// Pair a mentor with a mentee on a curriculum (admins); generates the mentee's tasks.
#[utoipa::path(post, path = "/api/v1/mentorships", tag = "mentoring", security(("bearer" = [])), request_body = CreateMentorship,
    responses((status = 201, body = MentorshipView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiJson(body): ApiJson<CreateMentorship>,
) -> Result<impl IntoResponse, ApiError> {
    let input = MentorshipInput {
        mentor_id: body.mentor_id,
        mentee_id: body.mentee_id,
        curriculum_id: body.curriculum_id,
        start_date: body.start_date,
    };
    let created = service::mentorships::create(&state.ctx, Some(&actor), input).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

#[utoipa::path(get, path = "/api/v1/mentorships/{id}", tag = "mentoring", security(("bearer" = [])),
    responses((status = 200, body = MentorshipView), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<ApiJson<MentorshipView>, ApiError> {
    Ok(ApiJson(
        service::mentorships::get(&state.ctx, Some(&actor), id).await?,
    ))
}

/// End or cancel an active mentorship (its mentor or an admin).
#[utoipa::path(patch, path = "/api/v1/mentorships/{id}", tag = "mentoring", security(("bearer" = [])), request_body = UpdateMentorship,
    responses((status = 200, body = MentorshipView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<UpdateMentorship>,
) -> Result<ApiJson<MentorshipView>, ApiError> {
    let to = service::mentorships::parse_status(&body.status)?;
    Ok(ApiJson(
        service::mentorships::set_status(&state.ctx, Some(&actor), id, to).await?,
    ))
}

/// The caller's dashboard: `role` says which of the three shapes it is.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "mentoring", security(("bearer" = [])),
    responses((status = 200, body = Dashboard), (status = 401, body = Problem)))]
pub async fn dashboard(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
) -> Result<ApiJson<Dashboard>, ApiError> {
    Ok(ApiJson(
        service::dashboard::for_caller(&state.ctx, Some(&actor)).await?,
    ))
}
