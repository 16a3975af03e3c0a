//! REST for integrations under `/api/v1`: JSON in, JSON out, problem+json on failure. Each
//! handler extracts, calls one service function and maps the result.

pub mod auth;
pub mod docs;
pub mod health;
pub mod users;

use axum::routing::{get, post};
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::problem::api_not_found;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "nuri API", description = "REST API of nuri, the self-hosted team platform. \
        Authenticate with `POST /api/v1/auth/login` and send `Authorization: Bearer <access_token>`."),
    paths(
        auth::login, auth::refresh, auth::logout, auth::me, auth::check, auth::register,
        users::create_user,
        health::health, health::health_detailed, health::version,
    ),
    components(schemas(crate::problem::Problem, entity::FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-in, tokens and the current user"),
        (name = "users", description = "People"),
        (name = "operations", description = "Health and version"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

pub fn router() -> Router<AppState> {
    let v1 = Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::me))
        .route("/auth/check", get(auth::check))
        .route("/auth/register", post(auth::register))
        .route("/users", post(users::create_user))
        .route("/health", get(health::health))
        .route("/health/detailed", get(health::health_detailed))
        .route("/version", get(health::version))
        .fallback(api_not_found);
    Router::new()
        .nest("/api/v1", v1)
        .route("/api/openapi.json", get(docs::openapi_json))
        .route("/api/docs", get(docs::docs_page))
}
