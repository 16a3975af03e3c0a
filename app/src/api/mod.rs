//! Server functions: the browser's door into `service`. Each one resolves the caller from the
//! request context, calls one service function and maps the result; no rule lives here.

pub mod auth;
pub mod forms;
pub mod import;
pub mod org;
pub mod users;

#[cfg(feature = "ssr")]
pub mod ssr;
