use axum::extract::State;
use serde::Serialize;
use service::health::HealthDetails;
use utoipa::ToSchema;

use super::openapi::Forbidden;
use crate::actor::MaybeActor;
use crate::problem::{ApiError, ApiJson, Problem, PROBLEM_JSON};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Liveness {
    pub status: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Version {
    pub name: &'static str,
    pub version: &'static str,
}

/// Liveness: the process answers. Touches nothing else.
#[utoipa::path(get, path = "/health", tag = "operations", responses((status = 200, body = Liveness)))]
pub async fn health() -> ApiJson<Liveness> {
    ApiJson(Liveness { status: "ok" })
}

/// Database round trip, disk space, version and uptime (admins).
#[utoipa::path(get, path = "/health/detailed", tag = "operations", security(("bearer" = [])),
    responses((status = 200, body = HealthDetails), Forbidden,
        (status = 503, description = "The database does not answer", body = Problem, content_type = PROBLEM_JSON)))]
pub async fn health_detailed(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
) -> Result<ApiJson<HealthDetails>, ApiError> {
    Ok(ApiJson(
        service::health::details(&state.ctx, actor.as_ref()).await?,
    ))
}

#[utoipa::path(get, path = "/version", tag = "operations", responses((status = 200, body = Version)))]
pub async fn version() -> ApiJson<Version> {
    ApiJson(Version {
        name: "nuri",
        version: service::health::VERSION,
    })
}
