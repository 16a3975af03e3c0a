use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use entity::Role;
use entity::{user, Page};
use serde::{Deserialize, Serialize};
use service::users::{UserPatch, UserQuery};
use utoipa::IntoParams;
use utoipa::ToSchema;

use super::openapi::{self, field, Conflict, Forbidden, Id, Invalid, NotFound};
use crate::actor::RequireActor;
use crate::problem::{ApiBody, ApiError, ApiJson, ApiPath, ApiQuery, Problem, PROBLEM_JSON};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUserRequest {
    #[serde(default)]
    #[schema(required = true, schema_with = field::email)]
    pub email: String,
    #[serde(default)]
    #[schema(required = true, schema_with = field::person_name)]
    pub name: String,
    #[serde(default)]
    #[schema(required = true, value_type = Role)]
    pub role: String,
    #[serde(default)]
    #[schema(required = true, schema_with = field::new_password)]
    pub password: String,
    pub department_id: Option<i32>,
    /// Platform admin only (default: the caller's company)
    pub company_id: Option<i32>,
}

/// Create a person with a role (admins only).
#[utoipa::path(post, path = "/users", tag = "users", security(("bearer" = [])), request_body = CreateUserRequest,
    responses((status = 201, body = entity::user::Model), Forbidden,
        (status = 409, description = "Email taken", body = Problem, content_type = PROBLEM_JSON), Invalid))]
pub async fn create_user(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiJson(req): ApiJson<CreateUserRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let role = service::users::parse_role(&req.role)?;
    let input = service::users::NewUser {
        email: req.email,
        name: req.name,
        role,
        password: req.password,
        company_id: req.company_id,
        department_id: req.department_id,
    };
    let created = service::users::create_user(&state.ctx, Some(&actor), input).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserParams {
    /// Part of the name or email, any case
    #[param(schema_with = field::search)]
    pub q: Option<String>,
    /// `admin`, `mentor` or `mentee` (read by the one role parser, `users::parse_role`)
    #[param(value_type = Option<Role>)]
    pub role: Option<String>,
    pub department_id: Option<i32>,
    pub active: Option<bool>,
    /// Platform admin only: one company (default: all)
    pub company_id: Option<i32>,
    /// Default `name`; `-` in front sorts descending
    #[param(schema_with = user_sort)]
    pub sort: Option<String>,
    /// 1-based (default 1)
    #[param(minimum = 1)]
    pub page: Option<i64>,
    /// At most 100 (default 20)
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

fn user_sort() -> utoipa::openapi::schema::Schema {
    openapi::sort(&service::users::SORTS)
}

/// Absent fields stay; `department_id: null` takes the person out of their department.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateUserRequest {
    #[schema(schema_with = field::person_name_or_null)]
    pub name: Option<String>,
    /// `admin`, `mentor` or `mentee` (read by the one role parser, `users::parse_role`)
    #[schema(value_type = Option<Role>)]
    pub role: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i32>)]
    pub department_id: Option<Option<i32>>,
    /// `false` deactivates (sign-in refused, sessions end); people are never deleted
    pub is_active: Option<bool>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i32>>, D::Error> {
    Option::<i32>::deserialize(d).map(Some)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordReset {
    /// Shown once; the person must choose a new password at their next sign-in.
    pub temporary_password: String,
}

/// People of the caller's company (admins), searched, filtered, sorted and paged, each with
/// `locked_until` when too many wrong passwords locked their sign-in.
#[utoipa::path(get, path = "/users", tag = "users", security(("bearer" = [])), params(UserParams),
    responses((status = 200, body = Page<entity::user::Person>), Forbidden, NotFound, Invalid))]
