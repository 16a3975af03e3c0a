//! Forms: build, send (to people and to a mentorship), answer, close, results, CSV and who may do
//! what, on every configured backend.

mod answering;
mod building;

use chrono::Utc;
use entity::{mentorship, MentorshipStatus};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{json, Value};
use service::forms::{FormInput, QuestionInput};
use service::{Actor, Ctx, ServiceError};

fn question(kind: &str, label: &str, required: bool, options: &[&str]) -> QuestionInput {
    QuestionInput {
        kind: kind.into(),
        label: label.into(),
        required,
        options: (!options.is_empty()).then(|| options.iter().map(|o| o.to_string()).collect()),
    }
}

/// One question of every kind.
fn survey(recipients: Vec<i32>) -> FormInput {
    FormInput {
        title: "  첫 주 설문 ".into(),
        description: Some("How was week one?".into()),
        questions: vec![
            question("short_text", "이름 / Nickname", true, &[]),
            question("long_text", "What went well?", false, &[]),
            question("single_choice", "Team", true, &["Platform", "Data"]),
            question("multiple_choice", "Tools", false, &["Rust", "SQL", "Excel"]),
            question("number", "Hours of pairing", false, &[]),
            question("date", "Start date", false, &[]),
            question("rating", "Overall", true, &[]),
        ],
        recipient_ids: recipients,
        department_ids: Vec::new(),
        mentorship_id: None,
    }
}

fn fields(err: ServiceError) -> Vec<(String, String)> {
    match err {
        ServiceError::Invalid(f) => f.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

async fn pairing(ctx: &Ctx, mentor: &Actor, mentee: &Actor) -> mentorship::Model {
    let now = Utc::now();
    mentorship::ActiveModel {
        company_id: Set(mentor.user.company_id.unwrap()),
        mentor_id: Set(mentor.id()),
        mentee_id: Set(mentee.id()),
        curriculum_id: Set(None),
        status: Set(MentorshipStatus::Active),
        start_date: Set(now.date_naive()),
        ended_at: Set(None),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await
    .unwrap()
}

fn good_answers() -> Vec<Value> {
    vec![
        json!("Mina, \"the new one\""),
        Value::Null,
        json!("Data"),
        json!(["SQL", "Rust"]),
        json!(12.5),
        json!("2026-03-02"),
        json!(4),
    ]
}
