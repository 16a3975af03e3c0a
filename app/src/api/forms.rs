//! Server functions for the forms pages: list, read, build and send, answer, results, close.
//! The builder's draft and its no-JavaScript revisions are here too.

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
    #[serde(default)]
    pub department_ids: Vec<i32>,
    /// A mentorship id, or empty.
    #[serde(default)]
    pub mentorship_id: String,
}

impl FormDraft {
    /// A new form: one empty short-answer question.
    pub fn blank() -> Self {
        Self {
            questions: vec![QuestionDraft::blank()],
            ..Default::default()
        }
    }

    /// Applies a builder button pressed without JavaScript: `add`, or `remove:`, `up:` or `down:`
    /// and a question's index. Anything else, or a move past either end, changes nothing; a form
    /// keeps at least one question.
    pub fn revise(&mut self, op: &str) {
        let q = &mut self.questions;
        let (verb, at) = op.split_once(':').unwrap_or((op, ""));
        let at: Option<usize> = at.parse().ok().filter(|i| *i < q.len());
        match (verb, at) {
            ("add", _) => q.push(QuestionDraft::blank()),
            ("remove", Some(i)) if q.len() > 1 => {
                q.remove(i);
            }
            ("up", Some(i)) if i > 0 => q.swap(i, i - 1),
            ("down", Some(i)) if i + 1 < q.len() => q.swap(i, i + 1),
            _ => {}
        }
    }
}

impl QuestionDraft {
    pub fn blank() -> Self {
        Self {
            kind: "short_text".into(),
            ..Default::default()
        }
    }
}

/// The builder's draft as a no-JavaScript post left it: after a revision (no error), or after a
/// refused send (with the error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptDraft {
    pub draft: FormDraft,
    pub error: Option<AppError>,
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

/// The draft a no-JavaScript post left for the builder, once.
#[server(prefix = "/api/fn", endpoint = "take_form_draft")]
pub async fn take_form_draft() -> Result<Option<KeptDraft>, AppError> {
    super::ssr::take_flash(super::ssr::DRAFT_FLASH).await
}

/// Sends the form; or, for a builder button pressed without JavaScript (`revise`), changes the
/// draft and brings it back to the builder. A refused send without JavaScript brings the whole
/// draft back too (in the session, not the URL).
#[server(prefix = "/api/fn", endpoint = "create_form")]
pub async fn create_form(
    draft: FormDraft,
    revise: Option<String>,
) -> Result<Option<FormView>, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    if let Some(op) = revise.filter(|op| !op.is_empty()) {
        let mut draft = draft;
        draft.revise(&op);
        ssr::put_flash(ssr::DRAFT_FLASH, KeptDraft { draft, error: None }).await?;
        leptos_axum::redirect("/forms/new#questions");
        return Ok(None);
    }
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
        department_ids: draft.department_ids.clone(),
        mentorship_id: draft.mentorship_id.trim().parse().ok(),
    };
    match service::forms::create(&ctx, info.actor.as_ref(), input).await {
        Ok(created) => {
            leptos_axum::redirect(&format!("/forms/{}?done=created", created.form.id));
            Ok(Some(created))
        }
        Err(e) if ssr::is_plain_form_post() => {
            let error = AppError::from(e);
            let kept = KeptDraft {
                draft,
                error: Some(error.clone()),
            };
            ssr::put_flash(ssr::DRAFT_FLASH, kept).await?;
            leptos_axum::redirect("/forms/new");
            Err(error)
        }
        Err(e) => Err(ssr::fail(e, "/forms/new", &[])),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn labelled(labels: &[&str]) -> FormDraft {
        FormDraft {
            questions: labels
                .iter()
                .map(|l| QuestionDraft {
                    label: (*l).into(),
                    ..QuestionDraft::blank()
                })
                .collect(),
            ..Default::default()
        }
    }

    fn labels(d: &FormDraft) -> Vec<&str> {
        d.questions.iter().map(|q| q.label.as_str()).collect()
    }

    #[test]
    fn revisions_add_remove_and_move_questions_within_bounds() {
        let mut d = labelled(&["a", "b", "c"]);
        d.revise("up:2");
        assert_eq!(labels(&d), ["a", "c", "b"]);
        d.revise("down:0");
        assert_eq!(labels(&d), ["c", "a", "b"]);
        d.revise("remove:1");
        assert_eq!(labels(&d), ["c", "b"]);
        d.revise("add");
        assert_eq!(labels(&d), ["c", "b", ""]);
        assert_eq!(d.questions[2].kind, "short_text");
        // Past either end, unknown or out of range: nothing changes.
        for op in ["up:0", "down:2", "remove:9", "up:x", "sideways:1", ""] {
            d.revise(op);
            assert_eq!(labels(&d), ["c", "b", ""], "{op}");
        }
        let mut one = labelled(&["only"]);
        one.revise("remove:0");
        assert_eq!(labels(&one), ["only"], "a form keeps one question");
    }
}
