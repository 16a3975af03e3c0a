//! Memos: the comment thread on a task. Whoever may see the task may write; authors edit their
//! own; authors and admins delete. The other side of the mentorship is notified.

use std::collections::HashMap;

use chrono::Utc;
use entity::memo;
pub use entity::mentoring::MemoView;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::error::Problems;
use crate::markdown::to_safe_html;
use crate::notifications::{self, kind, Notice};
use crate::policy::{self, capabilities, Action, Caller, Pairing};
use crate::{links, lookup};
use crate::{Actor, Ctx, Result, ServiceError};

pub const BODY_MAX: usize = 10_000;

/// Who reads the memos, and the company of their task: what each memo's capabilities depend on.
#[derive(Clone, Copy)]
pub(crate) struct Reader {
    pub caller: Option<Caller>,
    pub company: i32,
}

pub(crate) async fn of_task(
    db: &impl ConnectionTrait,
    reader: Reader,
    task: i32,
) -> Result<Vec<MemoView>> {
    let memos = memo::Entity::find()
        .filter(memo::Column::TaskId.eq(task))
        .order_by_asc(memo::Column::CreatedAt)
        .order_by_asc(memo::Column::Id)
        .all(db)
        .await?;
    let authors: Vec<i32> = memos.iter().filter_map(|m| m.author_id).collect();
    let names = lookup::names(db, &authors).await?;
    Ok(memos.into_iter().map(|m| view(m, &names, reader)).collect())
}

fn view(m: memo::Model, names: &HashMap<i32, String>, reader: Reader) -> MemoView {
    MemoView {
        author_name: m.author_id.and_then(|a| names.get(&a).cloned()),
        body_html: to_safe_html(&m.body),
        edited: m.updated_at != m.created_at,
        capabilities: capabilities::memo(reader.caller, reader.company, m.author_id),
        memo: m,
    }
}

fn reader(actor: Option<&Actor>, company: i32) -> Reader {
    Reader {
        caller: actor.map(Caller::from),
        company,
    }
}

fn checked_body(body: &str) -> Result<String> {
    let body = body.trim().to_owned();
    let mut problems = Problems::default();
    problems.text("body", &body, true, BODY_MAX);
    problems.into_result()?;
    Ok(body)
}

pub async fn list(ctx: &Ctx, actor: Option<&Actor>, task_id: i32) -> Result<Vec<MemoView>> {
    let (_, m) = super::visible(ctx, actor, task_id).await?;
    of_task(&ctx.db, reader(actor, m.company_id), task_id).await
}

pub async fn add(ctx: &Ctx, actor: Option<&Actor>, task_id: i32, body: &str) -> Result<MemoView> {
    let (t, m) = super::visible(ctx, actor, task_id).await?;
    let me = policy::require(actor, Action::CommentOnTask(Pairing::from(&m)))?;
    let body = checked_body(body)?;
    let now = Utc::now();
    let txn = crate::db::begin(&ctx.db).await?;
    let created = memo::ActiveModel {
        task_id: Set(task_id),
        author_id: Set(Some(me.id())),
        body: Set(body),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    notifications::notify(
        &txn,
        &[m.mentee_id, m.mentor_id],
        &Notice {
            kind: kind::MEMO,
            actor_id: Some(me.id()),
            subject: &t.title,
            link: links::task(task_id),
        },
    )
    .await?;
    txn.commit().await?;
    let names = lookup::names(&ctx.db, &[me.id()]).await?;
    Ok(view(created, &names, reader(actor, m.company_id)))
}

async fn find(
    ctx: &Ctx,
    actor: Option<&Actor>,
    task_id: i32,
    memo_id: i32,
) -> Result<(memo::Model, i32)> {
    let (_, m) = super::visible(ctx, actor, task_id).await?;
    let found = memo::Entity::find_by_id(memo_id)
        .one(&ctx.db)
        .await?
        .filter(|x| x.task_id == task_id)
        .ok_or(ServiceError::NotFound { what: "memo" })?;
    Ok((found, m.company_id))
}

pub async fn edit(
    ctx: &Ctx,
    actor: Option<&Actor>,
    task_id: i32,
    memo_id: i32,
    body: &str,
) -> Result<MemoView> {
    let (found, company) = find(ctx, actor, task_id, memo_id).await?;
    policy::require(actor, Action::edit_memo(company, found.author_id))?;
    let body = checked_body(body)?;
    let mut active: memo::ActiveModel = found.into();
    active.body = Set(body);
    active.updated_at = Set(Utc::now());
    let updated = active.update(&ctx.db).await?;
    let names = lookup::names(&ctx.db, &updated.author_id.into_iter().collect::<Vec<_>>()).await?;
    Ok(view(updated, &names, reader(actor, company)))
}

pub async fn delete(ctx: &Ctx, actor: Option<&Actor>, task_id: i32, memo_id: i32) -> Result<()> {
    let (found, company) = find(ctx, actor, task_id, memo_id).await?;
    policy::require(actor, Action::delete_memo(company, found.author_id))?;
    memo::Entity::delete_by_id(memo_id).exec(&ctx.db).await?;
    Ok(())
}
