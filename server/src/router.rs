//! The whole HTTP surface in one place; `nuri serve` and the HTTP tests build it the same way.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{any, get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use service::Ctx;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::cookie::{Key, SameSite};
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::config::Config;
use crate::metrics::{self, Metrics};
use crate::session_store::DbSessionStore;
use crate::state::AppState;
use crate::{api, assets, limits, security, web, workspace_routes};

pub const SESSION_COOKIE: &str = "nuri_session";
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("nuri")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir(assets::pkg_dir(&config.site_root))
        .site_addr(config.listen)
        .build()
}

pub fn state(ctx: Ctx, config: Config) -> AppState {
    AppState {
        leptos: leptos_options(&config),
        ctx,
        config: Arc::new(config),
        metrics: Arc::new(Metrics::default()),
    }
}

/// Pages and JSON compressed on the fly. Hashed assets come precompressed from disk (a response
/// that already has a Content-Encoding is left alone); tiny bodies are not worth the CPU.
fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .br(true)
        .gzip(true)
        // Brotli's default (11) costs milliseconds per page; 4 compresses HTML nearly as well.
        .quality(CompressionLevel::Precise(4))
        .compress_when(DefaultPredicate::new().and(SizeAbove::new(1024)))
}

pub fn build(state: AppState) -> Router {
    layered(routes(), state)
}

fn routes() -> Router<AppState> {
    Router::new()
        .merge(api::router())
        .route(
            "/api/fn/{*name}",
            post(web::server_fn_handler).get(web::server_fn_handler),
        )
        .route("/preferences", post(web::set_preferences))
        .route("/jupyter/{id}", any(workspace_routes::jupyter))
        .route("/jupyter/{id}/{*rest}", any(workspace_routes::jupyter))
        .route(
            "/workspaces/{id}/upload",
            post(workspace_routes::upload_form),
        )
        .route("/metrics", get(metrics::metrics_handler))
        .fallback(web::page_or_file)
}

/// What every route shares (limits, sessions, security headers, metrics, tracing); public so a
/// test can put a route of its own under the same layers.
pub fn layered(routes: Router<AppState>, state: AppState) -> Router {
    // Leptos spawns render tasks through its executor; point it at tokio (a second call is a no-op).
    let _ = any_spawner::Executor::init_tokio();
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.ctx.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::days(14)))
        .with_signed(Key::from(&state.ctx.keys.session));

    let trace = TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
        let id = req
            .extensions()
            .get::<RequestId>()
            .and_then(|id| id.header_value().to_str().ok())
            .unwrap_or("-");
        tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
    })
    // One line per request at INFO (status, latency), inside the span that carries the id.
    .on_response(DefaultOnResponse::new().level(tracing::Level::INFO));

    routes
        // `limits::body` bounds every body but the streamed uploads (bounded by the quota).
        .layer(DefaultBodyLimit::disable())
        .layer(from_fn(limits::body))
        .layer(CatchPanicLayer::custom(limits::panic_response))
        .layer(compression())
        .layer(sessions)
        .layer(from_fn_with_state(state.clone(), security::same_origin))
        .layer(from_fn_with_state(state.clone(), security::headers))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}
