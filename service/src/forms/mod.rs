//! Forms (surveys): mentors and admins build a form, send it to people or to a mentorship, and
//! read the answers; each recipient answers once and may change the answer until the form is
//! closed. Building and sending live in `build`, answering in `answers`, results and the CSV
//! export in `results`.

mod answers;
mod build;
mod list;
mod results;

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::form_view::{FormView, QuestionView, ResponseView};
use entity::{form, form_answer, form_question, form_recipient, form_response, user};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Deserialize;

use crate::error::Problems;
use crate::links;
use crate::policy::{self, Action, Caller};
use crate::{Actor, Ctx, Result, ServiceError};

pub use answers::submit;
pub use build::{audience, create, FormInput, QuestionInput, LABEL_MAX};
pub use list::{list, FormQuery, SORTS};
pub use results::{export_csv, results};

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 5_000;

/// Absent fields stay as they are; `closed: true` stops answers, `false` reopens.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FormPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub closed: Option<bool>,
}

/// Tells each recipient that `form` is waiting for their answer; called inside the transaction
/// that sends the form, so a form is never sent without its notifications.
pub(crate) async fn announce(
    txn: &impl ConnectionTrait,
    recipients: &[i32],
    form: &form::Model,
) -> Result<()> {
    crate::notifications::notify(
        txn,
        recipients,
        &crate::notifications::Notice {
            kind: crate::notifications::kind::FORM_SENT,
            actor_id: Some(form.created_by),
            subject: &form.title,
            link: links::form(form.id),
        },
    )
    .await
}

pub(crate) fn caller(actor: &Actor) -> Caller {
    Caller::from(actor)
}

/// The form, if the caller's company may see it; other companies' forms are not found.
pub(crate) async fn visible(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<form::Model> {
    policy::require(actor, Action::ViewOwnAccount)?;
    let found = form::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or(ServiceError::NotFound { what: "form" })?;
    policy::require_visible(
        actor,
        found.company_id,
        Action::ViewCompany(found.company_id),
        "form",
    )?;
    Ok(found)
}

pub(crate) fn manage_action(found: &form::Model) -> Action {
    Action::ManageForm {
        company: found.company_id,
        owner: found.created_by,
    }
}

/// The form, if the caller may change it and read its answers.
pub(crate) async fn managed(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<form::Model> {
    let found = visible(ctx, actor, id).await?;
    policy::require(actor, manage_action(&found))?;
    Ok(found)
}

pub(crate) async fn is_recipient(db: &impl ConnectionTrait, form: i32, user: i32) -> Result<bool> {
    Ok(form_recipient::Entity::find()
        .filter(form_recipient::Column::FormId.eq(form))
        .filter(form_recipient::Column::UserId.eq(user))
        .count(db)
        .await?
        > 0)
}

pub(crate) async fn questions_of(
    db: &impl ConnectionTrait,
    form: i32,
) -> Result<Vec<form_question::Model>> {
    Ok(form_question::Entity::find()
        .filter(form_question::Column::FormId.eq(form))
        .order_by_asc(form_question::Column::Position)
        .all(db)
        .await?)
}

pub(crate) fn options_of(q: &form_question::Model) -> Vec<String> {
    serde_json::from_str(&q.options).unwrap_or_default()
}

fn question_view(q: &form_question::Model) -> QuestionView {
    QuestionView {
        id: q.id,
        position: q.position,
        kind: q.kind,
        label: q.label.clone(),
        required: q.required,
        options: options_of(q),
    }
}

/// Responses with their answers in question order, by respondent name.
pub(crate) async fn responses_of(
    db: &impl ConnectionTrait,
    form: i32,
    only_user: Option<i32>,
    questions: &[form_question::Model],
) -> Result<Vec<ResponseView>> {
    let mut q = form_response::Entity::find().filter(form_response::Column::FormId.eq(form));
    if let Some(user) = only_user {
        q = q.filter(form_response::Column::UserId.eq(user));
    }
    let responses = q.all(db).await?;
    if responses.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = responses.iter().map(|r| r.id).collect();
    let mut values: HashMap<(i32, i32), serde_json::Value> = HashMap::new();
    for a in form_answer::Entity::find()
        .filter(form_answer::Column::ResponseId.is_in(ids))
        .all(db)
        .await?
    {
        let v = serde_json::from_str(&a.value).unwrap_or(serde_json::Value::Null);
        values.insert((a.response_id, a.question_id), v);
    }
    let people = names(db, responses.iter().map(|r| r.user_id)).await?;
    let mut views: Vec<ResponseView> = responses
        .into_iter()
        .map(|r| {
            let (name, email) = people.get(&r.user_id).cloned().unwrap_or_default();
            ResponseView {
                answers: questions
                    .iter()
                    .map(|q| {
                        values
                            .remove(&(r.id, q.id))
                            .unwrap_or(serde_json::Value::Null)
                    })
                    .collect(),
                id: r.id,
                user_id: r.user_id,
                name,
                email,
                submitted_at: r.submitted_at,
                updated_at: r.updated_at,
            }
        })
        .collect();
    views.sort_by(|a, b| a.name.cmp(&b.name).then(a.user_id.cmp(&b.user_id)));
    Ok(views)
}

/// (name, email) by user id.
pub(crate) async fn names(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i32>,
) -> Result<HashMap<i32, (String, String)>> {
    let ids: Vec<i32> = ids.collect::<HashSet<_>>().into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, (u.name, u.email)))
        .collect())
}

