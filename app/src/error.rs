//! The one error type the UI sees. Built from `service::ServiceError` on the server (`From`), sent
//! to the client as JSON, and shown next to the form fields it concerns.

use entity::{ErrorKind, FieldError};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppError {
    pub kind: ErrorKind,
    /// Stable code for the whole error; the UI translates it.
    pub code: String,
    /// English fallback text.
    pub message: String,
    pub fields: Vec<FieldError>,
    pub retry_after_secs: Option<u64>,
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

impl AppError {
    pub fn field(&self, name: &str) -> Option<&FieldError> {
        self.fields.iter().find(|f| f.field == name)
    }

    /// Errors not tied to a visible field are shown above the form.
    pub fn is_form_level(&self) -> bool {
        self.fields.is_empty() || self.fields.iter().any(|f| f.field.is_empty())
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let (kind, code) = match &value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => {
                (ErrorKind::Unavailable, "network")
            }
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => (ErrorKind::Invalid, "bad_request"),
            _ => (ErrorKind::Internal, "internal"),
        };
        AppError {
            kind,
            code: code.into(),
            message: value.to_string(),
            fields: Vec::new(),
            retry_after_secs: None,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<service::ServiceError> for AppError {
    fn from(err: service::ServiceError) -> Self {
        if let service::ServiceError::Internal(detail) = &err {
            tracing::error!(%detail, "internal error in a server function");
        }
        let retry_after_secs = err.retry_after_secs();
        AppError {
            kind: err.kind(),
            code: err.code().to_owned(),
            message: err.to_string(),
            fields: err.fields(),
            retry_after_secs,
        }
    }
}
