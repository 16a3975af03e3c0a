#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What a form question asks for; decides how it is shown and which answers are valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(EnumIter, DeriveActiveEnum),
    sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "short_text"))]
    ShortText,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "long_text"))]
    LongText,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "single_choice"))]
    SingleChoice,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "multiple_choice"))]
    MultipleChoice,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "number"))]
    Number,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "date"))]
    Date,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "rating"))]
    Rating,
}

impl FormKind {
    pub const ALL: [FormKind; 7] = [
        FormKind::ShortText,
        FormKind::LongText,
        FormKind::SingleChoice,
        FormKind::MultipleChoice,
        FormKind::Number,
        FormKind::Date,
        FormKind::Rating,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FormKind::ShortText => "short_text",
            FormKind::LongText => "long_text",
            FormKind::SingleChoice => "single_choice",
            FormKind::MultipleChoice => "multiple_choice",
            FormKind::Number => "number",
            FormKind::Date => "date",
            FormKind::Rating => "rating",
        }
    }

    /// Choice questions carry a list of options; the others must not.
    pub fn has_options(self) -> bool {
        matches!(self, FormKind::SingleChoice | FormKind::MultipleChoice)
    }
}

crate::named::named_values!(FormKind, "invalid_kind");
