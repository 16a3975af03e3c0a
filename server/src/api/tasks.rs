//! `/api/v1/tasks`, with `/{id}/transition` and `/{id}/memos`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use entity::mentoring::Board;
use entity::{task, Page, TaskStatus};
use serde::Deserialize;
use service::tasks::memos::MemoView;
use service::tasks::{BoardQuery, NewTask, TaskDetail, TaskItem, TaskPatch, TaskQuery};
use utoipa::openapi::schema::Schema;
use utoipa::{IntoParams, ToSchema};

use super::openapi::{self, field, Conflict, Forbidden, Id, Invalid, NotFound, TaskMemo};
use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery, Problem, PROBLEM_JSON};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskParams {
    pub mentorship_id: Option<i32>,
    pub assignee_id: Option<i32>,
    pub status: Option<TaskStatus>,
    /// Only open tasks past their due date
    pub overdue: Option<bool>,
    /// Default `due_date`; `-` in front sorts descending
    #[param(schema_with = task_sort)]
    pub sort: Option<String>,
    /// 1-based (default 1)
    #[param(minimum = 1)]
    pub page: Option<i64>,
    /// At most 100 (default 20)
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

fn task_sort() -> Schema {
    openapi::sort(&service::tasks::SORTS)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateTask {
    /// An option so that a missing one gets the service's field error
    #[schema(required = true, value_type = i32)]
    pub mentorship_id: Option<i32>,
    #[serde(default)]
    #[schema(required = true, schema_with = field::title)]
    pub title: String,
    /// Markdown
    #[schema(schema_with = field::description_or_null)]
    pub description: Option<String>,
    #[serde(default)]
    #[schema(required = true, schema_with = field::date)]
    pub due_date: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateTask {
    #[schema(schema_with = field::title_or_null)]
    pub title: Option<String>,
    /// Markdown
    #[schema(schema_with = field::description_or_null)]
    pub description: Option<String>,
    #[schema(schema_with = field::date_or_null)]
    pub due_date: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Transition {
    #[serde(default)]
    #[schema(required = true, value_type = TaskStatus)]
    pub to: String,
    /// Required when requesting changes
    #[schema(schema_with = field::comment_or_null)]
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MemoBody {
    /// Markdown
    #[serde(default)]
    #[schema(required = true, schema_with = field::memo)]
    pub body: String,
}

/// Tasks the caller may see (admins: the company's; mentors: their mentorships'; mentees: their own).
#[utoipa::path(get, path = "/tasks", tag = "mentoring", security(("bearer" = [])), params(TaskParams),
    responses((status = 200, body = Page<TaskItem>), Invalid))]
pub async fn list_tasks(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<TaskParams>,
) -> Result<ApiJson<Page<TaskItem>>, ApiError> {
    let query = TaskQuery {
        mentorship_id: p.mentorship_id,
        assignee_id: p.assignee_id,
        status: p.status,
        overdue: p.overdue,
        sort: p.sort,
    };
    Ok(ApiJson(
        service::tasks::list(
            &state.ctx,
            Some(&actor),
            query,
            super::page_request(p.page, p.per_page)?,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardParams {
    /// One mentorship (an ended one too); otherwise the caller's active mentorships
    pub mentorship_id: Option<i32>,
    /// One person's tasks
    pub assignee_id: Option<i32>,
    /// Only open tasks past their due date
    pub overdue: Option<bool>,
    /// Narrows `choose` by the mentee's name or email
    pub q: Option<String>,
    /// Cards per column, at most 100 (default 20)
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
    /// The `todo` column's page (1-based)
    #[param(minimum = 1)]
    pub todo_page: Option<i64>,
    /// The `in_progress` column's page
    #[param(minimum = 1)]
    pub in_progress_page: Option<i64>,
    /// The `changes_requested` column's page
    #[param(minimum = 1)]
    pub changes_requested_page: Option<i64>,
    /// The `review` column's page
    #[param(minimum = 1)]
    pub review_page: Option<i64>,
    /// The `done` column's page
    #[param(minimum = 1)]
    pub done_page: Option<i64>,
}

/// The task board: one column per status with its true count and one page of cards. Admins
/// who name no mentorship, person or `overdue` get `choose` (mentorships to pick) instead.
#[utoipa::path(get, path = "/tasks/board", tag = "mentoring", security(("bearer" = [])), params(BoardParams),
    responses((status = 200, body = Board), NotFound, Invalid))]
pub async fn get_task_board(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<BoardParams>,
) -> Result<ApiJson<Board>, ApiError> {
    let query = BoardQuery {
        mentorship_id: p.mentorship_id,
        assignee_id: p.assignee_id,
        overdue: p.overdue == Some(true),
        q: p.q,
        per_page: p.per_page,
        pages: [
            p.todo_page,
            p.in_progress_page,
            p.changes_requested_page,
            p.review_page,
            p.done_page,
        ],
    };
    Ok(ApiJson(
        service::tasks::board(&state.ctx, Some(&actor), query).await?,
    ))
}

/// Add a task to a mentorship by hand (its mentor or an admin).
#[utoipa::path(post, path = "/tasks", tag = "mentoring", security(("bearer" = [])), request_body = CreateTask,
    responses((status = 201, body = entity::task::Model), Forbidden, NotFound, Conflict, Invalid))]
pub async fn create_task(
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
#[utoipa::path(get, path = "/tasks/{id}", tag = "mentoring", security(("bearer" = [])), params(Id),
    responses((status = 200, body = TaskDetail), NotFound))]
pub async fn get_task(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<TaskDetail>, ApiError> {
    Ok(ApiJson(
        service::tasks::get(&state.ctx, Some(&actor), id).await?,
    ))
}

#[utoipa::path(patch, path = "/tasks/{id}", tag = "mentoring", security(("bearer" = [])), params(Id), request_body = UpdateTask,
    responses((status = 200, body = entity::task::Model), Forbidden, NotFound, Conflict, Invalid))]
pub async fn update_task(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
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

#[utoipa::path(delete, path = "/tasks/{id}", tag = "mentoring", security(("bearer" = [])), params(Id),
    responses((status = 204, description = "Deleted"), Forbidden, NotFound, Conflict))]
