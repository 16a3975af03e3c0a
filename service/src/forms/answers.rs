//! Answering a form: each answer checked against its question, then the person's one response
//! written (or replaced) in one transaction.

use std::collections::HashSet;

use chrono::Utc;
use entity::form_view::ResponseView;
use entity::{form_answer, form_question, form_response, FieldError, FormKind};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

use super::{options_of, questions_of, responses_of, visible};
use crate::error::{text_problem, Problems};
use crate::policy::{self, Action};
use crate::{Actor, Ctx, Result, ServiceError};

pub const SHORT_TEXT_MAX: usize = 500;
pub const LONG_TEXT_MAX: usize = 10_000;

/// An empty answer: null, blank text or no choice.
fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// A number, or text holding one (HTML forms send text).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

fn number_value(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Value::from(n as i64)
    } else {
        Value::from(n)
    }
}

/// The answer to `q` as stored, or why it is not acceptable (code, message).
fn check_one(
    q: &form_question::Model,
    v: &Value,
) -> std::result::Result<Value, (&'static str, String)> {
    let text = |max: usize, multiline: bool| match v {
        Value::String(s) => match text_problem(s.trim(), false, max, multiline) {
            Some(problem) => Err(problem),
            None => Ok(Value::String(s.trim().to_owned())),
        },
        _ => Err(("not_text", "answer with text".to_owned())),
    };
    match q.kind {
        FormKind::ShortText => text(SHORT_TEXT_MAX, false),
        FormKind::LongText => text(LONG_TEXT_MAX, true),
        FormKind::SingleChoice => {
            let options = options_of(q);
            match v {
                Value::String(s) if options.iter().any(|o| o == s.trim()) => {
                    Ok(Value::String(s.trim().to_owned()))
                }
                Value::String(s) => Err((
                    "not_an_option",
                    format!("“{}” is not one of the options", s.trim()),
                )),
                _ => Err(("not_text", "answer with one of the options".to_owned())),
            }
        }
        FormKind::MultipleChoice => {
            let options = options_of(q);
            let chosen: Vec<&str> = match v {
                Value::String(s) => vec![s.trim()],
                Value::Array(items) => {
                    let mut chosen = Vec::new();
                    for item in items {
                        match item {
                            Value::String(s) => chosen.push(s.trim()),
                            _ => {
                                return Err((
                                    "not_text",
                                    "answer with a list of options".to_owned(),
                                ))
                            }
                        }
                    }
                    chosen
                }
                _ => return Err(("not_text", "answer with a list of options".to_owned())),
            };
            if let Some(stray) = chosen.iter().find(|c| !options.iter().any(|o| o == *c)) {
                return Err((
                    "not_an_option",
                    format!("“{stray}” is not one of the options"),
                ));
            }
            let picked: HashSet<&str> = chosen.into_iter().collect();
            // Stored in the options' order, each once, so results and exports read the same.
            Ok(Value::from(
                options
                    .into_iter()
                    .filter(|o| picked.contains(o.as_str()))
                    .collect::<Vec<_>>(),
            ))
        }
        FormKind::Number => number(v)
            .map(number_value)
            .ok_or(("not_a_number", "answer with a number".to_owned())),
        FormKind::Rating => match number(v) {
            None => Err((
                "not_a_number",
                "answer with a number from 1 to 5".to_owned(),
            )),
            Some(n) if n.fract() != 0.0 || !(1.0..=5.0).contains(&n) => Err((
                "out_of_range",
                "a rating is a whole number from 1 to 5".to_owned(),
            )),
            Some(n) => Ok(Value::from(n as i64)),
        },
        FormKind::Date => match v {
            Value::String(s) => chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
                .map_err(|_| ("bad_date", "use a date like 2026-03-01".to_owned())),
            _ => Err(("bad_date", "use a date like 2026-03-01".to_owned())),
        },
    }
}

/// Every answer checked against its question (`answers[i]` names the i-th); blank optional
/// answers become `None`.
pub(crate) fn check_answers(
    questions: &[form_question::Model],
    answers: &[Value],
) -> Result<Vec<Option<Value>>> {
    if answers.len() != questions.len() {
        return Err(ServiceError::invalid(
            "answers",
            "answer_count",
            format!(
                "give one answer per question, in order ({} expected, {} given)",
                questions.len(),
                answers.len()
            ),
        ));
    }
    let mut problems = Problems::default();
    let mut checked = Vec::with_capacity(answers.len());
    for (i, (q, v)) in questions.iter().zip(answers).enumerate() {
        let field = format!("answers[{i}]");
        if is_blank(v) {
            if q.required {
                problems.add(&field, "required", "this question needs an answer");
            }
            checked.push(None);
            continue;
        }
        match check_one(q, v) {
            Ok(value) => checked.push(Some(value)),
            Err((code, message)) => {
                problems.add(&field, code, message);
                checked.push(None);
            }
        }
    }
    problems.into_result()?;
    Ok(checked)
}

