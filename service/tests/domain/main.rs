//! The service layer's integration tests in one binary (one link): every operation through the
//! real service functions, each test on every configured database backend.

mod auth;
mod board;
mod curricula;
mod forms;
mod hosting;
mod identity;
mod import;
mod list_totals;
mod mentoring;
mod org;
mod permissions;
mod seed;
mod users;
mod workspaces;
