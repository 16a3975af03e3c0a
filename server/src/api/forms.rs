//! `/api/v1/forms`: build and send forms, answer them (`/{id}/responses`), read the answers and
//! export them (`/{id}/responses.csv`).

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use entity::form_view::{FormResults, FormSummary, FormView, ResponseView};
use entity::PageRequest;
use serde::{Deserialize, Serialize};
use service::forms::{FormInput, FormPatch, FormQuery, QuestionInput};
use utoipa::{IntoParams, ToSchema};

use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct FormsParams {
    /// Only forms I made
    #[serde(default)]
    pub mine: bool,
    /// Only forms sent to me (each says whether I answered)
    #[serde(default)]
    pub to_answer: bool,
    /// `created_at` or `title`, `-` prefix for descending (default `-created_at`)
    pub sort: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FormList {
    pub items: Vec<FormSummary>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// The caller may add to this list (false for lists nobody adds to directly)
    pub can_create: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateQuestion {
    /// `short_text`, `long_text`, `single_choice`, `multiple_choice`, `number`, `date`, `rating`
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub required: bool,
    /// Choice questions: 2–20 distinct options
    pub options: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateForm {
    #[serde(default)]
    pub title: String,
    pub description: Option<String>,
    /// 1–50 questions, in order
    #[serde(default)]
    pub questions: Vec<CreateQuestion>,
    /// Active people of my company
    #[serde(default)]
    pub recipient_ids: Vec<i32>,
    /// Adds this mentorship's mentee to the recipients
    pub mentorship_id: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateForm {
    pub title: Option<String>,
    pub description: Option<String>,
    /// `true` closes the form to answers, `false` reopens it
    pub closed: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SubmitAnswers {
    /// One per question in question order: a string (text, date, single choice), an array of
    /// strings (multiple choice), a number (number, rating) or `null` (unanswered optional).
    #[schema(value_type = Vec<Object>)]
    #[serde(default)]
    pub answers: Vec<serde_json::Value>,
}

/// Forms I made, forms sent to me, or (admins) every form of my company; newest first.
#[utoipa::path(get, path = "/api/v1/forms", tag = "forms", security(("bearer" = [])), params(FormsParams),
    responses((status = 200, body = FormList), (status = 401, body = Problem), (status = 400, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<FormsParams>,
) -> Result<ApiJson<FormList>, ApiError> {
    let query = FormQuery {
        mine: p.mine,
        to_answer: p.to_answer,
        sort: p.sort,
    };
    let page = service::forms::list(
        &state.ctx,
        Some(&actor),
        query,
        PageRequest::new(p.page, p.per_page),
    )
    .await?;
    Ok(ApiJson(FormList {
        items: page.items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        can_create: page.can_create,
    }))
}

/// Build a form and send it (mentors and admins).
#[utoipa::path(post, path = "/api/v1/forms", tag = "forms", security(("bearer" = [])), request_body = CreateForm,
    responses((status = 201, body = FormView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiJson(body): ApiJson<CreateForm>,
) -> Result<impl IntoResponse, ApiError> {
    let input = FormInput {
        title: body.title,
        description: body.description,
        questions: body
            .questions
            .into_iter()
            .map(|q| QuestionInput {
                kind: q.kind,
                label: q.label,
                required: q.required,
                options: q.options,
            })
            .collect(),
        recipient_ids: body.recipient_ids,
        mentorship_id: body.mentorship_id,
    };
    let created = service::forms::create(&state.ctx, Some(&actor), input).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

/// The form and its questions; a recipient also gets their own answers (`my_response`).
#[utoipa::path(get, path = "/api/v1/forms/{id}", tag = "forms", security(("bearer" = [])),
    responses((status = 200, body = FormView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<ApiJson<FormView>, ApiError> {
    Ok(ApiJson(
        service::forms::get(&state.ctx, Some(&actor), id).await?,
    ))
}

/// Rename, describe, close (`closed: true`) or reopen a form.
#[utoipa::path(patch, path = "/api/v1/forms/{id}", tag = "forms", security(("bearer" = [])), request_body = UpdateForm,
    responses((status = 200, body = FormView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<UpdateForm>,
) -> Result<ApiJson<FormView>, ApiError> {
    let patch = FormPatch {
        title: body.title,
        description: body.description,
        closed: body.closed,
    };
    Ok(ApiJson(
        service::forms::update(&state.ctx, Some(&actor), id, patch).await?,
    ))
}

/// Delete a form with every answer to it.
#[utoipa::path(delete, path = "/api/v1/forms/{id}", tag = "forms", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<StatusCode, ApiError> {
    service::forms::delete(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Answer a form sent to me: 201 the first time, 200 when it replaces my earlier answer;
/// 409 once the form is closed.
#[utoipa::path(post, path = "/api/v1/forms/{id}/responses", tag = "forms", security(("bearer" = [])), request_body = SubmitAnswers,
    responses((status = 201, body = ResponseView), (status = 200, body = ResponseView), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<SubmitAnswers>,
) -> Result<impl IntoResponse, ApiError> {
    let (response, first) =
        service::forms::submit(&state.ctx, Some(&actor), id, body.answers).await?;
    let status = if first {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, ApiJson(response)))
}

/// Who answered and who has not yet, every response, counts per option (author and admins).
#[utoipa::path(get, path = "/api/v1/forms/{id}/responses", tag = "forms", security(("bearer" = [])),
    responses((status = 200, body = FormResults), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn results(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<ApiJson<FormResults>, ApiError> {
    Ok(ApiJson(
        service::forms::results(&state.ctx, Some(&actor), id).await?,
    ))
}

/// The responses as CSV (UTF-8 with a byte-order mark): name, email, submitted_at, then one
/// column per question; multiple choices joined with "; ".
#[utoipa::path(get, path = "/api/v1/forms/{id}/responses.csv", tag = "forms", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export_csv(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<Response, ApiError> {
    let (name, bytes) = service::forms::export_csv(&state.ctx, Some(&actor), id).await?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response())
}
