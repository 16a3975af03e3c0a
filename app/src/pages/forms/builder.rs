use entity::form_view::Audience;
use entity::FormKind;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::forms::{form_audience, CreateForm, QuestionDraft};
use crate::components::form::{FormAlert, Submit};
use crate::components::layout::{Layout, RequireUser};
use crate::error::AppError;
use crate::form_state::{form_error, kept};
use crate::i18n::use_i18n;

use super::kind_key;

/// A builder row: a stable key (so rows keep their signals when moved) and its fields.
type Row = (u32, RwSignal<QuestionDraft>);

fn blank() -> QuestionDraft {
    QuestionDraft {
        kind: "short_text".into(),
        ..Default::default()
    }
}

/// Whoever may build forms (mentors and admins): build a form and send it. Adding, removing and
/// moving questions needs JavaScript; the form itself posts to the `create_form` server function
/// either way.
#[component]
pub fn FormBuilderPage() -> impl IntoView {
    let i = use_i18n();
    let create = ServerAction::<CreateForm>::new();
    let error = form_error(create.value());
    let audience = Resource::new_blocking(|| (), |_| form_audience());
    let rows: RwSignal<Vec<Row>> = RwSignal::new(vec![(0, RwSignal::new(blank()))]);
    let next_key = StoredValue::new(1u32);
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|r| r.push((key, RwSignal::new(blank()))));
    };
    view! {
        <Title text=i.t("forms.new") />
        <RequireUser let:user>
            <Layout user=user.clone()>
                <h1>{i.t("forms.new")}</h1>
                // The service says whom the caller may send a form to, and refuses whoever may not
                // build one: the builder shows only with an audience.
                <Suspense fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                    {move || Suspend::new(async move {
                        let audience = match audience.await {
                            Ok(audience) => audience,
                            Err(e) => return view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                        };
                        view! {
                            <ActionForm action=create attr:class="stack form-builder" attr:novalidate=true>
                                <FormAlert error />
                                <section class="card stack">
                                    <TextField label=i.t("forms.field.title") name="draft[title]" field="title" value=kept("title") error />
                                    <div class="field" class:invalid=move || has_error(error, "description")>
                                        <label for="field-description">{i.t("forms.field.description")}</label>
                                        <textarea id="field-description" name="draft[description]" rows="3">{kept("description")}</textarea>
                                        <FieldMessage error field="description" />
                                    </div>
                                </section>
                                <section class="card stack">
                                    <h2>{i.t("forms.questions")}</h2>
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
                                    <p><button type="button" class="btn ghost" on:click=add>{i.t("forms.add_question")}</button></p>
                                </section>
                                <section class="card stack">
                                    <h2>{i.t("forms.recipients")}</h2>
                                    <Recipients audience error />
                                </section>
                                <p>
                                    <Submit label=i.t("forms.send") pending_label=i.t("common.saving") pending=create.pending().into() />
                                </p>
                            </ActionForm>
                        }
                            .into_any()
                    })}
                </Suspense>
            </Layout>
        </RequireUser>
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
    let move_by = move |delta: isize| {
        rows.update(|r| {
            let to = index as isize + delta;
            if to >= 0 && (to as usize) < r.len() {
                r.swap(index, to as usize);
            }
        })
    };
    let remove = move |_| rows.update(|r| r.retain(|(k, _)| *k != row_key));
    let choice = Memo::new(move |_| draft.get().kind.parse().is_ok_and(FormKind::has_options));
    let number = format!("{} {}", i.t("forms.question"), index + 1);
    view! {
        <li class="question-editor">
            <fieldset class="stack">
                <legend>{number}</legend>
                <div class="field">
                    <label for=id("kind")>{i.t("forms.field.kind")}</label>
                    <select id=id("kind") name=name("kind")
                        on:change=move |ev| draft.update(|d| d.kind = event_target_value(&ev))>
                        {FormKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected={move || draft.get().kind == k.as_str()}>{i.t(kind_key(k))}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage error field=field("kind") />
                </div>
                <div class="field" class:invalid=move || has_error(error, &field("label"))>
                    <label for=id("label")>{i.t("forms.field.label")}</label>
                    <input id=id("label") type="text" name=name("label")
                        prop:value=move || draft.get().label
                        on:input=move |ev| draft.update(|d| d.label = event_target_value(&ev)) />
                    <FieldMessage error field=field("label") />
                </div>
                <label class="check">
                    <input type="checkbox" name=name("required") value="true"
                        prop:checked=move || draft.get().required
                        on:change=move |ev| draft.update(|d| d.required = event_target_checked(&ev)) />
                    " "{i.t("forms.field.required")}
                </label>
                {move || choice.get().then(|| view! {
                    <div class="field" class:invalid=move || has_error(error, &field("options"))>
                        <label for=id("options")>{i.t("forms.field.options")}</label>
                        <textarea id=id("options") name=name("options") rows="4"
                            prop:value=move || draft.get().options
                            on:input=move |ev| draft.update(|d| d.options = event_target_value(&ev))></textarea>
                        <p class="hint">{i.t("forms.options_hint")}</p>
                        <FieldMessage error field=field("options") />
                    </div>
                })}
                <div class="row-actions">
                    <button type="button" class="btn ghost small" disabled={index == 0} on:click=move |_| move_by(-1)>
                        {i.t("forms.move_up")}
                    </button>
                    <button type="button" class="btn ghost small" disabled={index + 1 == count} on:click=move |_| move_by(1)>
                        {i.t("forms.move_down")}
                    </button>
                    <button type="button" class="btn danger small" disabled={count == 1} on:click=remove>
                        {i.t("forms.remove_question")}
                    </button>
                </div>
            </fieldset>
        </li>
    }
}

#[component]
fn Recipients(audience: Audience, error: Signal<Option<AppError>>) -> impl IntoView {
    let i = use_i18n();
    let mentorships = (!audience.mentorships.is_empty()).then(|| {
        view! {
            <div class="field">
                <label for="field-mentorship">{i.t("forms.field.mentorship")}</label>
                <select id="field-mentorship" name="draft[mentorship_id]">
                    <option value="">{i.t("forms.no_mentorship")}</option>
                    {audience.mentorships.into_iter().map(|m| view! {
                        <option value=m.id.to_string()>{format!("{} → {}", m.mentor_name, m.mentee_name)}</option>
                    }).collect_view()}
                </select>
                <FieldMessage error field="mentorship_id" />
            </div>
        }
    });
    view! {
        <fieldset class="recipients" aria-describedby="error-recipient_ids">
            <legend>{i.t("forms.people")}</legend>
            <ul class="checklist">
                {audience.people.into_iter().map(|p| view! {
                    <li>
                        <label class="check">
                            <input type="checkbox" name="draft[recipient_ids][]" value=p.id.to_string() />
                            " "{p.name}" "<span class="muted small">{p.email}</span>
                        </label>
                    </li>
                }).collect_view()}
            </ul>
            <FieldMessage error field="recipient_ids" />
        </fieldset>
        {mentorships}
    }
}
