//! Forms (surveys): the list, the builder, and one form's page (answer it, or read its results).

pub mod answer;
pub mod builder;
pub mod detail;
pub mod list;
mod recipients;
pub mod results;

use entity::FormKind;

use crate::i18n::I18n;

/// The forms pages' text (their own table, then the shared ones).
pub(crate) fn tr(i: I18n, key: &'static str) -> &'static str {
    i.area(crate::i18n::forms::lookup, key)
}

/// The forms pages' counted text.
pub(crate) fn tr_count(i: I18n, key: &'static str, n: u64) -> String {
    i.area_count(crate::i18n::forms::lookup, key, n)
}

/// The i18n key naming a question kind.
pub fn kind_key(kind: FormKind) -> &'static str {
    match kind {
        FormKind::ShortText => "forms.kind.short_text",
        FormKind::LongText => "forms.kind.long_text",
        FormKind::SingleChoice => "forms.kind.single_choice",
        FormKind::MultipleChoice => "forms.kind.multiple_choice",
        FormKind::Number => "forms.kind.number",
        FormKind::Date => "forms.kind.date",
        FormKind::Rating => "forms.kind.rating",
    }
}

/// An answer as a person reads it: choices joined, numbers plain, nothing for no answer.
pub fn answer_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| i.to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}
