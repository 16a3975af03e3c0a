use std::sync::Arc;

use leptos::config::LeptosOptions;
use service::Ctx;

use crate::config::Config;
use crate::metrics::Metrics;

/// Shared by every handler. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub ctx: Ctx,
    pub config: Arc<Config>,
    pub leptos: LeptosOptions,
    pub metrics: Arc<Metrics>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