pub async fn list_users(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<UserParams>,
) -> Result<ApiJson<Page<user::Person>>, ApiError> {
    let query = UserQuery {
        q: p.q,
        role: p
            .role
            .as_deref()
            .map(service::users::parse_role)
            .transpose()?,
        department_id: p.department_id,
        active: p.active,
        company_id: p.company_id,
        sort: p.sort,
    };
    Ok(ApiJson(
        service::users::people(
            &state.ctx,
            Some(&actor),
            query,
            super::page_request(p.page, p.per_page)?,
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/users/{id}", tag = "users", security(("bearer" = [])), params(Id),
    responses((status = 200, body = entity::user::Model), NotFound))]
pub async fn get_user(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<user::Model>, ApiError> {
    Ok(ApiJson(
        service::users::get(&state.ctx, Some(&actor), id).await?,
    ))
}

/// Change a person's name, role, department or active flag (admins of their company).
#[utoipa::path(patch, path = "/users/{id}", tag = "users", security(("bearer" = [])), params(Id), request_body = UpdateUserRequest,
    responses((status = 200, body = entity::user::Model), Forbidden, NotFound, Invalid))]
pub async fn update_user(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<UpdateUserRequest>,
) -> Result<ApiJson<user::Model>, ApiError> {
    let patch = UserPatch {
        name: body.name,
        role: body
            .role
            .as_deref()
            .map(service::users::parse_role)
            .transpose()?,
        department_id: body.department_id,
        is_active: body.is_active,
    };
    Ok(ApiJson(
        service::users::update(&state.ctx, Some(&actor), id, patch).await?,
    ))
}

/// Set a temporary password (returned once) and require a new one at the next sign-in.
#[utoipa::path(post, path = "/users/{id}/reset-password", tag = "users", security(("bearer" = [])), params(Id),
    responses((status = 200, body = PasswordReset), Forbidden, NotFound, Conflict))]
pub async fn reset_password(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<PasswordReset>, ApiError> {
    let temporary_password = service::users::reset_password(&state.ctx, Some(&actor), id).await?;
    Ok(ApiJson(PasswordReset { temporary_password }))
}

/// Let a person sign in again now: forget the failed sign-ins that locked their account (after
/// five wrong passwords it is refused for 15 minutes, whoever guessed).
#[utoipa::path(post, path = "/users/{id}/unlock", tag = "users", security(("bearer" = [])), params(Id),
    responses((status = 204, description = "Unlocked"), Forbidden, NotFound))]
pub async fn unlock_user(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<StatusCode, ApiError> {
    service::users::unlock(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `true` writes the people (only if every row is valid); default: a preview that writes nothing
    #[serde(default)]
    pub commit: bool,
}

/// Import people from CSV (`email,name,role[,department][,password]`, header required) into the
/// caller's company. A preview lists each row with its problems; an import writes every row or
/// none. Rows without a password get a temporary one (in `created`), to be changed at first sign-in.
#[utoipa::path(post, path = "/users/import", tag = "users", security(("bearer" = [])), params(ImportParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = entity::import::ImportReport), Forbidden,
        (status = 400, description = "The file is not UTF-8", body = Problem, content_type = PROBLEM_JSON),
        (status = 415, description = "Not sent as text/csv", body = Problem, content_type = PROBLEM_JSON),
        (status = 422, description = "Not importable; `errors` name each line", body = Problem, content_type = PROBLEM_JSON)))]
pub async fn import_users(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<ImportParams>,
    headers: axum::http::HeaderMap,
    ApiBody(body): ApiBody,
) -> Result<ApiJson<entity::import::ImportReport>, ApiError> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !(content_type.starts_with("text/csv") || content_type.starts_with("text/plain")) {
        return Err(ApiError::bad_request(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the file as text/csv",
        ));
    }
    let body = service::import::text_of(&body).ok_or_else(|| {
        ApiError::bad_request(
            StatusCode::BAD_REQUEST,
            "invalid_encoding",
            "the file must be UTF-8",
        )
    })?;
    Ok(ApiJson(
        service::import::import_users(&state.ctx, Some(&actor), body, p.commit).await?,
    ))
}
