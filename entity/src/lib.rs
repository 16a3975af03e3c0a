//! sea-orm entities and the small shared types that both the server and the WASM client use.
//!
//! Without the `ssr` feature (the WASM client) the records are plain serde structs and enums:
//! sea-orm, its derives and the tables only the server reads (credentials, sessions, tokens,
//! throttling, settings) are left out, so none of the ORM lands in the browser's bundle.

pub mod account;
pub mod company;
#[cfg(feature = "ssr")]
pub mod credential;
pub mod curriculum;
pub mod curriculum_view;
pub mod department;
pub mod form;
pub mod form_answer;
pub mod form_kind;
pub mod form_question;
pub mod form_recipient;
pub mod form_response;
pub mod form_view;
pub mod hosting;
pub mod import;
pub mod job;
pub mod jupyter;
#[cfg(feature = "ssr")]
pub mod login_throttle;
pub mod memo;
pub mod mentoring;
pub mod mentorship;
pub mod named;
pub mod natural;
pub mod notebook_run;
pub mod notification;
pub mod page;
pub mod preview;
pub mod problem;
#[cfg(feature = "ssr")]
pub mod refresh_token;
pub mod role;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod setting;
pub mod ssh_key;
pub mod task;
pub mod task_event;
pub mod task_status;
pub mod task_template;
#[cfg(feature = "ssr")]
pub mod token_family;
pub mod user;
pub mod workspace;

pub use form_kind::FormKind;
pub use named::InvalidValue;
pub use page::{Page, PageRequest};
pub use problem::{ErrorKind, FieldError};
pub use role::Role;
pub use task_status::{MentorshipStatus, TaskStatus};
