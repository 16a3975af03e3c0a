//! What the owner reads: who answered and who has not yet, every response, counts per option for
//! the charts, and the CSV export.

use std::collections::HashMap;

use entity::form_view::{FormResults, OptionCount, QuestionChart, RecipientStatus, ResponseView};
use entity::{form_question, form_recipient, FormKind};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use super::{managed, names, options_of, questions_of, responses_of, view};
use crate::policy::{self, Action};
use crate::{Actor, Ctx, Result, ServiceError};

/// Counts per option (choice questions) or per rating 1–5, in the order the form offers them.
fn charts(questions: &[form_question::Model], responses: &[ResponseView]) -> Vec<QuestionChart> {
    questions
        .iter()
        .enumerate()
        .filter_map(|(i, q)| {
            let labels: Vec<String> = match q.kind {
                FormKind::SingleChoice | FormKind::MultipleChoice => options_of(q),
                FormKind::Rating => (1..=5).map(|n| n.to_string()).collect(),
                _ => return None,
            };
            let mut counts: HashMap<String, u64> = HashMap::new();
            for r in responses {
                let chosen: Vec<String> = match r.answers.get(i) {
                    Some(Value::String(s)) => vec![s.clone()],
                    Some(Value::Array(items)) => items
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                    Some(Value::Number(n)) => vec![n.to_string()],
                    _ => Vec::new(),
                };
                for c in chosen {
                    *counts.entry(c).or_default() += 1;
                }
            }
            Some(QuestionChart {
                question_id: q.id,
                position: q.position,
                label: q.label.clone(),
                counts: labels
                    .into_iter()
                    .map(|option| OptionCount {
                        count: counts.get(&option).copied().unwrap_or(0),
                        option,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The answers to a form for its author and the company's admins.
pub async fn results(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<FormResults> {
    let found = managed(ctx, actor, id).await?;
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let questions = questions_of(&ctx.db, id).await?;
    let responses = responses_of(&ctx.db, id, None, &questions).await?;
    let recipient_ids: Vec<i32> = form_recipient::Entity::find()
        .filter(form_recipient::Column::FormId.eq(id))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    let people = names(&ctx.db, recipient_ids.iter().copied()).await?;
    let mut recipients: Vec<RecipientStatus> = recipient_ids
        .into_iter()
        .map(|user_id| {
            let (name, email) = people.get(&user_id).cloned().unwrap_or_default();
            let response = responses.iter().find(|r| r.user_id == user_id);
            RecipientStatus {
                user_id,
                name,
                email,
                answered: response.is_some(),
                submitted_at: response.map(|r| r.submitted_at),
            }
        })
        .collect();
    recipients.sort_by(|a, b| a.name.cmp(&b.name).then(a.user_id.cmp(&b.user_id)));
    Ok(FormResults {
        charts: charts(&questions, &responses),
        form: view(&ctx.db, me, found).await?,
        recipients,
        responses,
    })
}

/// What a spreadsheet reads as the start of a formula.
const FORMULA: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
/// Where a spreadsheet may split one cell into several (the delimiter it guesses on import).
const SEPARATORS: [char; 3] = [',', ';', '\t'];

/// Text a spreadsheet would run as a formula gets an apostrophe in front: at the start of the
/// cell, and after every separator (spaces skipped), since a spreadsheet that splits the cell
/// there would start a formula in the next one.
fn defused(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    let mut starts_cell = true;
    for c in text.chars() {
        if starts_cell && FORMULA.contains(&c) {
            out.push('\'');
        }
        out.push(c);
        starts_cell = SEPARATORS.contains(&c) || (starts_cell && c == ' ');
    }
    out
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => defused(s),
        Value::Array(items) => defused(
            &items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| i.to_string())
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        other => other.to_string(),
    }
}

/// The responses as CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads Korean),
/// a header of respondent name, email, submitted_at and one column per question label.
pub async fn export_csv(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<(String, Vec<u8>)> {
    let found = managed(ctx, actor, id).await?;
    let questions = questions_of(&ctx.db, id).await?;
    let responses = responses_of(&ctx.db, id, None, &questions).await?;
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let mut header = vec![
            "name".to_owned(),
            "email".to_owned(),
            "submitted_at".to_owned(),
        ];
        header.extend(questions.iter().map(|q| defused(&q.label)));
        w.write_record(&header).map_err(csv_error)?;
        for r in &responses {
            let mut row = vec![
                defused(&r.name),
                defused(&r.email),
                r.submitted_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ];
            row.extend(r.answers.iter().map(cell));
            w.write_record(&row).map_err(csv_error)?;
        }
        w.flush()
            .map_err(|e| ServiceError::Internal(format!("csv: {e}")))?;
    }
    Ok((file_name(&found.title, id), out))
}

fn csv_error(e: csv::Error) -> ServiceError {
    ServiceError::Internal(format!("csv: {e}"))
}

/// An ASCII file name for the download (the title may be Korean; the id keeps it unique).
fn file_name(title: &str, id: i32) -> String {
    let slug: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        format!("form-{id}.csv")
    } else {
        format!("form-{id}-{slug}.csv")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_never_start_formulas() {
        assert_eq!(cell(&Value::from("=SUM(A1)")), "'=SUM(A1)");
        assert_eq!(
            cell(&Value::from("a; =cmd|' /C calc'!A0")),
            "a; '=cmd|' /C calc'!A0"
        );
        assert_eq!(cell(&Value::from("1,+2")), "1,'+2");
        assert_eq!(cell(&Value::from("x\t@y")), "x\t'@y");
        assert_eq!(cell(&Value::from("a-b, c")), "a-b, c");
        assert_eq!(cell(&serde_json::json!(["ok", "-1"])), "ok; '-1");
        assert_eq!(cell(&Value::from(-3)), "-3");
        assert_eq!(cell(&serde_json::json!(["a", "b"])), "a; b");
        assert_eq!(file_name("만족도 Survey 2026", 7), "form-7-survey-2026.csv");
        assert_eq!(file_name("만족도", 7), "form-7.csv");
    }
}
