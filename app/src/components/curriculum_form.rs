//! The fields of the curriculum and task forms. One page holds several of these forms (edit the
//! curriculum, add a task, edit each task), so each form has a scope: field ids carry it, and an
//! error or the values kept by a no-JavaScript round trip reach only the form they came from
//! (the failed post puts the scope in the query as `form`).

use leptos::prelude::*;

use crate::error::AppError;
use crate::form_state::{error_from_query, kept};
use crate::i18n::use_i18n;

/// The error for the form `scope`: its action's latest result while `mine()` says the action last
/// ran for this form, else what a no-JS round trip brought back for it.
pub fn scoped_error<T, S>(
    value: S,
    scope: &str,
    mine: impl Fn() -> bool + Send + Sync + 'static,
) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    let from_query = (kept("form") == scope).then(error_from_query).flatten();
    Signal::derive(move || match value.get() {
        Some(Err(e)) if mine() => Some(e),
        Some(_) => None,
        None => from_query.clone(),
    })
}

/// What was typed into `name` of the form `scope` before a no-JS round trip, else `current`.
pub fn kept_in(scope: &str, name: &str, current: &str) -> String {
    if kept("form") == scope {
        kept(name)
    } else {
        current.to_owned()
    }
}

/// A labelled input or textarea with its hint and its error.
#[component]
pub fn ScopedField(
    /// Makes the id unique on the page.
    #[prop(into)]
    scope: String,
    label: &'static str,
    name: &'static str,
    error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] min: Option<i32>,
    #[prop(optional)] max: Option<i32>,
) -> impl IntoView {
    let i = use_i18n();
    let id = format!("{scope}-{name}");
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
        move || {
            let ids: Vec<&str> = [
                hint.map(|_| hint_id.as_str()),
                message().map(|_| error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || message().map(|_| "true");
    let control = if multiline {
        view! {
            <textarea
                id=id.clone()
                name=name
                rows="4"
                required=required
                aria-invalid=invalid
                aria-describedby=described
            >
                {value}
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                type=kind
                name=name
                autocomplete="off"
                value=value
                required=required
                min=min
                max=max
                aria-invalid=invalid
                aria-describedby=described
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id>{label}</label>
            {control}
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {move || message().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

/// The curriculum's own fields: title, Markdown description, template flag.
#[component]
pub fn CurriculumFields(
    scope: &'static str,
    error: Signal<Option<AppError>>,
    #[prop(optional, into)] title: String,
    #[prop(optional, into)] description: String,
    #[prop(optional)] is_template: bool,
) -> impl IntoView {
    let i = use_i18n();
    let template_id = format!("{scope}-is_template");
    let checked = kept_in(scope, "is_template", if is_template { "on" } else { "" }) == "on";
    view! {
        <ScopedField scope label=i.t("field.title") name="title" value=kept_in(scope, "title", &title) required=true error />
        <ScopedField
            scope
            label=i.t("field.description")
            name="description"
            value=kept_in(scope, "description", &description)
            multiline=true
            hint=i.t("field.markdown_hint")
            error
        />
        <div class="field checkbox">
            <input id=template_id.clone() type="checkbox" name="is_template" value="on" checked=checked />
            <label for=template_id>{i.t("field.is_template")}</label>
        </div>
    }
}

/// A task's fields: title, Markdown description, week (1–52) and expected days (1–365).
#[component]
pub fn TaskFields(
    #[prop(into)] scope: String,
    error: Signal<Option<AppError>>,
    #[prop(optional, into)] title: String,
    #[prop(optional, into)] description: String,
    week: i32,
    expected_days: i32,
) -> impl IntoView {
    let i = use_i18n();
    let s = scope.as_str();
    view! {
        <ScopedField scope=s label=i.t("field.title") name="title" value=kept_in(s, "title", &title) required=true error />
        <ScopedField
            scope=s
            label=i.t("field.description")
            name="description"
            value=kept_in(s, "description", &description)
            multiline=true
            hint=i.t("field.markdown_hint")
            error
        />
        <div class="field-row">
            <ScopedField
                scope=s
                label=i.t("field.week")
                name="week"
                kind="number"
                value=kept_in(s, "week", &week.to_string())
                hint=i.t("field.week_hint")
                min=1
                max=52
                required=true
                error
            />
            <ScopedField
                scope=s
                label=i.t("field.expected_days")
                name="expected_days"
                kind="number"
                value=kept_in(s, "expected_days", &expected_days.to_string())
                hint=i.t("field.expected_days_hint")
                min=1
                max=365
                required=true
                error
            />
        </div>
    }
}

/// Errors of the small row actions (move, delete, copy), whichever field they name.
#[component]
pub fn ActionAlert(error: Signal<Option<AppError>>) -> impl IntoView {
    let i = use_i18n();
    move || {
        error.get().map(|e| {
            view! { <p class="alert error" role="alert">{i.error(&e)}</p> }
        })
    }
}
