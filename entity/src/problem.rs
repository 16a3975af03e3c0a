//! The error vocabulary shared by the server and the client: what kind of failure it was, and which
//! field it concerns. The server maps a kind to an HTTP status in exactly one place (`status`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    NotFound,
    Unauthenticated,
    Forbidden,
    Invalid,
    Conflict,
    /// More than may be stored (a quota).
    TooLarge,
    RateLimited,
    Unavailable,
    Internal,
}

impl ErrorKind {
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::NotFound => 404,
            ErrorKind::Unauthenticated => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::Invalid => 422,
            ErrorKind::Conflict => 409,
            ErrorKind::TooLarge => 413,
            ErrorKind::RateLimited => 429,
            ErrorKind::Unavailable => 503,
            ErrorKind::Internal => 500,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "Not found",
            ErrorKind::Unauthenticated => "Authentication required",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::Invalid => "Invalid input",
            ErrorKind::Conflict => "Conflict",
            ErrorKind::TooLarge => "Content too large",
            ErrorKind::RateLimited => "Too many requests",
            ErrorKind::Unavailable => "Service unavailable",
            ErrorKind::Internal => "Internal error",
        }
    }

    /// The stable, machine-readable name used as the problem `type` suffix.
    pub fn slug(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not-found",
            ErrorKind::Unauthenticated => "unauthenticated",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::Invalid => "invalid",
            ErrorKind::Conflict => "conflict",
            ErrorKind::TooLarge => "too-large",
            ErrorKind::RateLimited => "rate-limited",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        }
    }
}

/// A problem with one input field. `code` is stable (the UI translates it); `message` is English
/// for API users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}
