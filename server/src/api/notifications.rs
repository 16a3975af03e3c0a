//! `/api/v1/notifications`: the caller's own.

use axum::extract::State;
use entity::{notification, Page};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{Id, Invalid, NotFound};
use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationParams {
    /// Only unread ones
    #[serde(default)]
    pub unread: bool,
    /// 1-based (default 1)
    #[param(minimum = 1)]
    pub page: Option<i64>,
    /// At most 100 (default 20)
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

/// A page of notifications and how many are unread in all.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    #[serde(flatten)]
    pub page: Page<notification::Model>,
    /// Unread, across all pages
    pub unread: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Marked {
    /// How many were unread before
    pub marked: u64,
}

/// The caller's notifications, newest first, with the unread count.
#[utoipa::path(get, path = "/notifications", tag = "notifications", security(("bearer" = [])), params(NotificationParams),
    responses((status = 200, body = NotificationList), Invalid))]
pub async fn list_notifications(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(p): ApiQuery<NotificationParams>,
) -> Result<ApiJson<NotificationList>, ApiError> {
    let page = service::notifications::list(
        &state.ctx,
        Some(&actor),
        p.unread,
        super::page_request(p.page, p.per_page)?,
    )
    .await?;
    let unread = service::notifications::unread_count(&state.ctx, Some(&actor)).await?;
    Ok(ApiJson(NotificationList { page, unread }))
}

#[utoipa::path(post, path = "/notifications/{id}/read", tag = "notifications", security(("bearer" = [])), params(Id),
    responses((status = 200, body = entity::notification::Model), NotFound))]
pub async fn mark_notification_read(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<notification::Model>, ApiError> {
    Ok(ApiJson(
        service::notifications::mark_read(&state.ctx, Some(&actor), id).await?,
    ))
}

#[utoipa::path(post, path = "/notifications/read-all", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Marked)))]
pub async fn mark_all_notifications_read(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
) -> Result<ApiJson<Marked>, ApiError> {
    let marked = service::notifications::mark_all_read(&state.ctx, Some(&actor)).await?;
    Ok(ApiJson(Marked { marked }))
}
