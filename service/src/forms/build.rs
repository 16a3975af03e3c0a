//! Building a form and sending it: the checks on the form itself, who may receive it, and the
//! one transaction that writes it.

use std::collections::HashSet;

use chrono::Utc;
use entity::form_view::{Addressee, Audience, DepartmentChoice, FormView, MentorshipChoice};
use entity::{
    department, form, form_question, form_recipient, mentorship, user, FormKind, MentorshipStatus,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Deserialize;

use super::{announce, caller, view, DESCRIPTION_MAX, TITLE_MAX};
use crate::error::{parse, text_problem, Problems};
use crate::policy::{self, Action, Pairing};
use crate::{Actor, Ctx, Result};

pub const QUESTIONS_MAX: usize = 50;
pub const LABEL_MAX: usize = 500;
pub const OPTIONS_MIN: usize = 2;
pub const OPTIONS_MAX: usize = 20;
pub const OPTION_MAX: usize = 200;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct QuestionInput {
    /// `short_text`, `long_text`, `single_choice`, `multiple_choice`, `number`, `date`, `rating`.
    pub kind: String,
    pub label: String,
    #[serde(default)]
    pub required: bool,
    /// Choice questions only.
    pub options: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FormInput {
    pub title: String,
    pub description: Option<String>,
    pub questions: Vec<QuestionInput>,
    #[serde(default)]
    pub recipient_ids: Vec<i32>,
    /// Adds everyone active in these departments of the company to the recipients.
    #[serde(default)]
    pub department_ids: Vec<i32>,
    /// Adds the mentorship's mentee to the recipients.
    pub mentorship_id: Option<i32>,
}

/// A question as it will be stored.
struct CheckedQuestion {
    kind: FormKind,
    label: String,
    required: bool,
    options: Vec<String>,
}

fn check_questions(questions: &[QuestionInput], problems: &mut Problems) -> Vec<CheckedQuestion> {
    if questions.is_empty() || questions.len() > QUESTIONS_MAX {
        problems.add(
            "questions",
            "question_count",
            format!("a form has 1 to {QUESTIONS_MAX} questions"),
        );
    }
    let mut checked = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        let label = q.label.trim().to_owned();
        problems.line(&format!("questions[{i}].label"), &label, true, LABEL_MAX);
        let kind = match parse::<FormKind>(&format!("questions[{i}].kind"), &q.kind) {
            Ok(kind) => kind,
            Err(wrong) => {
                problems.push(wrong);
                continue;
            }
        };
        let field = format!("questions[{i}].options");
        let raw = q.options.clone().unwrap_or_default();
        let options: Vec<String> = raw.iter().map(|o| o.trim().to_owned()).collect();
        if kind.has_options() {
            let distinct: HashSet<&str> = options.iter().map(String::as_str).collect();
            if options.iter().any(String::is_empty) {
                problems.add(&field, "empty_option", "options cannot be empty");
            } else if distinct.len() != options.len() {
                problems.add(&field, "duplicate_option", "each option must be different");
            } else if !(OPTIONS_MIN..=OPTIONS_MAX).contains(&options.len()) {
                problems.add(
                    &field,
                    "option_count",
                    format!("a choice question has {OPTIONS_MIN} to {OPTIONS_MAX} options"),
                );
            } else if let Some((code, message)) = options
                .iter()
                .find_map(|o| text_problem(o, true, OPTION_MAX, false))
            {
                problems.add(&field, code, message);
            }
        } else if !options.is_empty() {
            problems.add(
                &field,
                "unexpected_options",
                "only choice questions have options",
            );
        }
        checked.push(CheckedQuestion {
            kind,
            label,
            required: q.required,
            options,
        });
    }
    checked
}

/// The mentorship's mentee, if the caller may send to it (its mentor or the company's admins).
async fn mentee_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    company: i32,
    id: i32,
    problems: &mut Problems,
) -> Result<Option<i32>> {
    let found = mentorship::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|m| m.company_id == company);
    let Some(found) = found else {
        problems.add("mentorship_id", "unknown_mentorship", "no such mentorship");
        return Ok(None);
    };
    let pairing = Pairing {
        company: found.company_id,
        mentor: found.mentor_id,
        mentee: found.mentee_id,
    };
    policy::require(Some(actor), Action::ManageMentorship(pairing))?;
    Ok(Some(found.mentee_id))
}

