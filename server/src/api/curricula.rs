//! `/api/v1/curricula`, with `/{id}/tasks` and `/{id}/copy`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use entity::{curriculum, task_template, Page};
use serde::Deserialize;
use service::curricula::{CurriculumInput, CurriculumPatch, CurriculumView, TaskInput, TaskPatch};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{field, CurriculumTask, Forbidden, Id, Invalid, NotFound};
use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CurriculaParams {
    /// Only templates
    #[serde(default)]
    pub templates: bool,
    /// 1-based (default 1)
    #[param(minimum = 1)]
    pub page: Option<i64>,
    /// At most 100 (default 20)
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateCurriculum {
    #[serde(default)]
    #[schema(required = true, schema_with = field::title)]
    pub title: String,
    /// Markdown
    #[schema(schema_with = field::description_or_null)]
    pub description: Option<String>,
    pub is_template: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateCurriculum {
    #[schema(schema_with = field::title_or_null)]
    pub title: Option<String>,
    /// Markdown
    #[schema(schema_with = field::description_or_null)]
    pub description: Option<String>,
    pub is_template: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateTask {
    #[serde(default)]
    #[schema(required = true, schema_with = field::title)]
    pub title: String,
    /// Markdown
    #[schema(schema_with = field::description_or_null)]
    pub description: Option<String>,
    #[serde(default)]
    #[schema(required = true, schema_with = field::week)]
    pub week: i32,
    #[serde(default)]
    #[schema(required = true, schema_with = field::expected_days)]
    pub expected_days: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateTask {
    #[schema(schema_with = field::title_or_null)]
    pub title: Option<String>,
    /// Markdown
    #[schema(schema_with = field::description_or_null)]
    pub description: Option<String>,
    #[schema(schema_with = field::week_or_null)]
    pub week: Option<i32>,
    #[schema(schema_with = field::expected_days_or_null)]
    pub expected_days: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TaskOrder {
    /// Every task id of the curriculum, in the new order (each keeps its week).
    pub task_ids: Vec<i32>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CopyCurriculum {
    /// Absent, null or empty: "<title> (copy)"
    #[schema(schema_with = field::copy_title)]
    pub title: Option<String>,
}

/// Curricula of the caller's company, by title.
#[utoipa::path(get, path = "/curricula", tag = "curricula", security(("bearer" = [])), params(CurriculaParams),
    responses((status = 200, body = Page<entity::curriculum::Model>), Invalid))]
pub async fn list_curricula(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<CurriculaParams>,
) -> Result<ApiJson<Page<curriculum::Model>>, ApiError> {
    Ok(ApiJson(
        service::curricula::list(
            &state.ctx,
            Some(&actor),
            p.templates,
            super::page_request(p.page, p.per_page)?,
        )
        .await?,
    ))
}

/// Create a curriculum (company admins).
#[utoipa::path(post, path = "/curricula", tag = "curricula", security(("bearer" = [])), request_body = CreateCurriculum,
    responses((status = 201, body = entity::curriculum::Model), Forbidden, Invalid))]
pub async fn create_curriculum(
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
#[utoipa::path(get, path = "/curricula/{id}", tag = "curricula", security(("bearer" = [])), params(Id),
    responses((status = 200, body = CurriculumView), NotFound))]
pub async fn get_curriculum(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<CurriculumView>, ApiError> {
    Ok(ApiJson(
        service::curricula::get(&state.ctx, Some(&actor), id).await?,
    ))
}

#[utoipa::path(patch, path = "/curricula/{id}", tag = "curricula", security(("bearer" = [])), params(Id), request_body = UpdateCurriculum,
    responses((status = 200, body = entity::curriculum::Model), Forbidden, NotFound, Invalid))]
pub async fn update_curriculum(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
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

#[utoipa::path(delete, path = "/curricula/{id}", tag = "curricula", security(("bearer" = [])), params(Id),
    responses((status = 204, description = "Deleted"), Forbidden, NotFound))]
pub async fn delete_curriculum(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<StatusCode, ApiError> {
    service::curricula::delete(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add a task at the end of its week.
#[utoipa::path(post, path = "/curricula/{id}/tasks", tag = "curricula", security(("bearer" = [])), params(Id), request_body = CreateTask,
    responses((status = 201, body = entity::task_template::Model), Forbidden, NotFound, Invalid))]
pub async fn add_curriculum_task(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
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

#[utoipa::path(patch, path = "/curricula/{id}/tasks/{task_id}", tag = "curricula", security(("bearer" = [])), params(CurriculumTask), request_body = UpdateTask,
    responses((status = 200, body = entity::task_template::Model), Forbidden, NotFound, Invalid))]
pub async fn update_curriculum_task(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(CurriculumTask { id, task_id }): ApiPath<CurriculumTask>,
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

#[utoipa::path(delete, path = "/curricula/{id}/tasks/{task_id}", tag = "curricula", security(("bearer" = [])), params(CurriculumTask),
    responses((status = 204, description = "Deleted"), Forbidden, NotFound))]
pub async fn delete_curriculum_task(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(CurriculumTask { id, task_id }): ApiPath<CurriculumTask>,
) -> Result<StatusCode, ApiError> {
    service::curricula::delete_task(&state.ctx, Some(&actor), id, task_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reorder: every task id once, in the new order.
#[utoipa::path(put, path = "/curricula/{id}/tasks/order", tag = "curricula", security(("bearer" = [])), params(Id), request_body = TaskOrder,
    responses((status = 200, body = CurriculumView), Forbidden, NotFound, Invalid))]
pub async fn reorder_curriculum_tasks(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<TaskOrder>,
) -> Result<ApiJson<CurriculumView>, ApiError> {
    Ok(ApiJson(
        service::curricula::reorder(&state.ctx, Some(&actor), id, &body.task_ids).await?,
    ))
}

/// Copy a curriculum with all its tasks. The body is optional: an empty POST copies with the
/// default title.
#[utoipa::path(post, path = "/curricula/{id}/copy", tag = "curricula", security(("bearer" = [])), params(Id),
    request_body = Option<CopyCurriculum>,
    responses((status = 201, body = CurriculumView), Forbidden, NotFound, Invalid))]
pub async fn copy_curriculum(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    body: Option<ApiJson<CopyCurriculum>>,
) -> Result<impl IntoResponse, ApiError> {
    let title = body.and_then(|ApiJson(b)| b.title);
    let copied = service::curricula::copy(&state.ctx, Some(&actor), id, title).await?;
    Ok((StatusCode::CREATED, ApiJson(copied)))
}