/// Answers a form sent to the caller. A second answer replaces the first while the form is open;
/// the flag says whether this was the first (`true`) or a replacement.
pub async fn submit(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    answers: Vec<Value>,
) -> Result<(ResponseView, bool)> {
    let found = visible(ctx, actor, id).await?;
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let recipient = super::is_recipient(&ctx.db, id, me.id()).await?;
    policy::require(
        actor,
        Action::AnswerForm {
            company: found.company_id,
            recipient,
        },
    )?;
    if found.closed_at.is_some() {
        return Err(ServiceError::Conflict(FieldError::new(
            "",
            "form_closed",
            "this form is closed and takes no more answers",
        )));
    }
    let questions = questions_of(&ctx.db, id).await?;
    let checked = check_answers(&questions, &answers)?;

    let now = Utc::now();
    let txn = crate::db::begin(&ctx.db).await?;
    let existing = form_response::Entity::find()
        .filter(form_response::Column::FormId.eq(id))
        .filter(form_response::Column::UserId.eq(me.id()))
        .one(&txn)
        .await?;
    let first = existing.is_none();
    let response = match existing {
        Some(r) => {
            form_answer::Entity::delete_many()
                .filter(form_answer::Column::ResponseId.eq(r.id))
                .exec(&txn)
                .await?;
            let mut active: form_response::ActiveModel = r.into();
            active.updated_at = Set(now);
            active.update(&txn).await?
        }
        None => {
            form_response::ActiveModel {
                form_id: Set(id),
                user_id: Set(me.id()),
                submitted_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    let rows: Vec<form_answer::ActiveModel> = questions
        .iter()
        .zip(checked)
        .filter_map(|(q, v)| {
            v.map(|v| form_answer::ActiveModel {
                response_id: Set(response.id),
                question_id: Set(q.id),
                value: Set(v.to_string()),
                ..Default::default()
            })
        })
        .collect();
    if !rows.is_empty() {
        form_answer::Entity::insert_many(rows).exec(&txn).await?;
    }
    let mut view = responses_of(&txn, id, Some(me.id()), &questions).await?;
    txn.commit().await?;
    let view = view
        .pop()
        .ok_or_else(|| ServiceError::Internal("response vanished".into()))?;
    Ok((view, first))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(kind: FormKind, required: bool, options: &[&str]) -> form_question::Model {
        form_question::Model {
            id: 1,
            form_id: 1,
            position: 0,
            kind,
            label: "Q".into(),
            required,
            options: serde_json::to_string(options).unwrap(),
        }
    }

    #[test]
    fn each_kind_checks_its_answer() {
        let questions = [
            q(FormKind::ShortText, true, &[]),
            q(FormKind::SingleChoice, false, &["a", "b"]),
            q(FormKind::MultipleChoice, false, &["a", "b", "c"]),
            q(FormKind::Number, false, &[]),
            q(FormKind::Rating, false, &[]),
            q(FormKind::Date, false, &[]),
        ];
        let ok = check_answers(
            &questions,
            &[
                json!(" hi "),
                json!("b"),
                json!(["c", "a", "c"]),
                json!("4.5"),
                json!(3),
                json!("2026-03-01"),
            ],
        )
        .unwrap();
        assert_eq!(
            ok,
            [
                Some(json!("hi")),
                Some(json!("b")),
                Some(json!(["a", "c"])),
                Some(json!(4.5)),
                Some(json!(3)),
                Some(json!("2026-03-01"))
            ]
        );
        let err = check_answers(
            &questions,
            &[
                json!(""),
                json!("z"),
                json!(["a", "z"]),
                json!("many"),
                json!(6),
                json!("01/03/2026"),
            ],
        )
        .unwrap_err();
        let codes: Vec<(String, String)> = err
            .fields()
            .into_iter()
            .map(|f| (f.field, f.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("answers[0]".to_owned(), "required".to_owned()),
                ("answers[1]".to_owned(), "not_an_option".to_owned()),
                ("answers[2]".to_owned(), "not_an_option".to_owned()),
                ("answers[3]".to_owned(), "not_a_number".to_owned()),
                ("answers[4]".to_owned(), "out_of_range".to_owned()),
                ("answers[5]".to_owned(), "bad_date".to_owned()),
            ]
        );
    }
}
