//! `/api/v1/tasks`, with `/{id}/transition` and `/{id}/memos`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use entity::{task, PageRequest, TaskStatus};
use serde::{Deserialize, Serialize};
use service::tasks::memos::MemoView;
use service::tasks::{NewTask, TaskDetail, TaskItem, TaskPatch, TaskQuery};
use utoipa::{IntoParams, ToSchema};

use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct TaskParams {
    pub mentorship_id: Option<i32>,
    pub assignee_id: Option<i32>,
    /// `todo`, `in_progress`, `review`, `changes_requested` or `done`
    pub status: Option<TaskStatus>,
    /// Only open tasks past their due date
    pub overdue: Option<bool>,
    /// `due_date` (default), `title`, `status`, `created_at`, `updated_at`; prefix `-` for descending
    pub sort: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskList {
    pub items: Vec<TaskItem>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// The caller may add to this list (false for lists nobody adds to directly)
    pub can_create: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateTask {
    pub mentorship_id: Option<i32>,
    #[serde(default)]
    pub title: String,
    /// Markdown
    pub description: Option<String>,
    /// ISO date
    #[serde(default)]
    pub due_date: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateTask {
    pub title: Option<String>,
    pub description: Option<String>,
    pub due_date: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Transition {
    /// `todo`, `in_progress`, `review`, `changes_requested` or `done`
    #[serde(default)]
    pub to: String,
    /// Required when requesting changes
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MemoBody {
    /// Markdown
    #[serde(default)]
    pub body: String,
}

/// Tasks the caller may see (admins: the company's; mentors: their mentorships'; mentees: their own).
#[utoipa::path(get, path = "/api/v1/tasks", tag = "mentoring", security(("bearer" = [])), params(TaskParams),
    responses((status = 200, body = TaskList), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<TaskParams>,
) -> Result<ApiJson<TaskList>, ApiError> {
    let query = TaskQuery {
        mentorship_id: p.mentorship_id,
        assignee_id: p.assignee_id,
        status: p.status,
        overdue: p.overdue,
        sort: p.sort,
    };
    let page = service::tasks::list(
        &state.ctx,
        Some(&actor),
        query,
        PageRequest::new(p.page, p.per_page),
    )
    .await?;
    Ok(ApiJson(TaskList {
        items: page.items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        can_create: page.can_create,
    }))
}

/// Add a task to a mentorship by hand (its mentor or an admin).
#[utoipa::path(post, path = "/api/v1/tasks", tag = "mentoring", security(("bearer" = [])), request_body = CreateTask,
    responses((status = 201, body = entity::task::Model), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiJson(body): ApiJson<CreateTask>,
) -> Result<impl IntoResponse, ApiError> {
    let input = NewTask {
        mentorship_id: body.mentorship_id,
        title: body.title,
        description: body.description,
        due_date: body.due_date,
    };
    let created = service::tasks::create(&state.ctx, Some(&actor), input).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

/// A task with its description rendered, its history, its memos and the moves the caller may make.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "mentoring", security(("bearer" = [])),
    responses((status = 200, body = TaskDetail), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<ApiJson<TaskDetail>, ApiError> {
    Ok(ApiJson(
        service::tasks::get(&state.ctx, Some(&actor), id).await?,
    ))
}

#[utoipa::path(patch, path = "/api/v1/tasks/{id}", tag = "mentoring", security(("bearer" = [])), request_body = UpdateTask,
    responses((status = 200, body = entity::task::Model), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<UpdateTask>,
) -> Result<ApiJson<task::Model>, ApiError> {
    let patch = TaskPatch {
        title: body.title,
        description: body.description,
        due_date: body.due_date,
    };
    Ok(ApiJson(
        service::tasks::update(&state.ctx, Some(&actor), id, patch).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/tasks/{id}", tag = "mentoring", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<StatusCode, ApiError> {
    service::tasks::delete(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Move a task: the mentee starts and submits, the mentor approves or requests changes.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/transition", tag = "mentoring", security(("bearer" = [])), request_body = Transition,
    responses((status = 200, body = entity::task::Model), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Changed meanwhile, or the mentorship has ended", body = Problem),
        (status = 422, description = "Not an allowed move, or a comment is missing", body = Problem)))]
pub async fn transition(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<Transition>,
) -> Result<ApiJson<task::Model>, ApiError> {
    let to = service::tasks::parse_status(&body.to)?;
    Ok(ApiJson(
        service::tasks::transition(&state.ctx, Some(&actor), id, to, body.comment).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/tasks/{id}/memos", tag = "mentoring", security(("bearer" = [])),
    responses((status = 200, body = Vec<MemoView>), (status = 404, body = Problem)))]
pub async fn memos(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<ApiJson<Vec<MemoView>>, ApiError> {
    Ok(ApiJson(
        service::tasks::memos::list(&state.ctx, Some(&actor), id).await?,
    ))
}

/// Comment on a task (Markdown).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/memos", tag = "mentoring", security(("bearer" = [])), request_body = MemoBody,
    responses((status = 201, body = MemoView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_memo(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<MemoBody>,
) -> Result<impl IntoResponse, ApiError> {
    let created = service::tasks::memos::add(&state.ctx, Some(&actor), id, &body.body).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

/// Edit one's own memo.
#[utoipa::path(patch, path = "/api/v1/tasks/{id}/memos/{memo_id}", tag = "mentoring", security(("bearer" = [])), request_body = MemoBody,
    responses((status = 200, body = MemoView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn edit_memo(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath((id, memo_id)): ApiPath<(i32, i32)>,
    ApiJson(body): ApiJson<MemoBody>,
) -> Result<ApiJson<MemoView>, ApiError> {
    Ok(ApiJson(
        service::tasks::memos::edit(&state.ctx, Some(&actor), id, memo_id, &body.body).await?,
    ))
}

/// Delete a memo (its author or an admin).
#[utoipa::path(delete, path = "/api/v1/tasks/{id}/memos/{memo_id}", tag = "mentoring", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_memo(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath((id, memo_id)): ApiPath<(i32, i32)>,
) -> Result<StatusCode, ApiError> {
    service::tasks::memos::delete(&state.ctx, Some(&actor), id, memo_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
