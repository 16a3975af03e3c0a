use entity::form_view::{FormView, QuestionView};
use entity::FormKind;
use leptos::prelude::*;
use serde_json::Value;

use crate::api::forms::SubmitAnswers;
use crate::components::form::{FormAlert, Submit};
use crate::error::AppError;
use crate::form_state::{error_from_query, form_error, kept};
use crate::i18n::use_i18n;

use super::builder::FieldMessage;
use crate::pages::forms::tr;

/// What to show in question `index`: what was typed before a failed post, else the saved answer.
fn prefill(index: usize, saved: Option<&Value>) -> Vec<String> {
    if error_from_query().is_some() {
        let typed = kept(&format!("q{index}"));
        return typed.lines().map(str::to_owned).collect();
    }
    match saved {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(Value::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// The recipient's form: one field per question named `q0`, `q1`, … (checkboxes `q2[]`),
/// prefilled with their previous answer. A plain form post, so it works without JavaScript.
#[component]
pub fn AnswerForm(form: FormView, action: ServerAction<SubmitAnswers>) -> impl IntoView {
    let i = use_i18n();
    let error = form_error(action.value());
    let saved = form
        .my_response
        .as_ref()
        .map(|r| r.answers.clone())
        .unwrap_or_default();
    let answered = form.my_response.is_some();
    let closed = form.closed;
    let questions = form
        .questions
        .into_iter()
        .enumerate()
        .map(|(index, q)| {
            let values = prefill(index, saved.get(index));
            view! { <Question index q values error disabled=closed /> }
        })
        .collect_view();
    let label = tr(
        i,
        if answered {
            "forms.update_answers"
        } else {
            "forms.send_answers"
        },
    );
    view! {
        <section class="card stack">
            <h2>{tr(i, if answered { "forms.your_answers" } else { "forms.answer" })}</h2>
            {closed.then(|| view! { <p class="alert" role="status">{tr(i, "forms.closed_lead")}</p> })}
            <ActionForm action attr:class="stack answer-form" attr:novalidate=true>
                <FormAlert error />
                <FieldMessage error field="answers" />
                <input type="hidden" name="form_id" value=form.form.id.to_string() />
                {questions}
                {(!closed).then(|| view! {
                    <p><Submit label pending_label=tr(i, "common.saving") pending=action.pending().into() /></p>
                })}
            </ActionForm>
        </section>
    }
}

#[component]
fn Question(
    index: usize,
    q: QuestionView,
    values: Vec<String>,
    error: Signal<Option<AppError>>,
    disabled: bool,
) -> impl IntoView {
    let i = use_i18n();
    let name = format!("q{index}");
    let field = format!("answers[{index}]");
    let invalid = {
        let field = field.clone();
        move || error.get().is_some_and(|e| e.field(&field).is_some())
    };
    let first = values.first().cloned().unwrap_or_default();
    let legend = view! {
        <legend>
            {q.label.clone()}
            {q.required.then(|| view! { " "<span class="required" aria-label=tr(i, "forms.field.required")>"*"</span> })}
        </legend>
    };
    let choices = |kind: &'static str, input_name: String, options: Vec<String>| {
        options
            .into_iter()
            .map(|o| {
                let checked = values.contains(&o);
                view! {
                    <label class="check">
                        <input type=kind name=input_name.clone() value=o.clone() checked=checked disabled=disabled />
                        " "{o}
                    </label>
                }
            })
            .collect_view()
    };
    let input = match q.kind {
        FormKind::ShortText => view! {
            <input type="text" id=name.clone() name=name.clone() value=first aria-label=q.label.clone() maxlength="500" disabled=disabled />
        }.into_any(),
        FormKind::LongText => view! {
            <textarea id=name.clone() name=name.clone() rows="4" aria-label=q.label.clone() disabled=disabled>{first}</textarea>
        }.into_any(),
        FormKind::Number => view! {
            <input type="number" step="any" id=name.clone() name=name.clone() value=first aria-label=q.label.clone() disabled=disabled />
        }.into_any(),
        FormKind::Date => view! {
            <input type="date" id=name.clone() name=name.clone() value=first aria-label=q.label.clone() disabled=disabled />
        }.into_any(),
        FormKind::SingleChoice => view! { <div class="choices">{choices("radio", name.clone(), q.options.clone())}</div> }.into_any(),
        FormKind::MultipleChoice => view! { <div class="choices">{choices("checkbox", format!("{name}[]"), q.options.clone())}</div> }.into_any(),
        FormKind::Rating => view! {
            <div class="choices rating">{choices("radio", name.clone(), (1..=5).map(|n| n.to_string()).collect())}</div>
        }.into_any(),
    };
    view! {
        <fieldset class="field question" class:invalid=invalid>
            {legend}
            {input}
            <FieldMessage error field />
        </fieldset>
    }
}
