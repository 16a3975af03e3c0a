//! `/api/v1/forms`: build and send forms, answer them (`/{id}/responses`), read the answers and
//! export them (`/{id}/responses.csv`).

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use entity::form_view::{FormResults, FormSummary, FormView, ResponseView};
use entity::{FormKind, Page};
use serde::Deserialize;
use service::forms::{FormInput, FormPatch, FormQuery, QuestionInput};
use utoipa::openapi::schema::Schema;
use utoipa::{IntoParams, ToSchema};

use super::openapi::{self, field, Conflict, Forbidden, Id, Invalid, NotFound};
use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormsParams {
    /// Only forms I made
    #[serde(default)]
    pub mine: bool,
    /// Only forms sent to me (each says whether I answered)
    #[serde(default)]
    pub to_answer: bool,
    /// Default `-created_at`; `-` in front sorts descending
    #[param(schema_with = form_sort)]
    pub sort: Option<String>,
    /// 1-based (default 1)
    #[param(minimum = 1)]
    pub page: Option<i64>,
    /// At most 100 (default 20)
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

fn form_sort() -> Schema {
    openapi::sort(&service::forms::SORTS)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateQuestion {
    #[serde(default)]
    #[schema(required = true, value_type = FormKind)]
    pub kind: String,
    #[serde(default)]
    #[schema(required = true, schema_with = field::question_label)]
    pub label: String,
    #[serde(default)]
    pub required: bool,
    /// Choice questions: 2–20 distinct options
    pub options: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateForm {
    #[serde(default)]
    #[schema(required = true, schema_with = field::form_title)]
    pub title: String,
    #[schema(schema_with = field::form_description_or_null)]
    pub description: Option<String>,
    /// 1–50 questions, in order
    #[serde(default, deserialize_with = "crate::problem::objects")]
    #[schema(required = true, min_items = 1)]
    pub questions: Vec<CreateQuestion>,
    /// Active people of my company
    #[serde(default)]
    pub recipient_ids: Vec<i32>,
    /// Adds everyone active in these departments of my company
    #[serde(default)]
    pub department_ids: Vec<i32>,
    /// Adds this mentorship's mentee to the recipients
    pub mentorship_id: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateForm {
    #[schema(schema_with = field::form_title_or_null)]
    pub title: Option<String>,
    #[schema(schema_with = field::form_description_or_null)]
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
#[utoipa::path(get, path = "/forms", tag = "forms", security(("bearer" = [])), params(FormsParams),
    responses((status = 200, body = Page<FormSummary>), Invalid))]
pub async fn list_forms(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<FormsParams>,
) -> Result<ApiJson<Page<FormSummary>>, ApiError> {
    let query = FormQuery {
        mine: p.mine,
        to_answer: p.to_answer,
        sort: p.sort,
    };
    Ok(ApiJson(
        service::forms::list(
            &state.ctx,
            Some(&actor),
            query,
            super::page_request(p.page, p.per_page)?,
        )
        .await?,
    ))
}

/// Build a form and send it (mentors and admins).
#[utoipa::path(post, path = "/forms", tag = "forms", security(("bearer" = [])), request_body = CreateForm,
    responses((status = 201, body = FormView), Forbidden, Invalid))]
pub async fn create_form(
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
        department_ids: body.department_ids,
        mentorship_id: body.mentorship_id,
    };
    let created = service::forms::create(&state.ctx, Some(&actor), input).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

/// The form and its questions; a recipient also gets their own answers (`my_response`).
#[utoipa::path(get, path = "/forms/{id}", tag = "forms", security(("bearer" = [])), params(Id),
    responses((status = 200, body = FormView), Forbidden, NotFound))]
pub async fn get_form(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<FormView>, ApiError> {
    Ok(ApiJson(
        service::forms::get(&state.ctx, Some(&actor), id).await?,
    ))
}

/// Rename, describe, close (`closed: true`) or reopen a form.
#[utoipa::path(patch, path = "/forms/{id}", tag = "forms", security(("bearer" = [])), params(Id), request_body = UpdateForm,
    responses((status = 200, body = FormView), Forbidden, NotFound, Invalid))]
pub async fn update_form(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
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
#[utoipa::path(delete, path = "/forms/{id}", tag = "forms", security(("bearer" = [])), params(Id),
    responses((status = 204, description = "Deleted"), Forbidden, NotFound))]
pub async fn delete_form(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<StatusCode, ApiError> {
    service::forms::delete(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Answer a form sent to me: 201 the first time, 200 when it replaces my earlier answer;
/// 409 once the form is closed.
#[utoipa::path(post, path = "/forms/{id}/responses", tag = "forms", security(("bearer" = [])), params(Id), request_body = SubmitAnswers,
    responses((status = 201, description = "The first answer", body = ResponseView),
        (status = 200, description = "A new answer replacing mine", body = ResponseView), Forbidden, NotFound, Conflict, Invalid))]
pub async fn submit_form_response(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
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
#[utoipa::path(get, path = "/forms/{id}/responses", tag = "forms", security(("bearer" = [])), params(Id),
    responses((status = 200, body = FormResults), Forbidden, NotFound))]
pub async fn get_form_results(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<FormResults>, ApiError> {
    Ok(ApiJson(
        service::forms::results(&state.ctx, Some(&actor), id).await?,
    ))
}

/// The responses as CSV (UTF-8 with a byte-order mark): name, email, submitted_at, then one
/// column per question; multiple choices joined with "; ".
#[utoipa::path(get, path = "/forms/{id}/responses.csv", tag = "forms", security(("bearer" = [])), params(Id),
    responses((status = 200, content_type = "text/csv", body = String), Forbidden, NotFound))]
pub async fn export_form_responses_csv(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
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
