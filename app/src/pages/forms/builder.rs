use entity::form_view::Audience;
use entity::FormKind;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::forms::{form_audience, take_form_draft, CreateForm, FormDraft, QuestionDraft};
use crate::components::form::{FormAlert, Submit};
use crate::components::layout::{Layout, RequireUser};
use crate::error::AppError;
use crate::form_state::{kept_error, running_in_browser};
use crate::i18n::use_i18n;

use super::kind_key;
use super::recipients::{Chosen, Recipients};
use crate::pages::forms::tr;

/// A builder row: a stable key (so rows keep their signals when moved) and its fields.
type Row = (u32, RwSignal<QuestionDraft>);

/// Whoever may build forms (mentors and admins): build a form and send it. The question buttons
/// work in the page with JavaScript, and without it as posts that bring the revised draft back;
/// the form itself posts to the `create_form` server function either way.
#[component]
pub fn FormBuilderPage() -> impl IntoView {
    let i = use_i18n();
    let create = ServerAction::<CreateForm>::new();
    let audience = Resource::new_blocking(|| (), |_| form_audience());
    let kept = Resource::new_blocking(|| (), |_| take_form_draft());
    view! {
        <Title text=tr(i, "forms.new") />
        <RequireUser let:user>
            <Layout user=user.clone()>
                <h1>{tr(i, "forms.new")}</h1>
                // The service says whom the caller may send a form to, and refuses whoever may not
                // build one: the builder shows only with an audience.
                <Suspense fallback=move || view! { <p class="loading">{tr(i, "common.loading")}</p> }>
                    {move || Suspend::new(async move {
                        let kept = kept.await.ok().flatten();
                        let audience = match audience.await {
                            Ok(audience) => audience,
                            Err(e) => return view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                        };
                        let (draft, kept_err) = match kept {
                            Some(k) => (k.draft, k.error),
                            None => (FormDraft::blank(), None),
                        };
                        view! { <Builder create audience draft kept_err /> }.into_any()
                    })}
                </Suspense>
            </Layout>
        </RequireUser>
    }
}

#[component]
fn Builder(
    create: ServerAction<CreateForm>,
    audience: Audience,
    draft: FormDraft,
    kept_err: Option<AppError>,
) -> impl IntoView {
    let i = use_i18n();
    let error = kept_error(create.value(), kept_err);
    let mut questions = draft.questions;
    if questions.is_empty() {
        questions.push(QuestionDraft::blank());
    }
    let next_key = StoredValue::new(questions.len() as u32);
    let rows: RwSignal<Vec<Row>> = RwSignal::new(
        questions
            .into_iter()
            .enumerate()
            .map(|(k, q)| (k as u32, RwSignal::new(q)))
            .collect(),
    );
    let add = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|r| r.push((key, RwSignal::new(QuestionDraft::blank()))));
    };
    let chosen = Chosen {
        people: draft.recipient_ids,
        departments: draft.department_ids,
        mentorship: draft.mentorship_id,
    };
    view! {
        <ActionForm action=create attr:class="stack form-builder" attr:novalidate=true>
            // Enter in a field sends the form: the first submit button is the default one, and the
            // question buttons below are submit buttons too (for browsers without JavaScript).
            <button type="submit" class="visually-hidden" tabindex="-1" aria-hidden="true"></button>
            <FormAlert error />
            <section class="card stack">
                <TextField label=tr(i, "forms.field.title") name="draft[title]" field="title" value=draft.title error />
                <div class="field" class:invalid=move || has_error(error, "description")>
                    <label for="field-description">{tr(i, "forms.field.description")}</label>
                    <textarea id="field-description" name="draft[description]" rows="3">{draft.description}</textarea>
                    <FieldMessage error field="description" />
                </div>
            </section>
            <section class="card stack" id="questions">
                <h2>{tr(i, "forms.questions")}</h2>
                <FieldMessage error field="questions" />
                <ol class="question-list">
                    {move || {
                        let all = rows.get();
                        let count = all.len();
                        all.into_iter()
                            .enumerate()
                            .map(|(index, (key, draft))| view! {
                                <QuestionEditor index count row_key=key draft rows error />
                            })
                            .collect_view()
                    }}
                </ol>
                <p>
                    <button type="submit" name="revise" value="add" formnovalidate class="btn ghost" on:click=add>
                        {tr(i, "forms.add_question")}
                    </button>
                </p>
            </section>
            <section class="card stack">
                <h2>{tr(i, "forms.recipients")}</h2>
                <Recipients audience chosen error />
            </section>
            <p>
                <Submit label=tr(i, "forms.send") pending_label=tr(i, "common.saving") pending=create.pending().into() />
            </p>
        </ActionForm>
    }
}

fn has_error(error: Signal<Option<AppError>>, field: &str) -> bool {
    error.get().is_some_and(|e| e.field(field).is_some())
}