/// Everyone active in `departments` (of `company`; any other is a field error).
async fn members_of(
    db: &impl ConnectionTrait,
    company: i32,
    departments: &[i32],
    problems: &mut Problems,
) -> Result<Vec<i32>> {
    if departments.is_empty() {
        return Ok(Vec::new());
    }
    let known: HashSet<i32> = department::Entity::find()
        .select_only()
        .column(department::Column::Id)
        .filter(department::Column::Id.is_in(departments.to_vec()))
        .filter(department::Column::CompanyId.eq(company))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    if departments.iter().any(|d| !known.contains(d)) {
        problems.add("department_ids", "unknown_department", "no such department");
    }
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::DepartmentId.is_in(known))
        .filter(user::Column::CompanyId.eq(company))
        .filter(user::Column::IsActive.eq(true))
        .order_by_asc(user::Column::Id)
        .into_tuple::<i32>()
        .all(db)
        .await?)
}

/// The recipients, checked: active people of `company`.
async fn check_recipients(
    db: &impl ConnectionTrait,
    company: i32,
    ids: Vec<i32>,
    problems: &mut Problems,
) -> Result<Vec<i32>> {
    let mut seen = HashSet::new();
    let ids: Vec<i32> = ids.into_iter().filter(|id| seen.insert(*id)).collect();
    if ids.is_empty() {
        problems.add(
            "recipient_ids",
            "required",
            "send the form to at least one person",
        );
        return Ok(ids);
    }
    let found: HashSet<i32> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.clone()))
        .filter(user::Column::CompanyId.eq(company))
        .filter(user::Column::IsActive.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let unknown: Vec<String> = ids
        .iter()
        .filter(|id| !found.contains(id))
        .map(i32::to_string)
        .collect();
    if !unknown.is_empty() {
        problems.add(
            "recipient_ids",
            "unknown_recipient",
            format!("not active people of this company: {}", unknown.join(", ")),
        );
    }
    Ok(ids)
}

