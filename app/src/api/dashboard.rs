//! Server function for the home page: the caller's dashboard, one view per role.

use entity::mentoring::Dashboard;
use leptos::prelude::*;

use crate::error::AppError;

#[server(prefix = "/api/fn", endpoint = "dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    let (ctx, info) = super::ssr::context()?;
    Ok(service::dashboard::for_caller(&ctx, info.actor.as_ref()).await?)
}
