use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use entity::account::Account;
use serde::{Deserialize, Serialize};
use service::auth::TokenPair;
use service::{AuthMethod, ServiceError};
use utoipa::ToSchema;

use super::openapi::{field, Conflict, Forbidden, Invalid};
use crate::actor::{ClientIp, RequireActor};
use crate::problem::{json_object, ApiBody, ApiError, ApiJson, Problem, PROBLEM_JSON};
use crate::state::AppState;

// Required fields default to "" so that a missing one gets the service's field error.

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    #[serde(default)]
    #[schema(required = true, min_length = 1)]
    pub email: String,
    #[serde(default)]
    #[schema(required = true, min_length = 1)]
    pub password: String,
}

/// The OAuth2 password grant form (`username` is the email).
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordGrant {
    #[serde(default)]
    #[schema(required = true, min_length = 1)]
    username: String,
    #[serde(default)]
    #[schema(required = true, min_length = 1)]
    password: String,
    /// Only `password`
    #[schema(value_type = Option<GrantType>)]
    grant_type: Option<String>,
}

/// The one OAuth2 grant nuri supports.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum GrantType {
    Password,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    #[serde(default)]
    #[schema(required = true, min_length = 1)]
    pub refresh_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    #[serde(default)]
    #[schema(required = true, schema_with = field::email)]
    pub email: String,
    #[serde(default)]
    #[schema(required = true, schema_with = field::person_name)]
    pub name: String,
    #[serde(default)]
    #[schema(required = true, schema_with = field::new_password)]
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    #[serde(default)]
    #[schema(required = true, min_length = 1)]
    pub current_password: String,
    #[serde(default)]
    #[schema(required = true, schema_with = field::new_password)]
    pub new_password: String,
}

/// An answer that carries tokens: no cache may keep it (RFC 6749 §5.1).
pub struct NoStore<T>(pub T);

impl<T: IntoResponse> IntoResponse for NoStore<T> {
    fn into_response(self) -> Response {
        let mut res = self.0.into_response();
        let headers = res.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        res
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCheck {
    pub active: bool,
    pub user_id: i32,
    pub role: entity::Role,
    /// `session` or `bearer`
    pub via: &'static str,
}

fn credentials(headers: &HeaderMap, body: &Bytes) -> Result<(String, String), ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let form: PasswordGrant = serde_urlencoded::from_bytes(body).map_err(|e| {
            ApiError::bad_request(StatusCode::BAD_REQUEST, "malformed_form", e.to_string())
        })?;
        if form.grant_type.as_deref().is_some_and(|g| g != "password") {
            return Err(ApiError::bad_request(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "only grant_type=password is supported",
            ));
        }
        Ok((form.username, form.password))
    } else if content_type.starts_with("application/json") {
        let req: LoginRequest = json_object(body)?;
        Ok((req.email, req.password))
    } else {
        Err(ApiError::bad_request(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send JSON {email, password} or an OAuth2 password form",
        ))
    }
}

/// Sign in and receive an access token (15 minutes) and a refresh token.
#[utoipa::path(post, path = "/auth/login", tag = "auth",
    request_body(description = "JSON `{email, password}`, or an OAuth2 password form (`username`, `password`)",
        content((LoginRequest = "application/json"), (PasswordGrant = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, body = TokenPair),
        (status = 400, description = "Malformed JSON or form, or a grant other than `password`", body = Problem, content_type = PROBLEM_JSON),
        (status = 401, description = "Wrong email or password (same answer for both)", body = Problem, content_type = PROBLEM_JSON),
        (status = 415, description = "Neither JSON nor a form", body = Problem, content_type = PROBLEM_JSON),
        (status = 422, description = "A field is missing, or the JSON is not an object", body = Problem, content_type = PROBLEM_JSON),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = Problem, content_type = PROBLEM_JSON),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiBody(body): ApiBody,
) -> Result<NoStore<ApiJson<TokenPair>>, ApiError> {
    let (email, password) = credentials(&headers, &body)?;
    let user = service::auth::login(&state.ctx, &email, &password, ip).await?;
    Ok(NoStore(ApiJson(
        service::auth::tokens::issue_pair(&state.ctx, &user).await?,
    )))
}

/// Trade a refresh token for a new pair. Each refresh token works once; reusing one revokes
/// every token of that login.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenPair),
        (status = 401, description = "Unknown, used or expired refresh token", body = Problem, content_type = PROBLEM_JSON)))]
pub async fn refresh_tokens(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<NoStore<ApiJson<TokenPair>>, ApiError> {
    Ok(NoStore(ApiJson(
        service::auth::refresh(&state.ctx, &req.refresh_token).await?,
    )))
}

/// Change your password (the only thing an account with `must_change_password` may do besides
/// `me` and logout). Every other token and session of the account stops working; the answer is a
/// new token pair for this client, and a browser session that called this carries on.
#[utoipa::path(post, path = "/auth/password", tag = "auth", security(("bearer" = [])),
    request_body = PasswordChange,
    responses((status = 200, body = TokenPair), Invalid))]
pub async fn change_password(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    session: tower_sessions::Session,
    ApiJson(req): ApiJson<PasswordChange>,
) -> Result<NoStore<ApiJson<TokenPair>>, ApiError> {
    let user = service::users::change_password(
        &state.ctx,
        Some(&actor),
        &req.current_password,
        &req.new_password,
    )
    .await?;
    if actor.via == AuthMethod::Session {
        // As the account page does: a fresh session id, stamped with the new token version.
        app::api::ssr::stamp_session(&session, &user)
            .await
            .map_err(|e| ServiceError::Internal(format!("session: {e}")))?;
    }
    Ok(NoStore(ApiJson(
        service::auth::tokens::issue_pair(&state.ctx, &user).await?,
    )))
}

/// End this login: the bearer token's family (access and refresh tokens), or the browser session.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Logged out")))]
pub async fn logout(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    session: tower_sessions::Session,
) -> Result<StatusCode, ApiError> {
    match actor.via {
        AuthMethod::Bearer { .. } => service::auth::logout_token(&state.ctx, &actor).await?,
        AuthMethod::Session => {
            session
                .flush()
                .await
                .map_err(|e| ServiceError::Internal(format!("session: {e}")))?;
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user, with the sections they may use (`can_manage_company`).
#[utoipa::path(get, path = "/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Account)))]
pub async fn current_user(RequireActor(actor): RequireActor) -> Result<ApiJson<Account>, ApiError> {
    Ok(ApiJson(service::users::me(Some(&actor)).await?))
}

/// Is this token (or session) valid right now?
#[utoipa::path(get, path = "/auth/check", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = TokenCheck)))]
pub async fn check_token(RequireActor(actor): RequireActor) -> ApiJson<TokenCheck> {
    ApiJson(TokenCheck {
        active: true,
        user_id: actor.id(),
        role: actor.role(),
        via: match actor.via {
            AuthMethod::Session => "session",
            AuthMethod::Bearer { .. } => "bearer",
        },
    })
}

/// Create an account as a mentee (only when the instance runs with NURI_REGISTRATION=open).
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = entity::user::Model), Forbidden, Conflict, Invalid))]
pub async fn register(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let input = service::users::SignUp {
        email: req.email,
        name: req.name,
        password: req.password,
    };
    let created = service::users::register(&state.ctx, input).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}
