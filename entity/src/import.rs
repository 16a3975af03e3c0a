//! The result of checking or importing a CSV file of people (shared with the browser).

use serde::{Deserialize, Serialize};

use crate::FieldError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportRow {
    /// Line in the file (the header is line 1).
    pub line: usize,
    pub email: String,
    pub name: String,
    pub role: String,
    pub department: String,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub rows: Vec<ImportRow>,
    /// True when every row can be imported.
    pub valid: bool,
    /// Filled by a real import: who was created, with the temporary password to hand over.
    pub created: Vec<CreatedPerson>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreatedPerson {
    pub id: i32,
    pub email: String,
    pub temporary_password: Option<String>,
}
