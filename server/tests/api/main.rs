//! nuri over HTTP, in one test binary (one link, one set of helpers): the real router over fresh
//! databases, the REST API, the browser's doors, and the `nuri` binary itself.

mod auth;
mod auth_cache;
mod binary;
mod common;
mod concurrent_writes;
mod curricula;
mod forms;
mod hosting;
mod identity;
mod jupyter;
mod limits;
mod mentoring;
mod openapi;
mod org;
mod sessions;
mod users;
mod web;
mod workspace_admin;
mod workspace_selection;
mod workspaces;
