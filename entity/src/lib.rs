//! sea-orm entities and the small shared types that both the server and the WASM client use.
//!
//! Compiles for `wasm32-unknown-unknown`: the DB drivers sit behind the `ssr` feature.

pub mod company;
pub mod credential;
pub mod curriculum;
pub mod department;
pub mod form;
pub mod form_answer;
pub mod form_kind;
pub mod form_question;
pub mod form_recipient;
pub mod form_response;
pub mod form_view;
pub mod import;
pub mod login_throttle;
pub mod memo;
pub mod mentoring;
pub mod mentorship;
pub mod notification;
pub mod page;
pub mod problem;
pub mod refresh_token;
pub mod role;
pub mod session;
pub mod setting;
pub mod task;
pub mod task_event;
pub mod task_status;
pub mod task_template;
pub mod token_family;
pub mod user;

pub use form_kind::FormKind;
pub use page::{Page, PageRequest};
pub use problem::{ErrorKind, FieldError};
pub use role::Role;
pub use task_status::{MentorshipStatus, TaskStatus};
