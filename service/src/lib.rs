//! nuri's domain logic. Every rule, permission check and side effect lives here once; the two
//! front doors (Leptos server functions and the REST API) only resolve the caller and call in.
//! Nothing here knows about HTTP or Leptos.

pub mod actor;
pub mod auth;
pub mod cache;
pub mod ctx;
pub mod curricula;
pub mod dashboard;
pub mod db;
pub mod error;
pub mod forms;
pub mod health;
pub mod hosting;
pub mod import;
pub mod jobs;
pub mod jupyter;
pub mod links;
pub mod lookup;
pub mod markdown;
pub mod mentorships;
pub mod notifications;
pub mod org;
pub mod policy;
pub mod secrets;
/// Demo and benchmark data (`nuri seed`).
pub mod seed;
pub mod setup;
pub mod sort;
pub mod ssh_keys;
pub mod tasks;
/// Fresh databases and a cast of people for tests (this crate's and the server's); compiled
/// only for tests, never into the binary.
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod users;
pub mod workspaces;

pub use actor::{Actor, AuthMethod};
pub use ctx::{Ctx, Registration, Settings, WorkspaceSettings};
pub use error::{Result, ServiceError};
