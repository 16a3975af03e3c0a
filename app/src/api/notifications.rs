//! Server functions for the caller's notifications: the unread count, the list, open, read all.

use entity::{notification, Page};
use leptos::prelude::*;

use crate::error::AppError;

#[server(prefix = "/api/fn", endpoint = "unread_notifications")]
pub async fn unread_notifications() -> Result<u64, AppError> {
    let (ctx, info) = super::ssr::context()?;
    Ok(service::notifications::unread_count(&ctx, info.actor.as_ref()).await?)
}

#[server(prefix = "/api/fn", endpoint = "list_notifications")]
pub async fn list_notifications(page: u64) -> Result<Page<notification::Model>, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let page = entity::PageRequest::new(Some(page), Some(30));
    Ok(service::notifications::list(&ctx, info.actor.as_ref(), false, page).await?)
}

/// Marks a notification read and goes where it points.
#[server(prefix = "/api/fn", endpoint = "open_notification")]
pub async fn open_notification(id: i32) -> Result<String, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::notifications::mark_read(&ctx, info.actor.as_ref(), id).await {
        Ok(n) => Ok(ssr::continue_to(&n.link)),
        Err(e) => Err(ssr::fail(e, "/notifications", &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "read_all_notifications")]
pub async fn read_all_notifications() -> Result<u64, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::notifications::mark_all_read(&ctx, info.actor.as_ref()).await {
        Ok(n) => {
            ssr::continue_to("/notifications");
            Ok(n)
        }
        Err(e) => Err(ssr::fail(e, "/notifications", &[])),
    }
}