/// Builds a form and sends it: every check first, then one transaction for the form, its
/// questions and its recipients (who are told about it).
pub async fn create(ctx: &Ctx, actor: Option<&Actor>, input: FormInput) -> Result<FormView> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let company = me.user.company_id.unwrap_or(-1);
    policy::require_visible(actor, company, Action::CreateForm(company), "company")?;
    let title = input.title.trim().to_owned();
    let description = input.description.unwrap_or_default().trim().to_owned();
    let mut problems = Problems::default();
    problems.line("title", &title, true, TITLE_MAX);
    problems.text("description", &description, false, DESCRIPTION_MAX);
    let questions = check_questions(&input.questions, &mut problems);
    let mut recipient_ids = input.recipient_ids;
    recipient_ids.extend(members_of(&ctx.db, company, &input.department_ids, &mut problems).await?);
    if let Some(id) = input.mentorship_id {
        if let Some(mentee) = mentee_of(&ctx.db, me, company, id, &mut problems).await? {
            recipient_ids.push(mentee);
        }
    }
    let recipients = check_recipients(&ctx.db, company, recipient_ids, &mut problems).await?;
    problems.into_result()?;

    let now = Utc::now();
    let txn = crate::db::begin(&ctx.db).await?;
    let created = form::ActiveModel {
        company_id: Set(company),
        created_by: Set(me.id()),
        title: Set(title),
        description: Set(description),
        mentorship_id: Set(input.mentorship_id),
        closed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (position, q) in questions.into_iter().enumerate() {
        form_question::ActiveModel {
            form_id: Set(created.id),
            position: Set(position as i32),
            kind: Set(q.kind),
            label: Set(q.label),
            required: Set(q.required),
            options: Set(serde_json::to_string(&q.options).unwrap_or_else(|_| "[]".into())),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    form_recipient::Entity::insert_many(recipients.iter().map(|user| {
        form_recipient::ActiveModel {
            form_id: Set(created.id),
            user_id: Set(*user),
            ..Default::default()
        }
    }))
    .exec(&txn)
    .await?;
    announce(&txn, &recipients, &created).await?;
    let view = view(&txn, me, created).await?;
    txn.commit().await?;
    tracing::info!(
        form = view.form.id,
        recipients = recipients.len(),
        "form sent"
    );
    Ok(view)
}

/// Whom the caller may send forms to: the active people of their company, its departments that
/// have any, and the mentorships they may send to (their own; every one of the company for
/// admins).
pub async fn audience(ctx: &Ctx, actor: Option<&Actor>) -> Result<Audience> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let company = me.user.company_id.unwrap_or(-1);
    policy::require_visible(actor, company, Action::CreateForm(company), "company")?;
    let people: Vec<Addressee> = user::Entity::find()
        .filter(user::Column::CompanyId.eq(company))
        .filter(user::Column::IsActive.eq(true))
        .order_by_asc(user::Column::NameKey)
        .order_by_asc(user::Column::Id)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|u| Addressee {
            id: u.id,
            name: u.name,
            email: u.email,
            role: u.role,
            department_id: u.department_id,
        })
        .collect();
    let pairs = mentorship::Entity::find()
        .filter(mentorship::Column::CompanyId.eq(company))
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active))
        .order_by_asc(mentorship::Column::Id)
        .all(&ctx.db)
        .await?;
    let name_of = |id: i32| {
        people
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let mut members: std::collections::HashMap<i32, u64> = std::collections::HashMap::new();
    for p in &people {
        if let Some(d) = p.department_id {
            *members.entry(d).or_default() += 1;
        }
    }
    let departments = department::Entity::find()
        .filter(department::Column::CompanyId.eq(company))
        .order_by_asc(department::Column::Name)
        .all(&ctx.db)
        .await?
        .into_iter()
        .filter_map(|d| {
            members.get(&d.id).map(|&members| DepartmentChoice {
                id: d.id,
                name: d.name,
                members,
            })
        })
        .collect();
    let me_caller = caller(me);
    let mentorships = pairs
        .into_iter()
        .filter(|m| {
            policy::allowed(
                Some(me_caller),
                Action::ManageMentorship(Pairing {
                    company: m.company_id,
                    mentor: m.mentor_id,
                    mentee: m.mentee_id,
                }),
            )
        })
        .map(|m| MentorshipChoice {
            id: m.id,
            mentee_id: m.mentee_id,
            mentor_name: name_of(m.mentor_id),
            mentee_name: name_of(m.mentee_id),
        })
        .collect();
    Ok(Audience {
        people,
        departments,
        mentorships,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(kind: &str, options: Option<Vec<&str>>) -> QuestionInput {
        QuestionInput {
            kind: kind.into(),
            label: "Q".into(),
            required: false,
            options: options.map(|o| o.into_iter().map(String::from).collect()),
        }
    }

    #[test]
    fn choice_questions_need_distinct_options() {
        let mut p = Problems::default();
        check_questions(
            &[
                q("single_choice", Some(vec!["a", "a"])),
                q("multiple_choice", Some(vec!["a"])),
                q("number", Some(vec!["a", "b"])),
                q("colour", None),
                q("rating", None),
            ],
            &mut p,
        );
        let fields: Vec<String> = p.into_vec().into_iter().map(|f| f.field).collect();
        assert_eq!(
            fields,
            [
                "questions[0].options",
                "questions[1].options",
                "questions[2].options",
                "questions[3].kind"
            ]
        );
    }
}
