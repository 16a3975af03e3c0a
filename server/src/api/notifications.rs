//! `/api/v1/notifications`: the caller's own.

use axum::extract::State;
use entity::{notification, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct NotificationParams {
    /// Only unread ones
    #[serde(default)]
    pub unread: bool,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    pub items: Vec<notification::Model>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// The caller may add to this list (false for lists nobody adds to directly)
    pub can_create: bool,
    /// Unread, across all pages
    pub unread: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Marked {
    /// How many were unread before
    pub marked: u64,
}

/// The caller's notifications, newest first, with the unread count.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", security(("bearer" = [])), params(NotificationParams),
    responses((status = 200, body = NotificationList), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<NotificationParams>,
) -> Result<ApiJson<NotificationList>, ApiError> {
    let page = service::notifications::list(
        &state.ctx,
        Some(&actor),
        p.unread,
        PageRequest::new(p.page, p.per_page),
    )
    .await?;
    let unread = service::notifications::unread_count(&state.ctx, Some(&actor)).await?;
    Ok(ApiJson(NotificationList {
        items: page.items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        can_create: page.can_create,
        unread,
    }))
}

#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = entity::notification::Model), (status = 404, body = Problem)))]
pub async fn mark_read(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<ApiJson<notification::Model>, ApiError> {
    Ok(ApiJson(
        service::notifications::mark_read(&state.ctx, Some(&actor), id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Marked), (status = 401, body = Problem)))]
pub async fn mark_all_read(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
) -> Result<ApiJson<Marked>, ApiError> {
    let marked = service::notifications::mark_all_read(&state.ctx, Some(&actor)).await?;
    Ok(ApiJson(Marked { marked }))
}
