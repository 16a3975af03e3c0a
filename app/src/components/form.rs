//! Form pieces that show errors where they belong: per field, and above the form for the rest.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::use_i18n;

#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let i = use_i18n();
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let message = move || {
        error
            .get()
            .and_then(|e| e.field(name).map(|f| i.field_error(&f.code, &f.message)))
    };
    let described = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || match (hint.is_some(), message().is_some()) {
            (true, true) => Some(format!("{hint_id} {error_id}")),
            (true, false) => Some(hint_id.clone()),
            (false, true) => Some(error_id.clone()),
            (false, false) => None,
        }
    };
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=kind
                name=name
                autocomplete=autocomplete
                value=value
                required=required
                aria-invalid=move || message().map(|_| "true")
                aria-describedby=described
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {move || message().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

/// The form-level message: errors that belong to no single field.
#[component]
pub fn FormAlert(error: Signal<Option<AppError>>) -> impl IntoView {
    let i = use_i18n();
    move || {
        error.get().filter(|e| e.is_form_level()).map(|e| {
            view! {
                <div class="alert error" role="alert">
                    {i.error(&e)}
                </div>
            }
        })
    }
}

/// A submit button that says it is working while its action runs.
#[component]
pub fn Submit(
    label: &'static str,
    pending_label: &'static str,
    pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button type="submit" class="btn primary" disabled=move || pending.get() aria-busy=move || pending.get().then_some("true")>
            {move || if pending.get() { pending_label } else { label }}
        </button>
    }
}