/// The message for one field, in the reader's language.
#[component]
pub fn FieldMessage(error: Signal<Option<AppError>>, #[prop(into)] field: String) -> impl IntoView {
    let i = use_i18n();
    let id = format!("error-{}", field.replace(['[', ']', '.'], "-"));
    move || {
        error
            .get()
            .and_then(|e| e.field(&field).map(|f| i.field_error(&f.code, &f.message)))
            .map(|m| view! { <p class="field-error" id=id.clone()>{m}</p> })
    }
}

#[component]
fn TextField(
    label: &'static str,
    name: &'static str,
    field: &'static str,
    value: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("field-{field}");
    view! {
        <div class="field" class:invalid=move || has_error(error, field)>
            <label for=id.clone()>{label}</label>
            <input id=id type="text" name=name value=value
                aria-invalid=move || has_error(error, field).then_some("true") />
            <FieldMessage error field=field />
        </div>
    }
}

#[component]
fn QuestionEditor(
    index: usize,
    count: usize,
    row_key: u32,
    draft: RwSignal<QuestionDraft>,
    rows: RwSignal<Vec<Row>>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i = use_i18n();
    let name = move |part: &str| format!("draft[questions][{index}][{part}]");
    let field = move |part: &str| format!("questions[{index}].{part}");
    let id = move |part: &str| format!("q{row_key}-{part}");
    // Each button is also a submit button naming its revision, for browsers without JavaScript.
    let move_by = move |ev: leptos::ev::MouseEvent, delta: isize| {
        ev.prevent_default();
        rows.update(|r| {
            let to = index as isize + delta;
            if to >= 0 && (to as usize) < r.len() {
                r.swap(index, to as usize);
            }
        })
    };
    let remove = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        rows.update(|r| {
            if r.len() > 1 {
                r.retain(|(k, _)| *k != row_key)
            }
        })
    };
    // What the server renders (a revised or refused draft without JavaScript); the properties
    // then follow the signal.
    let initial = draft.get_untracked();
    let live = running_in_browser();
    let choice = Memo::new(move |_| draft.get().kind.parse().is_ok_and(FormKind::has_options));
    let number = format!("{} {}", tr(i, "forms.question"), index + 1);
    view! {
        <li class="question-editor">
            <fieldset class="stack">
                <legend>{number}</legend>
                <div class="field">
                    <label for=id("kind")>{tr(i, "forms.field.kind")}</label>
                    <select id=id("kind") name=name("kind")
                        on:change=move |ev| draft.update(|d| d.kind = event_target_value(&ev))>
                        {FormKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected={move || draft.get().kind == k.as_str()}>{tr(i, kind_key(k))}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage error field=field("kind") />
                </div>
                <div class="field" class:invalid=move || has_error(error, &field("label"))>
                    <label for=id("label")>{tr(i, "forms.field.label")}</label>
                    <input id=id("label") type="text" name=name("label")
                        value=initial.label.clone() prop:value=move || draft.get().label
                        on:input=move |ev| draft.update(|d| d.label = event_target_value(&ev)) />
                    <FieldMessage error field=field("label") />
                </div>
                <label class="check">
                    <input type="checkbox" name=name("required") value="true"
                        checked=initial.required prop:checked=move || draft.get().required
                        on:change=move |ev| draft.update(|d| d.required = event_target_checked(&ev)) />
                    " "{tr(i, "forms.field.required")}
                </label>
                // Without JavaScript every question offers options (the kind may change before
                // the post); in the page only choice questions do, and hidden ones are not sent.
                <div class="field" class:invalid=move || has_error(error, &field("options"))
                    hidden=move || live.get() && !choice.get()>
                    <label for=id("options")>{tr(i, "forms.field.options")}</label>
                    <textarea id=id("options") name=name("options") rows="4"
                        disabled=move || live.get() && !choice.get()
                        prop:value=move || draft.get().options
                        on:input=move |ev| draft.update(|d| d.options = event_target_value(&ev))>
                        {initial.options.clone()}
                    </textarea>
                    <p class="hint">{tr(i, "forms.options_hint")}</p>
                    <FieldMessage error field=field("options") />
                </div>
                <div class="row-actions">
                    <button type="submit" name="revise" value=format!("up:{index}") formnovalidate class="btn ghost small"
                        disabled={index == 0} on:click=move |ev| move_by(ev, -1)>
                        {tr(i, "forms.move_up")}
                    </button>
                    <button type="submit" name="revise" value=format!("down:{index}") formnovalidate class="btn ghost small"
                        disabled={index + 1 == count} on:click=move |ev| move_by(ev, 1)>
                        {tr(i, "forms.move_down")}
                    </button>
                    <button type="submit" name="revise" value=format!("remove:{index}") formnovalidate class="btn quiet-danger small"
                        disabled={count == 1} on:click=remove>
                        {tr(i, "forms.remove_question")}
                    </button>
                </div>
            </fieldset>
        </li>
    }
}