pub(crate) async fn view(
    db: &impl ConnectionTrait,
    actor: &Actor,
    found: form::Model,
) -> Result<FormView> {
    let can_manage = policy::allowed(Some(caller(actor)), manage_action(&found));
    let recipient = is_recipient(db, found.id, actor.id()).await?;
    let questions = questions_of(db, found.id).await?;
    let my_response = if recipient {
        responses_of(db, found.id, Some(actor.id()), &questions)
            .await?
            .pop()
    } else {
        None
    };
    let recipient_count = form_recipient::Entity::find()
        .filter(form_recipient::Column::FormId.eq(found.id))
        .count(db)
        .await?;
    let response_count = form_response::Entity::find()
        .filter(form_response::Column::FormId.eq(found.id))
        .count(db)
        .await?;
    Ok(FormView {
        closed: found.closed_at.is_some(),
        questions: questions.iter().map(question_view).collect(),
        form: found,
        recipient_count,
        response_count,
        can_manage,
        is_recipient: recipient,
        my_response,
    })
}

/// The form and its questions, for its managers and its recipients (with their own answer).
pub async fn get(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<FormView> {
    let found = visible(ctx, actor, id).await?;
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    if !policy::allowed(Some(caller(me)), manage_action(&found)) {
        let recipient = is_recipient(&ctx.db, id, me.id()).await?;
        policy::require(
            actor,
            Action::AnswerForm {
                company: found.company_id,
                recipient,
            },
        )?;
    }
    view(&ctx.db, me, found).await
}

fn check_form_text(title: &str, description: &str) -> Result<()> {
    let mut problems = Problems::default();
    problems.line("title", title, true, TITLE_MAX);
    problems.text("description", description, false, DESCRIPTION_MAX);
    problems.into_result()
}

/// Renames, re-describes, closes or reopens a form (its author and the company's admins).
pub async fn update(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    patch: FormPatch,
) -> Result<FormView> {
    let current = managed(ctx, actor, id).await?;
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let title = crate::curricula::patched(patch.title.as_deref(), &current.title);
    let description = crate::curricula::patched(patch.description.as_deref(), &current.description);
    check_form_text(&title, &description)?;
    let now = Utc::now();
    let closed_at = match patch.closed {
        Some(true) => current.closed_at.or(Some(now)),
        Some(false) => None,
        None => current.closed_at,
    };
    let mut active: form::ActiveModel = current.into();
    active.title = Set(title);
    active.description = Set(description);
    active.closed_at = Set(closed_at);
    active.updated_at = Set(now);
    let updated = active.update(&ctx.db).await?;
    view(&ctx.db, me, updated).await
}

/// Deletes a form with its questions, recipients and every answer.
pub async fn delete(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<()> {
    managed(ctx, actor, id).await?;
    let txn = crate::db::begin(&ctx.db).await?;
    let responses = Query::select()
        .column(form_response::Column::Id)
        .from(form_response::Entity)
        .and_where(form_response::Column::FormId.eq(id))
        .to_owned();
    form_answer::Entity::delete_many()
        .filter(form_answer::Column::ResponseId.in_subquery(responses))
        .exec(&txn)
        .await?;
    form_response::Entity::delete_many()
        .filter(form_response::Column::FormId.eq(id))
        .exec(&txn)
        .await?;
    form_recipient::Entity::delete_many()
        .filter(form_recipient::Column::FormId.eq(id))
        .exec(&txn)
        .await?;
    form_question::Entity::delete_many()
        .filter(form_question::Column::FormId.eq(id))
        .exec(&txn)
        .await?;
    form::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}
