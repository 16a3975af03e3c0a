//! `/api/v1/dashboard`: the caller's home page figures.

use axum::extract::State;
use service::dashboard::Dashboard;

use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson};
use crate::state::AppState;

/// The caller's dashboard: `role` says which of the three shapes it is.
#[utoipa::path(get, path = "/dashboard", tag = "mentoring", security(("bearer" = [])),
    responses((status = 200, body = Dashboard)))]
pub async fn get_dashboard(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
) -> Result<ApiJson<Dashboard>, ApiError> {
    Ok(ApiJson(
        service::dashboard::for_caller(&state.ctx, Some(&actor)).await?,
    ))
}
