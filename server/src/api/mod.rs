//! REST for integrations under `/api/v1`: JSON in, JSON out, problem+json on failure. Each
//! handler extracts, calls one service function and maps the result.
//!
//! Every route is registered with its OpenAPI operation in one `routes!` call, so the published
//! document and the router cannot disagree (`server/tests/openapi.rs` checks both ways).

pub mod auth;
pub mod curricula;
pub mod dashboard;
pub mod docs;
pub mod forms;
pub mod health;
pub mod hosting;
pub mod mentorships;
pub mod notifications;
pub mod openapi;
pub mod org;
pub mod tasks;
pub mod users;
pub mod workspace_admin;
pub mod workspace_files;
pub mod workspaces;

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use entity::PageRequest;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::problem::{api_not_found, ApiError};
use crate::state::AppState;

/// `/api/v1` with its document: each `routes!` holds the handlers of one path.
fn v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(auth::login))
        .routes(routes!(auth::refresh_tokens))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::current_user))
        .routes(routes!(auth::check_token))
        .routes(routes!(auth::register))
        .routes(routes!(auth::change_password))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::get_user, users::update_user))
        .routes(routes!(users::reset_password))
        .routes(routes!(users::unlock_user))
        .routes(routes!(users::import_users))
        .routes(routes!(org::list_companies, org::create_company))
        .routes(routes!(
            org::get_company,
            org::update_company,
            org::delete_company
        ))
        .routes(routes!(org::list_departments, org::create_department))
        .routes(routes!(
            org::get_department,
            org::update_department,
            org::delete_department
        ))
        .routes(routes!(
            curricula::list_curricula,
            curricula::create_curriculum
        ))
        .routes(routes!(
            curricula::get_curriculum,
            curricula::update_curriculum,
            curricula::delete_curriculum
        ))
        .routes(routes!(curricula::add_curriculum_task))
        .routes(routes!(curricula::reorder_curriculum_tasks))
        .routes(routes!(
            curricula::update_curriculum_task,
            curricula::delete_curriculum_task
        ))
        .routes(routes!(curricula::copy_curriculum))
        .routes(routes!(
            mentorships::list_mentorships,
            mentorships::create_mentorship
        ))
        .routes(routes!(
            mentorships::get_mentorship,
            mentorships::update_mentorship
        ))
        .routes(routes!(dashboard::get_dashboard))
        .routes(routes!(tasks::list_tasks, tasks::create_task))
        .routes(routes!(tasks::get_task_board))
        .routes(routes!(
            tasks::get_task,
            tasks::update_task,
            tasks::delete_task
        ))
        .routes(routes!(tasks::transition_task))
        .routes(routes!(tasks::list_memos, tasks::add_memo))
        .routes(routes!(tasks::edit_memo, tasks::delete_memo))
        .routes(routes!(notifications::list_notifications))
        .routes(routes!(notifications::mark_all_notifications_read))
        .routes(routes!(notifications::mark_notification_read))
        .routes(routes!(forms::list_forms, forms::create_form))
        .routes(routes!(
            forms::get_form,
            forms::update_form,
            forms::delete_form
        ))
        .routes(routes!(
            forms::get_form_results,
            forms::submit_form_response
        ))
        .routes(routes!(forms::export_form_responses_csv))
        .routes(routes!(
            workspaces::list_workspaces,
            workspaces::create_workspace
        ))
        .routes(routes!(
            workspaces::get_workspace,
            workspaces::update_workspace,
            workspaces::delete_workspace
        ))
        .routes(routes!(
            workspaces::get_jupyter,
            workspaces::start_jupyter,
            workspaces::stop_jupyter
        ))
        .routes(routes!(workspaces::list_runs, workspaces::start_run))
        .routes(routes!(workspaces::get_run))
        .routes(routes!(workspaces::cancel_run))
        .routes(routes!(
            workspace_files::list_files,
            workspace_files::upload_files,
            workspace_files::delete_file
        ))
        .routes(routes!(
            workspace_files::download_file,
            workspace_files::put_file
        ))
        .routes(routes!(
            workspace_files::list_folders,
            workspace_files::create_folder
        ))
        .routes(routes!(workspace_files::move_file))
        .routes(routes!(workspace_files::delete_many))
        .routes(routes!(workspace_files::move_many))
        .routes(routes!(workspace_files::preview_file))
        .routes(routes!(workspace_admin::list_all_workspaces))
        .routes(routes!(workspace_admin::stop_workspace_jupyter))
        .routes(routes!(hosting::create_hosting))
        .routes(routes!(hosting::get_my_hosting, hosting::delete_my_hosting))
        .routes(routes!(hosting::start_my_hosting))
        .routes(routes!(hosting::stop_my_hosting))
        .routes(routes!(hosting::restart_my_hosting))
        .routes(routes!(hosting::retry_my_hosting))
        .routes(routes!(hosting::my_hosting_events))
        .routes(routes!(hosting::list_hostings))
        .routes(routes!(hosting::force_delete_hosting))
        .routes(routes!(hosting::force_stop_hosting))
        .routes(routes!(hosting::list_ssh_keys, hosting::add_ssh_key))
        .routes(routes!(hosting::delete_ssh_key))
        .routes(routes!(health::health))
        .routes(routes!(health::health_detailed))
        .routes(routes!(health::version))
}

/// `page` and `per_page` of a list query, bounded as they are read: 422 when out of range.
fn page_request(page: Option<i64>, per_page: Option<i64>) -> Result<PageRequest, ApiError> {
    PageRequest::checked(page, per_page)
        .map_err(|fields| ApiError::from(service::ServiceError::Invalid(fields)))
}

pub fn router() -> Router<AppState> {
    let (api, mut doc) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .nest("/api/v1", v1().fallback(api_not_found))
        .split_for_parts();
    doc.info.version = service::health::VERSION.to_owned();
    openapi::describe_extractors(&mut doc);
    let mut spec = serde_json::to_value(doc).expect("the OpenAPI document serialises");
    openapi::link_records(&mut spec);
    let spec = Arc::new(spec);
    let page_spec = spec.clone();
    api.route(
        "/api/openapi.json",
        get(move || docs::openapi_json(spec.clone())),
    )
    .route(
        "/api/docs",
        get(
            move |state: State<AppState>, headers: axum::http::HeaderMap| {
                docs::docs_page(state, headers, page_spec.clone())
            },
        ),
    )
}
