//! The `nuri` server: configuration, the HTTP router (pages, server functions, REST, static
//! files), sessions, and the CLI commands.

pub mod actor;
pub mod api;
pub mod assets;
pub mod cli;
pub mod config;
pub mod hosting_config;
pub mod limits;
pub mod metrics;
pub mod problem;
pub mod proxy;
pub mod router;
pub mod security;
pub mod session_store;
pub mod state;
pub mod telemetry;
pub mod web;
pub mod workspace_routes;
