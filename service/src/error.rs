use entity::{ErrorKind, FieldError};
use sea_orm::{DbErr, SqlErr};

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// Everything a service call can fail with. Callers match on the kind; the HTTP status and the
/// UI message come from `kind()` in one place each.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ServiceError {
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// `code`: sign_in_required, invalid_credentials, token_invalid, token_expired, token_revoked.
    #[error("{message}")]
    Unauthenticated {
        code: &'static str,
        message: &'static str,
    },
    #[error("you are not allowed to do that")]
    Forbidden,
    /// The account's password was reset: until it is changed, only the errands of
    /// `auth::gate` are allowed (code `password_change_required`).
    #[error("change your password before doing anything else")]
    PasswordChangeRequired,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("{}", .0.message)]
    Conflict(FieldError),
    /// Storing this would take the owner past their quota (code `quota_exceeded`, on `field`).
    #[error("{}", .0.message)]
    QuotaExceeded(FieldError),
    #[error("too many attempts; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
    /// More work of one kind (password hashing) than the server takes at once: try again shortly.
    #[error("the server is busy; try again in {retry_after_secs} s")]
    Busy { retry_after_secs: u64 },
    /// The detail is logged, never shown to the client.
    #[error("internal error")]
    Internal(String),
}

impl ServiceError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            ServiceError::NotFound { .. } => ErrorKind::NotFound,
            ServiceError::Unauthenticated { .. } => ErrorKind::Unauthenticated,
            ServiceError::Forbidden | ServiceError::PasswordChangeRequired => ErrorKind::Forbidden,
            ServiceError::Invalid(_) => ErrorKind::Invalid,
            ServiceError::Conflict(_) => ErrorKind::Conflict,
            ServiceError::QuotaExceeded(_) => ErrorKind::TooLarge,
            ServiceError::RateLimited { .. } => ErrorKind::RateLimited,
            ServiceError::Unavailable(_) | ServiceError::Busy { .. } => ErrorKind::Unavailable,
            ServiceError::Internal(_) => ErrorKind::Internal,
        }
    }

    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            ServiceError::Invalid(f) => f.clone(),
            ServiceError::Conflict(f) | ServiceError::QuotaExceeded(f) => vec![f.clone()],
            _ => Vec::new(),
        }
    }

    /// When to try again, for the errors that say (a `Retry-After` header, a countdown in the UI).
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            ServiceError::RateLimited { retry_after_secs }
            | ServiceError::Busy { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// A stable code for the whole error (the UI translates it).
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Unauthenticated { code, .. } => code,
            ServiceError::PasswordChangeRequired => "password_change_required",
            ServiceError::QuotaExceeded(_) => "quota_exceeded",
            other => other.kind().slug(),
        }
    }

    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> Self {
        ServiceError::Invalid(vec![FieldError::new(field, code, message)])
    }

    pub fn sign_in_required() -> Self {
        ServiceError::Unauthenticated {
            code: "sign_in_required",
            message: "sign in first",
        }
    }

    pub fn invalid_credentials() -> Self {
        ServiceError::Unauthenticated {
            code: "invalid_credentials",
            message: "email or password is incorrect",
        }
    }
}

impl From<FieldError> for ServiceError {
    fn from(err: FieldError) -> Self {
        ServiceError::Invalid(vec![err])
    }
}

/// Reads a named value (a role, a status, a question kind) for `field`, ignoring surrounding
/// space. Every door, the CLI and the import read them here, so a wrong one fails the same way
/// everywhere.
pub fn parse<T>(field: &str, raw: &str) -> std::result::Result<T, FieldError>
where
    T: std::str::FromStr<Err = entity::InvalidValue>,
{
    raw.trim()
        .parse()
        .map_err(|e: entity::InvalidValue| FieldError::new(field, e.code, e.to_string()))
}

impl From<DbErr> for ServiceError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                ServiceError::Conflict(FieldError::new("", "conflict", "that already exists"))
            }
            _ => {
                tracing::error!(error = %err, "database error");
                match err {
                    DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
                        ServiceError::Unavailable("the database is not reachable".into())
                    }
                    other => ServiceError::Internal(other.to_string()),
                }
            }
        }
    }
}

/// One input field read into its type, or everything wrong with it.
pub type Checked<T> = std::result::Result<T, Vec<FieldError>>;

/// Several fields read at once (a tuple of `Checked`): all their values, or every problem of every
/// field, so a form reports them together and no caller has to unwrap a value it validated.
pub trait AllValid {
    type Values;
    fn all_valid(self) -> Result<Self::Values>;
}

