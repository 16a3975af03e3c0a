//! REST for integrations under `/api/v1`: JSON in, JSON out, problem+json on failure. Each
//! handler extracts, calls one service function and maps the result.

pub mod auth;
pub mod curricula;
pub mod docs;
pub mod forms;
pub mod health;
pub mod mentorships;
pub mod notifications;
pub mod org;
pub mod tasks;
pub mod users;

use axum::routing::MethodRouter;
use axum::routing::{get, patch, post, put};
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
        users::create_user, users::list_users, users::get_user, users::update_user, users::reset_password, users::import_users,
        org::list_companies, org::create_company, org::get_company, org::update_company, org::delete_company,
        curricula::list, curricula::create, curricula::get, curricula::update, curricula::delete,
        curricula::add_task, curricula::update_task, curricula::delete_task, curricula::reorder, curricula::copy,
        mentorships::list, mentorships::create, mentorships::get, mentorships::update, mentorships::dashboard,
        tasks::list, tasks::create, tasks::get, tasks::update, tasks::delete, tasks::transition,
        tasks::memos, tasks::add_memo, tasks::edit_memo, tasks::delete_memo,
        notifications::list, notifications::mark_read, notifications::mark_all_read,
        forms::list, forms::create, forms::get, forms::update, forms::delete,
        forms::submit, forms::results, forms::export_csv,
        org::list_departments, org::create_department, org::get_department, org::update_department, org::delete_department,
        health::health, health::health_detailed, health::version,
    ),
    components(schemas(crate::problem::Problem, entity::FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-in, tokens and the current user"),
        (name = "users", description = "People"),
        (name = "organisation", description = "Companies and departments"),
        (name = "curricula", description = "Curricula and their task templates"),
        (name = "mentoring", description = "Mentorships, tasks, memos and dashboards"),
        (name = "notifications", description = "The caller's in-app notifications"),
        (name = "forms", description = "Forms (surveys): build, send, answer, results and CSV export"),
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
        .route("/users", get(users::list_users).post(users::create_user))
        .route(
            "/users/{id}",
            get(users::get_user).patch(users::update_user),
        )
        .route("/users/{id}/reset-password", post(users::reset_password))
        .route("/users/import", post(users::import_users))
        .route(
            "/companies",
            get(org::list_companies).post(org::create_company),
        )
        .route(
            "/companies/{id}",
            one(org::get_company, org::update_company, org::delete_company),
        )
        .route(
            "/departments",
            get(org::list_departments).post(org::create_department),
        )
        .route(
            "/departments/{id}",
            one(
                org::get_department,
                org::update_department,
                org::delete_department,
            ),
        )
        .route("/curricula", get(curricula::list).post(curricula::create))
        .route(
            "/curricula/{id}",
            one(curricula::get, curricula::update, curricula::delete),
        )
        .route("/curricula/{id}/tasks", post(curricula::add_task))
        .route("/curricula/{id}/tasks/order", put(curricula::reorder))
        .route(
            "/curricula/{id}/tasks/{task_id}",
            patch(curricula::update_task).delete(curricula::delete_task),
        )
        .route("/curricula/{id}/copy", post(curricula::copy))
        .route(
            "/mentorships",
            get(mentorships::list).post(mentorships::create),
        )
        .route(
            "/mentorships/{id}",
            get(mentorships::get).patch(mentorships::update),
        )
        .route("/dashboard", get(mentorships::dashboard))
        .route("/tasks", get(tasks::list).post(tasks::create))
        .route("/tasks/{id}", one(tasks::get, tasks::update, tasks::delete))
        .route("/tasks/{id}/transition", post(tasks::transition))
        .route("/tasks/{id}/memos", get(tasks::memos).post(tasks::add_memo))
        .route(
            "/tasks/{id}/memos/{memo_id}",
            patch(tasks::edit_memo).delete(tasks::delete_memo),
        )
        .route("/notifications", get(notifications::list))
        .route(
            "/notifications/read-all",
            post(notifications::mark_all_read),
        )
        .route("/notifications/{id}/read", post(notifications::mark_read))
        .route("/forms", get(forms::list).post(forms::create))
        .route("/forms/{id}", one(forms::get, forms::update, forms::delete))
        .route(
            "/forms/{id}/responses",
            get(forms::results).post(forms::submit),
        )
        .route("/forms/{id}/responses.csv", get(forms::export_csv))
        .route("/health", get(health::health))
        .route("/health/detailed", get(health::health_detailed))
        .route("/version", get(health::version))
        .fallback(api_not_found);
    Router::new()
        .nest("/api/v1", v1)
        .route("/api/openapi.json", get(docs::openapi_json))
        .route("/api/docs", get(docs::docs_page))
}

/// GET, PATCH and DELETE of one resource.
fn one<G, GT, U, UT, D, DT>(get_: G, update: U, delete: D) -> MethodRouter<AppState>
where
    G: axum::handler::Handler<GT, AppState>,
    U: axum::handler::Handler<UT, AppState>,
    D: axum::handler::Handler<DT, AppState>,
    GT: 'static,
    UT: 'static,
    DT: 'static,
{
    get(get_).patch(update).delete(delete)
}
