//! The forms list: forms I made, forms sent to me, or (admins) the company's, with counts.

use std::collections::{HashMap, HashSet};

use entity::form_view::FormSummary;
use entity::{form, form_question, form_recipient, form_response, Page, PageRequest};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Deserialize;

use super::caller;
use crate::policy::{self, Action};
use crate::{Actor, Ctx, Result};

/// What the forms list shows. Without filters: admins see every form of their company, others
/// the forms they made and the forms sent to them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FormQuery {
    /// Only forms the caller made.
    #[serde(default)]
    pub mine: bool,
    /// Only forms sent to the caller (answered or not; each line says which).
    #[serde(default)]
    pub to_answer: bool,
    /// `created_at` (default, newest first as `-created_at`) or `title`; `-` for descending.
    pub sort: Option<String>,
}

/// How many rows of `table`-like entity each form has, for the given forms.
async fn counts_by_form<E>(
    db: &impl ConnectionTrait,
    column: E::Column,
    forms: &[i32],
) -> Result<HashMap<i32, u64>>
where
    E: EntityTrait,
{
    if forms.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, i64)> = E::find()
        .select_only()
        .column(column)
        .column_as(column.count(), "n")
        .filter(column.is_in(forms.to_vec()))
        .group_by(column)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(f, n)| (f, n as u64)).collect())
}

/// What a form list sorts by (default `-created_at`).
pub const SORTS: [(&str, form::Column); 2] = [
    ("created_at", form::Column::CreatedAt),
    ("title", form::Column::Title),
];

fn sort_order(sort: Option<&str>) -> Result<(form::Column, bool)> {
    crate::sort::parse(sort.unwrap_or("-created_at"), &SORTS)
}

pub async fn list(
    ctx: &Ctx,
    actor: Option<&Actor>,
    query: FormQuery,
    page: PageRequest,
) -> Result<Page<FormSummary>> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let company = me.user.company_id.unwrap_or(-1);
    policy::require_visible(actor, company, Action::ViewCompany(company), "company")?;
    let (column, descending) = sort_order(query.sort.as_deref())?;
    let sent_to_me = form::Column::Id.in_subquery(
        Query::select()
            .column(form_recipient::Column::FormId)
            .from(form_recipient::Entity)
            .and_where(form_recipient::Column::UserId.eq(me.id()))
            .to_owned(),
    );
    let mine = form::Column::CreatedBy.eq(me.id());
    let mut filter = Condition::all().add(form::Column::CompanyId.eq(company));
    if query.mine {
        filter = filter.add(mine.clone());
    }
    if query.to_answer {
        filter = filter.add(sent_to_me.clone());
    }
    let admin = policy::allowed(Some(caller(me)), Action::ManageCompany(company));
    if !query.mine && !query.to_answer && !admin {
        filter = filter.add(Condition::any().add(mine).add(sent_to_me));
    }
    let mut select = form::Entity::find().filter(filter);
    select = if descending {
        select.order_by_desc(column)
    } else {
        select.order_by_asc(column)
    };
    let mut found = crate::db::page(ctx, select.order_by_desc(form::Column::Id), page).await?;
    let forms = std::mem::take(&mut found.items);
    let ids: Vec<i32> = forms.iter().map(|f| f.id).collect();
    let questions =
        counts_by_form::<form_question::Entity>(&ctx.db, form_question::Column::FormId, &ids)
            .await?;
    let recipients =
        counts_by_form::<form_recipient::Entity>(&ctx.db, form_recipient::Column::FormId, &ids)
            .await?;
    let responses =
        counts_by_form::<form_response::Entity>(&ctx.db, form_response::Column::FormId, &ids)
            .await?;
    let mut to_me: HashSet<i32> = HashSet::new();
    let mut answered: HashSet<i32> = HashSet::new();
    if !ids.is_empty() {
        to_me = form_recipient::Entity::find()
            .filter(form_recipient::Column::FormId.is_in(ids.clone()))
            .filter(form_recipient::Column::UserId.eq(me.id()))
            .all(&ctx.db)
            .await?
            .into_iter()
            .map(|r| r.form_id)
            .collect();
        answered = form_response::Entity::find()
            .filter(form_response::Column::FormId.is_in(ids))
            .filter(form_response::Column::UserId.eq(me.id()))
            .all(&ctx.db)
            .await?
            .into_iter()
            .map(|r| r.form_id)
            .collect();
    }
    let items = forms
        .into_iter()
        .map(|f| FormSummary {
            closed: f.closed_at.is_some(),
            question_count: questions.get(&f.id).copied().unwrap_or(0),
            recipient_count: recipients.get(&f.id).copied().unwrap_or(0),
            response_count: responses.get(&f.id).copied().unwrap_or(0),
            mine: f.created_by == me.id(),
            sent_to_me: to_me.contains(&f.id),
            answered: answered.contains(&f.id),
            form: f,
        })
        .collect();
    let can_create = policy::allowed(Some(caller(me)), Action::CreateForm(company));
    Ok(found.with(items).creatable(can_create))
}
