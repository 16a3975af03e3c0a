//! Server functions for the forms pages: list, read, build and send, answer, results, close.

use std::collections::HashMap;

use entity::form_view::{Audience, FormResults, FormSummary, FormView};
use entity::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One question of the builder as the browser posts it: `options` one per line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionDraft {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub options: String,
}

/// The builder's fields (`draft[title]`, `draft[questions][0][kind]`, `draft[recipient_ids][]`…).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormDraft {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub questions: Vec<QuestionDraft>,
    #[serde(default)]
    pub recipient_ids: Vec<i32>,
    /// A mentorship id, or empty.
    #[serde(default)]
    pub mentorship_id: String,
}

/// One answer field of the answer page (`q0`, `q1`, …): text, or the boxes ticked (`q2[]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnswerField {
    One(String),
    Many(Vec<String>),
}

/// `to_answer`, `mine`, or empty for everything the caller may see.
#[server(prefix = "/api/fn", endpoint = "list_forms")]
pub async fn list_forms(filter: String) -> Result<Page<FormSummary>, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let query = service::forms::FormQuery {
        mine: filter == "mine",
        to_answer: filter == "to_answer",
        sort: None,
    };
    let page = entity::PageRequest::new(Some(1), Some(100));
    Ok(service::forms::list(&ctx, info.actor.as_ref(), query, page).await?)
}

#[server(prefix = "/api/fn", endpoint = "get_form")]
pub async fn get_form(id: i32) -> Result<FormView, AppError> {
    let (ctx, info) = super::ssr::context()?;
    service::forms::get(&ctx, info.actor.as_ref(), id)
        .await
        .map_err(super::ssr::read_failed)
}

#[server(prefix = "/api/fn", endpoint = "form_results")]
pub async fn results_of_form(id: i32) -> Result<FormResults, AppError> {
    let (ctx, info) = super::ssr::context()?;
    Ok(service::forms::results(&ctx, info.actor.as_ref(), id).await?)
}

/// Whom the caller may send forms to.
#[server(prefix = "/api/fn", endpoint = "form_audience")]
pub async fn form_audience() -> Result<Audience, AppError> {
    let (ctx, info) = super::ssr::context()?;
    Ok(service::forms::audience(&ctx, info.actor.as_ref()).await?)
}

#[server(prefix = "/api/fn", endpoint = "create_form")]
pub async fn create_form(draft: FormDraft) -> Result<FormView, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let input = service::forms::FormInput {
        title: draft.title.clone(),
        description: Some(draft.description.clone()),
        questions: draft
            .questions
            .iter()
            .map(|q| service::forms::QuestionInput {
                kind: q.kind.clone(),
                label: q.label.clone(),
                required: q.required,
                options: Some(
                    q.options
                        .lines()
                        .map(str::trim)
                        .filter(|o| !o.is_empty())
                        .map(str::to_owned)
                        .collect(),
                ),
            })
            .collect(),
        recipient_ids: draft.recipient_ids.clone(),
        mentorship_id: draft.mentorship_id.trim().parse().ok(),
    };
    match service::forms::create(&ctx, info.actor.as_ref(), input).await {
        Ok(created) => {
            leptos_axum::redirect(&format!("/forms/{}?done=created", created.form.id));
            Ok(created)
        }
        Err(e) => Err(ssr::fail(
            e,
            "/forms/new",
            &[
                ("title", draft.title.as_str()),
                ("description", draft.description.as_str()),
            ],
        )),
    }
}

/// Answers a form; the fields are `q0`, `q1`, … in question order (checkboxes `q2[]`).
#[server(prefix = "/api/fn", endpoint = "submit_answers")]
pub async fn submit_answers(
    form_id: String,
    #[server(flatten)] fields: HashMap<String, AnswerField>,
) -> Result<(), AppError> {
    use super::ssr;
    use serde_json::Value;
    let (ctx, info) = ssr::context()?;
    let page = format!("/forms/{}", form_id.trim());
    let id: i32 = form_id
        .trim()
        .parse()
        .map_err(|_| AppError::from(service::ServiceError::NotFound { what: "form" }))?;
    let questions = service::forms::get(&ctx, info.actor.as_ref(), id)
        .await
        .map_err(|e| ssr::fail(e, &page, &[]))?
        .questions
        .len();
    let answers: Vec<Value> = (0..questions)
        .map(|i| match fields.get(&format!("q{i}")) {
            Some(AnswerField::One(s)) => Value::from(s.as_str()),
            Some(AnswerField::Many(v)) => Value::from(v.clone()),
            None => Value::Null,
        })
        .collect();
    match service::forms::submit(&ctx, info.actor.as_ref(), id, answers).await {
        Ok(_) => {
            leptos_axum::redirect(&format!("{page}?done=answered"));
            Ok(())
        }
        Err(e) => {
            // What was typed comes back with the error (ticked boxes one per line).
            let typed: Vec<(String, String)> = fields
                .iter()
                .map(|(k, v)| {
                    let text = match v {
                        AnswerField::One(s) => s.clone(),
                        AnswerField::Many(v) => v.join("\n"),
                    };
                    (k.clone(), text)
                })
                .collect();
            let keep: Vec<(&str, &str)> = typed
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            Err(ssr::fail(e, &page, &keep))
        }
    }
}

/// Closes (`closed = true`) or reopens a form.
#[server(prefix = "/api/fn", endpoint = "set_form_closed")]
pub async fn set_form_closed(id: i32, closed: bool) -> Result<FormView, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let patch = service::forms::FormPatch {
        closed: Some(closed),
        ..Default::default()
    };
    let page = format!("/forms/{id}");
    match service::forms::update(&ctx, info.actor.as_ref(), id, patch).await {
        Ok(updated) => {
            let done = if closed { "closed" } else { "reopened" };
            leptos_axum::redirect(&format!("{page}?done={done}"));
            Ok(updated)
        }
        Err(e) => Err(ssr::fail(e, &page, &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "delete_form")]
pub async fn delete_form(id: i32) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::forms::delete(&ctx, info.actor.as_ref(), id).await {
        Ok(()) => {
            leptos_axum::redirect("/forms?done=deleted");
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, &format!("/forms/{id}"), &[])),
    }
}
