//! Form state that survives a page load: without JavaScript a failed form post comes back as a
//! redirect whose query carries the error (`e`) and the values the person typed.

use base64::Engine;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::error::AppError;

/// What a refused plain form post left in the session for its page (`ssr::fail_privately`): the
/// error and what was typed, shown once.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KeptForm {
    pub page: String,
    pub error: AppError,
    pub values: Vec<(String, String)>,
}

impl KeptForm {
    pub fn value(&self, name: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// The error to show for a form whose failures come back privately: the action's latest result,
/// or the one `kept` brought.
pub fn kept_error<T, S>(value: S, kept: Option<AppError>) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || match value.get() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => kept.clone(),
    })
}

/// False while the server renders and while the client hydrates, true once the page runs in the
/// browser: for fallbacks that must show without JavaScript and controls that only work with it.
pub fn running_in_browser() -> ReadSignal<bool> {
    let (on, set) = signal(false);
    Effect::new(move |_| set.set(true));
    on
}

/// The URL a failed no-JS form post returns to.
pub fn error_url(page: &str, err: &AppError, keep: &[(&str, &str)]) -> String {
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(err).unwrap_or_default());
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("e", &encoded);
    for (k, v) in keep {
        if !v.is_empty() {
            query.append_pair(k, v);
        }
    }
    format!("{page}?{}", query.finish())
}

/// The error a no-JS round trip brought back, if any.
pub fn error_from_query() -> Option<AppError> {
    let raw = use_query_map().get_untracked().get("e")?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw.as_bytes())
        .ok()?;
    serde_json::from_slice(&bytes).ok().map(believed)
}

/// What a page may show of an error that came in a URL, which anyone can craft and send as a link:
/// its codes, never its words. Every message is dropped (the page shows its own text for the code),
/// a field code without text here becomes the generic `invalid`, and a field that is not a form
/// field's name is dropped, so a link cannot make a nuri page say the sender's sentence.
pub fn believed(mut err: AppError) -> AppError {
    err.message.clear();
    err.fields.retain(|f| is_field_name(&f.field));
    for f in &mut err.fields {
        if !crate::i18n::has_field_text(&f.code) {
            f.code = "invalid".into();
        }
        f.message.clear();
    }
    err
}

/// A form field (`email`, `draft[questions][0][label]`), an import line (`line 3`, `line 3: email`)
/// or the whole form (empty).
fn is_field_name(name: &str) -> bool {
    let plain = |s: &str| {
        s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '[' | ']' | '.'))
    };
    match name.strip_prefix("line ") {
        Some(rest) => {
            let (number, field) = rest.split_once(": ").unwrap_or((rest, ""));
            !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) && plain(field)
        }
        None => plain(name),
    }
}

/// A value the person typed before the round trip.
pub fn kept(name: &str) -> String {
    use_query_map()
        .get_untracked()
        .get(name)
        .unwrap_or_default()
}

/// The error to show for a form: the action's latest result, or what the URL brought back.
pub fn form_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    kept_error(value, error_from_query())
}

/// For actions that change who is signed in: when the server answers with a path, load it as a
/// whole new page.
pub fn reload_on_success<S>(value: S)
where
    S: Get<Value = Option<Result<String, AppError>>> + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(path)) = value.get() {
            let _ = window().location().set_href(&path);
        }
    });
}

/// The numeric `:id` of the current route; 0 (no record has it) when missing or not a number,
/// so the page shows its "not found" state.
pub fn route_id() -> Memo<i32> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use entity::{ErrorKind, FieldError};

    #[test]
    fn a_crafted_error_keeps_its_codes_and_loses_its_words() {
        let crafted = AppError {
            kind: ErrorKind::Invalid,
            code: "call_us".into(),
            message: "Your account is suspended, call 555-0100".into(),
            fields: vec![
                FieldError::new("email", "required", "Call 555-0100"),
                FieldError::new("password", "suspended_call_us", "Call 555-0100"),
                FieldError::new("Call 555-0100 now", "required", "x"),
                FieldError::new("line 3: email", "taken", "x"),
                FieldError::new("line three", "taken", "x"),
            ],
            retry_after_secs: None,
        };
        let shown = believed(crafted);
        assert!(shown.message.is_empty());
        let fields: Vec<_> = shown
            .fields
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_str(), f.message.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("email", "required", ""),
                ("password", "invalid", ""),
                ("line 3: email", "taken", ""),
            ]
        );
    }
}