macro_rules! all_valid {
    ($($field:ident),+) => {
        impl<$($field),+> AllValid for ($(Checked<$field>,)+) {
            type Values = ($($field,)+);

            #[allow(non_snake_case)]
            fn all_valid(self) -> Result<Self::Values> {
                match self {
                    ($(Ok($field),)+) => Ok(($($field,)+)),
                    ($($field,)+) => {
                        let mut problems = Vec::new();
                        $(problems.extend($field.err().unwrap_or_default());)+
                        Err(ServiceError::Invalid(problems))
                    }
                }
            }
        }
    };
}
all_valid!(A, B);
all_valid!(A, B, C, D);

/// Collects field errors so a form reports every problem at once, not the first only.
#[derive(Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    /// Text that may span lines (descriptions, memos, comments); see [`text_problem`].
    pub fn text(&mut self, field: &str, value: &str, required: bool, max: usize) {
        if let Some((code, message)) = text_problem(value, required, max, true) {
            self.add(field, code, message);
        }
    }

    /// One line of text (names, titles, labels); see [`text_problem`].
    pub fn line(&mut self, field: &str, value: &str, required: bool, max: usize) {
        if let Some((code, message)) = text_problem(value, required, max, false) {
            self.add(field, code, message);
        }
    }

    pub fn push(&mut self, problem: FieldError) {
        self.0.push(problem);
    }

    pub fn extend(&mut self, more: Vec<FieldError>) {
        self.0.extend(more);
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }

    /// `value` if nothing was found wrong.
    pub fn into_checked<T>(self, value: T) -> Checked<T> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }

    pub fn into_result(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Invalid(self.0))
        }
    }
}

/// The rule for every piece of text a person types, as (code, message) when it is broken: empty
/// although `required`, over `max` characters, or holding control characters. PostgreSQL cannot
/// store NUL and the others garble what the next reader sees; line breaks and tabs are text only
/// where the field is `multiline`. Callers trim first where surrounding space means nothing.
pub fn text_problem(
    value: &str,
    required: bool,
    max: usize,
    multiline: bool,
) -> Option<(&'static str, String)> {
    if required && value.is_empty() {
        Some(("required", "this is required".to_owned()))
    } else if value.chars().count() > max {
        Some(("too_long", format!("use at most {max} characters")))
    } else if value
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        Some((
            "control_characters",
            "remove control characters (such as NUL or escape codes)".to_owned(),
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_valid_gives_every_value_or_every_problem() {
        let ok: Checked<i32> = Ok(1);
        let date: Checked<&str> = Ok("2026-12-01");
        assert_eq!((ok.clone(), date).all_valid().unwrap(), (1, "2026-12-01"));

        let bad = |field: &str| -> Checked<i32> { Err(vec![FieldError::new(field, "c", "m")]) };
        let err = (bad("a"), ok.clone(), bad("c"), bad("d"))
            .all_valid()
            .unwrap_err();
        let fields: Vec<String> = err.fields().into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["a", "c", "d"], "every problem, in field order");
    }

    #[test]
    fn named_values_fail_as_a_field_error() {
        assert_eq!(
            parse::<entity::Role>("role", " mentor "),
            Ok(entity::Role::Mentor)
        );
        let wrong = parse::<entity::Role>("role", "boss").unwrap_err();
        assert_eq!(
            (wrong.field.as_str(), wrong.code.as_str()),
            ("role", "invalid_role")
        );
    }

    #[test]
    fn text_refuses_control_characters_but_keeps_line_breaks_in_multiline_text() {
        assert_eq!(text_problem("Onboarding", true, 10, false), None);
        assert_eq!(text_problem("", true, 10, false).unwrap().0, "required");
        assert_eq!(text_problem("", false, 10, false), None);
        assert_eq!(
            text_problem("가나다라", false, 3, false).unwrap().0,
            "too_long"
        );
        assert_eq!(
            text_problem("가나다", false, 3, false),
            None,
            "characters, not bytes"
        );
        for bad in ["a\0b", "a\u{1b}[31mb", "a\u{7f}", "a\u{85}b"] {
            assert_eq!(
                text_problem(bad, false, 100, true).unwrap().0,
                "control_characters",
                "{bad:?}"
            );
        }
        assert_eq!(text_problem("one\r\ntwo\tthree", false, 100, true), None);
        assert_eq!(
            text_problem("one\ntwo", false, 100, false).unwrap().0,
            "control_characters"
        );
    }
}
