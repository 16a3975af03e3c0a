//! `/api/v1/mentorships`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use entity::{MentorshipStatus, Page};
use serde::Deserialize;
use service::mentorships::{MentorshipInput, MentorshipQuery, MentorshipView};
use utoipa::openapi::schema::Schema;
use utoipa::{IntoParams, ToSchema};

use super::openapi::{self, field, Conflict, Forbidden, Id, Invalid, NotFound};
use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MentorshipParams {
    pub status: Option<MentorshipStatus>,
    pub mentor_id: Option<i32>,
    pub mentee_id: Option<i32>,
    /// Default: active first, newest start first; `-` in front sorts descending
    #[param(schema_with = mentorship_sort)]
    pub sort: Option<String>,
    /// 1-based (default 1)
    #[param(minimum = 1)]
    pub page: Option<i64>,
    /// At most 100 (default 20)
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

fn mentorship_sort() -> Schema {
    openapi::sort(&service::mentorships::SORTS)
}

// The ids are options so that a missing one gets the service's field error.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateMentorship {
    #[schema(required = true, value_type = i32)]
    pub mentor_id: Option<i32>,
    #[schema(required = true, value_type = i32)]
    pub mentee_id: Option<i32>,
    #[schema(required = true, value_type = i32)]
    pub curriculum_id: Option<i32>,
    #[serde(default)]
    #[schema(required = true, schema_with = field::date)]
    pub start_date: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateMentorship {
    /// `ended` or `cancelled`: an active mentorship can only be closed
    #[serde(default)]
    #[schema(required = true, value_type = MentorshipStatus)]
    pub status: String,
}

/// Mentorships the caller may see (admins: the company's; mentors and mentees: their own).
#[utoipa::path(get, path = "/mentorships", tag = "mentoring", security(("bearer" = [])), params(MentorshipParams),
    responses((status = 200, body = Page<MentorshipView>), Invalid))]
pub async fn list_mentorships(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<MentorshipParams>,
) -> Result<ApiJson<Page<MentorshipView>>, ApiError> {
    let query = MentorshipQuery {
        status: p.status,
        mentor_id: p.mentor_id,
        mentee_id: p.mentee_id,
        sort: p.sort,
    };
    Ok(ApiJson(
        service::mentorships::list(
            &state.ctx,
            Some(&actor),
            query,
            super::page_request(p.page, p.per_page)?,
        )
        .await?,
    ))
}

/// Pair a mentor with a mentee on a curriculum (admins); generates the mentee's tasks.
#[utoipa::path(post, path = "/mentorships", tag = "mentoring", security(("bearer" = [])), request_body = CreateMentorship,
    responses((status = 201, body = MentorshipView), Forbidden, Conflict, Invalid))]
pub async fn create_mentorship(
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

#[utoipa::path(get, path = "/mentorships/{id}", tag = "mentoring", security(("bearer" = [])), params(Id),
    responses((status = 200, body = MentorshipView), NotFound))]
pub async fn get_mentorship(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<MentorshipView>, ApiError> {
    Ok(ApiJson(
        service::mentorships::get(&state.ctx, Some(&actor), id).await?,
    ))
}

/// End or cancel an active mentorship (its mentor or an admin).
#[utoipa::path(patch, path = "/mentorships/{id}", tag = "mentoring", security(("bearer" = [])), params(Id), request_body = UpdateMentorship,
    responses((status = 200, body = MentorshipView), Forbidden, NotFound, Conflict, Invalid))]
pub async fn update_mentorship(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<UpdateMentorship>,
) -> Result<ApiJson<MentorshipView>, ApiError> {
    let to = service::mentorships::parse_status(&body.status)?;
    Ok(ApiJson(
        service::mentorships::set_status(&state.ctx, Some(&actor), id, to).await?,
    ))
}
