//! `/api/v1/curricula`, with `/{id}/tasks` and `/{id}/copy`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use entity::{curriculum, task_template, PageRequest};
use serde::{Deserialize, Serialize};
use service::curricula::{CurriculumInput, CurriculumPatch, CurriculumView, TaskInput, TaskPatch};
use utoipa::{IntoParams, ToSchema};

use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct CurriculaParams {
    /// Only templates
    #[serde(default)]
    pub templates: bool,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CurriculumList {
    pub items: Vec<curriculum::Model>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// The caller may add to this list (false for lists nobody adds to directly)
    pub can_create: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateCurriculum {
    #[serde(default)]
    pub title: String,
    /// Markdown
    pub description: Option<String>,
    pub is_template: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateCurriculum {
    pub title: Option<String>,
    pub description: Option<String>,
    pub is_template: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateTask {
    #[serde(default)]
    pub title: String,
    /// Markdown
    pub description: Option<String>,
    /// 1–52
    #[serde(default)]
    pub week: i32,
    /// 1–365
    #[serde(default)]
    pub expected_days: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateTask {
    pub title: Option<String>,
    pub description: Option<String>,
    pub week: Option<i32>,
    pub expected_days: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TaskOrder {
    /// Every task id of the curriculum, in the new order (each keeps its week).
    pub task_ids: Vec<i32>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CopyCurriculum {
    /// Default: "<title> (copy)"
    pub title: Option<String>,
}

/// Curricula of the caller's company, by title.
#[utoipa::path(get, path = "/api/v1/curricula", tag = "curricula", security(("bearer" = [])), params(CurriculaParams),
    responses((status = 200, body = CurriculumList), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<CurriculaParams>,
) -> Result<ApiJson<CurriculumList>, ApiError> {
    let page = service::curricula::list(
        &state.ctx,
        Some(&actor),
        p.templates,
        PageRequest::new(p.page, p.per_page),
    )
    .await?;
    Ok(ApiJson(CurriculumList {
        items: page.items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        can_create: page.can_create,
    }))
}

/// Create a curriculum (company admins).
#[utoipa::path(post, path = "/api/v1/curricula", tag = "curricula", security(("bearer" = [])), request_body = CreateCurriculum,
    responses((status = 201, body = entity::curriculum::Model), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiJson(body): ApiJson<CreateCurriculum>,
) -> Result<impl IntoResponse, ApiError> {
    let input = CurriculumInput {
        title: body.title,
        description: body.description,
        is_template: body.is_template,
        company_id: None,
    };
    let created = service::curricula::create(&state.ctx, Some(&actor), input).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

/// A curriculum with its tasks in order and descriptions rendered to safe HTML.
#[utoipa::path(get, path = "/api/v1/curricula/{id}", tag = "curricula", security(("bearer" = [])),
    responses((status = 200, body = CurriculumView), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<ApiJson<CurriculumView>, ApiError> {
    Ok(ApiJson(
        service::curricula::get(&state.ctx, Some(&actor), id).await?,
    ))
}

#[utoipa::path(patch, path = "/api/v1/curricula/{id}", tag = "curricula", security(("bearer" = [])), request_body = UpdateCurriculum,
    responses((status = 200, body = entity::curriculum::Model), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<UpdateCurriculum>,
) -> Result<ApiJson<curriculum::Model>, ApiError> {
    let patch = CurriculumPatch {
        title: body.title,
        description: body.description,
        is_template: body.is_template,
    };
    Ok(ApiJson(
        service::curricula::update(&state.ctx, Some(&actor), id, patch).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/curricula/{id}", tag = "curricula", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<StatusCode, ApiError> {
    service::curricula::delete(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add a task at the end of its week.
#[utoipa::path(post, path = "/api/v1/curricula/{id}/tasks", tag = "curricula", security(("bearer" = [])), request_body = CreateTask,
    responses((status = 201, body = entity::task_template::Model), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_task(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<CreateTask>,
) -> Result<impl IntoResponse, ApiError> {
    let input = TaskInput {
        title: body.title,
        description: body.description,
        week: body.week,
        expected_days: body.expected_days,
    };
    let created = service::curricula::add_task(&state.ctx, Some(&actor), id, input).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

#[utoipa::path(patch, path = "/api/v1/curricula/{id}/tasks/{task_id}", tag = "curricula", security(("bearer" = [])), request_body = UpdateTask,
    responses((status = 200, body = entity::task_template::Model), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_task(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath((id, task_id)): ApiPath<(i32, i32)>,
    ApiJson(body): ApiJson<UpdateTask>,
) -> Result<ApiJson<task_template::Model>, ApiError> {
    let patch = TaskPatch {
        title: body.title,
        description: body.description,
        week: body.week,
        expected_days: body.expected_days,
    };
    Ok(ApiJson(
        service::curricula::update_task(&state.ctx, Some(&actor), id, task_id, patch).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/curricula/{id}/tasks/{task_id}", tag = "curricula", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn delete_task(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath((id, task_id)): ApiPath<(i32, i32)>,
) -> Result<StatusCode, ApiError> {
    service::curricula::delete_task(&state.ctx, Some(&actor), id, task_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reorder: every task id once, in the new order.
#[utoipa::path(put, path = "/api/v1/curricula/{id}/tasks/order", tag = "curricula", security(("bearer" = [])), request_body = TaskOrder,
    responses((status = 200, body = CurriculumView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn reorder(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<TaskOrder>,
) -> Result<ApiJson<CurriculumView>, ApiError> {
    Ok(ApiJson(
        service::curricula::reorder(&state.ctx, Some(&actor), id, &body.task_ids).await?,
    ))
}

/// Copy a curriculum with all its tasks.
#[utoipa::path(post, path = "/api/v1/curricula/{id}/copy", tag = "curricula", security(("bearer" = [])), request_body = CopyCurriculum,
    responses((status = 201, body = CurriculumView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn copy(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
    body: axum::body::Bytes,
) -> Result<impl IntoResponse, ApiError> {
    // The body is optional: an empty POST copies with the default title.
    let title = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<CopyCurriculum>(&body)
            .map_err(|e| {
                ApiError::bad_request(StatusCode::BAD_REQUEST, "malformed_json", e.to_string())
            })?
            .title
    };
    let copied = service::curricula::copy(&state.ctx, Some(&actor), id, title).await?;
    Ok((StatusCode::CREATED, ApiJson(copied)))
}