pub async fn delete_task(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<StatusCode, ApiError> {
    service::tasks::delete(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Move a task: the mentee starts and submits, the mentor approves or requests changes.
#[utoipa::path(post, path = "/tasks/{id}/transition", tag = "mentoring", security(("bearer" = [])), params(Id), request_body = Transition,
    responses((status = 200, body = entity::task::Model), Forbidden, NotFound,
        (status = 409, description = "Changed meanwhile, or the mentorship has ended", body = Problem, content_type = PROBLEM_JSON),
        (status = 422, description = "Not an allowed move, or a comment is missing", body = Problem, content_type = PROBLEM_JSON)))]
pub async fn transition_task(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Transition>,
) -> Result<ApiJson<task::Model>, ApiError> {
    let to = service::tasks::parse_status(&body.to)?;
    Ok(ApiJson(
        service::tasks::transition(&state.ctx, Some(&actor), id, to, body.comment).await?,
    ))
}

#[utoipa::path(get, path = "/tasks/{id}/memos", tag = "mentoring", security(("bearer" = [])), params(Id),
    responses((status = 200, body = Vec<MemoView>), NotFound))]
pub async fn list_memos(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<Vec<MemoView>>, ApiError> {
    Ok(ApiJson(
        service::tasks::memos::list(&state.ctx, Some(&actor), id).await?,
    ))
}

/// Comment on a task (Markdown).
#[utoipa::path(post, path = "/tasks/{id}/memos", tag = "mentoring", security(("bearer" = [])), params(Id), request_body = MemoBody,
    responses((status = 201, body = MemoView), Forbidden, NotFound, Invalid))]
pub async fn add_memo(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<MemoBody>,
) -> Result<impl IntoResponse, ApiError> {
    let created = service::tasks::memos::add(&state.ctx, Some(&actor), id, &body.body).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

/// Edit one's own memo.
#[utoipa::path(patch, path = "/tasks/{id}/memos/{memo_id}", tag = "mentoring", security(("bearer" = [])), params(TaskMemo), request_body = MemoBody,
    responses((status = 200, body = MemoView), Forbidden, NotFound, Invalid))]
pub async fn edit_memo(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(TaskMemo { id, memo_id }): ApiPath<TaskMemo>,
    ApiJson(body): ApiJson<MemoBody>,
) -> Result<ApiJson<MemoView>, ApiError> {
    Ok(ApiJson(
        service::tasks::memos::edit(&state.ctx, Some(&actor), id, memo_id, &body.body).await?,
    ))
}

/// Delete a memo (its author or an admin).
#[utoipa::path(delete, path = "/tasks/{id}/memos/{memo_id}", tag = "mentoring", security(("bearer" = [])), params(TaskMemo),
    responses((status = 204, description = "Deleted"), Forbidden, NotFound))]
pub async fn delete_memo(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(TaskMemo { id, memo_id }): ApiPath<TaskMemo>,
) -> Result<StatusCode, ApiError> {
    service::tasks::memos::delete(&state.ctx, Some(&actor), id, memo_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
