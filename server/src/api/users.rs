use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use entity::{FieldError, Role};
use serde::Deserialize;
use service::ServiceError;
use utoipa::ToSchema;

use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUserRequest {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    /// `admin`, `mentor` or `mentee`
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub password: String,
    pub department_id: Option<i32>,
    pub company_id: Option<i32>,
}

/// Create a person with a role (admins only).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])), request_body = CreateUserRequest,
    responses(
        (status = 201, body = entity::user::Model),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 409, description = "Email taken", body = Problem),
        (status = 422, body = Problem),
    ))]
pub async fn create_user(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiJson(req): ApiJson<CreateUserRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let role = Role::parse(&req.role).ok_or_else(|| {
        ServiceError::Invalid(vec![FieldError::new(
            "role",
            "invalid_role",
            "role must be admin, mentor or mentee",
        )])
    })?;
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
