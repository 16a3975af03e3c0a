//! Form state that survives a page load: without JavaScript a failed form post comes back as a
//! redirect whose query carries the error (`e`) and the values the person typed.

use base64::Engine;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::error::AppError;

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
    serde_json::from_slice(&bytes).ok()
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
    let from_query = error_from_query();
    Signal::derive(move || match value.get() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => from_query.clone(),
    })
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
