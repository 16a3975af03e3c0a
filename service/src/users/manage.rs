//! Admins managing the users of their company: find them (search, filters, sorting, pages),
//! change role, department, name or active flag, and reset passwords. People are deactivated,
//! never deleted, so their history stays.

use std::collections::HashMap;

use chrono::Utc;
use entity::user::Person;
use entity::{credential, login_throttle, user, FieldError, Page, PageRequest, Role};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde::{Deserialize, Deserializer};

use crate::auth::{password, throttle, tokens};
use crate::error::text_problem;
use crate::policy::{self, Action};
use crate::secrets::random_token;
use crate::{Actor, Ctx, Result, ServiceError};

/// The longest search, in characters.
pub const SEARCH_MAX: usize = 200;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserQuery {
    /// Part of the name or email, any case.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub department_id: Option<i32>,
    pub active: Option<bool>,
    /// The platform admin may look at any company (default: everyone); others see their own.
    pub company_id: Option<i32>,
    /// `name`, `email` or `created_at`; a leading `-` sorts descending. Default `name`.
    pub sort: Option<String>,
}

/// Absent fields stay as they are; `department_id: null` takes the person out of their department.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserPatch {
    pub name: Option<String>,
    pub role: Option<Role>,
    #[serde(default, deserialize_with = "present")]
    pub department_id: Option<Option<i32>>,
    pub is_active: Option<bool>,
}

/// Tells a JSON `null` (Some(None)) from an absent field (None).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> std::result::Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// What the people list sorts by (default `name`).
pub const SORTS: [(&str, user::Column); 3] = [
    // Natural order: "멘티 2" before "멘티 10".
    ("name", user::Column::NameKey),
    ("email", user::Column::Email),
    ("created_at", user::Column::CreatedAt),
];

fn sort_order(sort: Option<&str>) -> Result<(user::Column, bool)> {
    crate::sort::parse(sort.unwrap_or("name"), &SORTS)
}

/// `%` and `_` in a search mean themselves.
pub(crate) fn contains_pattern(q: &str) -> LikeExpr {
    let escaped = q
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

pub async fn list(
    ctx: &Ctx,
    actor: Option<&Actor>,
    query: UserQuery,
    page: PageRequest,
) -> Result<Page<user::Model>> {
    let signed_in = policy::require(actor, Action::ViewOwnAccount)?;
    let company = if signed_in.user.is_platform_admin {
        query.company_id
    } else {
        Some(query.company_id.or(signed_in.user.company_id).unwrap_or(-1))
    };
    if let Some(company) = company {
        policy::require_visible(actor, company, Action::ManageCompany(company), "company")?;
    }
    let (column, descending) = sort_order(query.sort.as_deref())?;

    let mut filter = Condition::all();
    if let Some(company) = company {
        filter = filter.add(user::Column::CompanyId.eq(company));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        if let Some((code, message)) = text_problem(q, false, SEARCH_MAX, false) {
            return Err(ServiceError::invalid("q", code, message));
        }
        let pattern = contains_pattern(q);
        filter = filter.add(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(user::Column::Name))).like(pattern.clone()))
                .add(Expr::expr(Func::lower(Expr::col(user::Column::Email))).like(pattern)),
        );
    }
    if let Some(role) = query.role {
        filter = filter.add(user::Column::Role.eq(role));
    }
    if let Some(department) = query.department_id {
        filter = filter.add(user::Column::DepartmentId.eq(department));
    }
    if let Some(active) = query.active {
        filter = filter.add(user::Column::IsActive.eq(active));
    }
    let mut select = user::Entity::find().filter(filter);
    select = if descending {
        select.order_by_desc(column)
    } else {
        select.order_by_asc(column)
    };
    // A stable tie-break keeps pages from overlapping.
    select = select.order_by_asc(user::Column::Id);
    let found = crate::db::page(ctx, select, page).await?;
    let caller = Some(policy::Caller::from(signed_in));
    let into = company.or(signed_in.user.company_id).unwrap_or(-1);
    let can_create = Role::ALL.into_iter().any(|role| {
        policy::allowed(
            caller,
            Action::CreateUser {
                role,
                company: into,
            },
        )
    });
    Ok(found.creatable(can_create))
}

/// A person the caller may manage; others' people do not exist for them.
async fn managed(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<(Actor, user::Model)> {
    let signed_in = policy::require(actor, Action::ViewOwnAccount)?.clone();
    let person = user::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or(ServiceError::NotFound { what: "person" })?;
    let company = person.company_id.unwrap_or(-1);
    if !signed_in.user.is_platform_admin {
        policy::require_visible(actor, company, Action::ManageCompany(company), "person")?;
    }
    if person.is_platform_admin && !signed_in.user.is_platform_admin {
        return Err(ServiceError::Forbidden);
    }
    Ok((signed_in, person))
}

pub async fn get(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<user::Model> {
    Ok(managed(ctx, actor, id).await?.1)
}

pub async fn update(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    patch: UserPatch,
) -> Result<user::Model> {
    let (me, person) = managed(ctx, actor, id).await?;
    let mut problems = crate::error::Problems::default();
    let name = patch.name.as_deref().map(str::trim).map(str::to_owned);
    if let Some(n) = &name {
        problems.line("name", n, true, crate::users::NAME_MAX);
    }
    // Nobody locks themselves out: an admin cannot demote or deactivate their own account.
    if me.id() == person.id {
        if patch.role.is_some_and(|r| r != person.role) {
            problems.add("role", "own_account", "you cannot change your own role");
        }
        if patch.is_active == Some(false) {
            problems.add(
                "is_active",
                "own_account",
                "you cannot deactivate your own account",
            );
        }
    }
    problems.into_result()?;
    if let Some(Some(department)) = patch.department_id {
        crate::org::check_department(&ctx.db, person.company_id.unwrap_or(-1), department).await?;
    }

    let deactivating = person.is_active && patch.is_active == Some(false);
    let demoting = patch.role.is_some_and(|r| r != person.role);
    let txn = crate::db::begin(&ctx.db).await?;
    let mut active: user::ActiveModel = person.clone().into();
    if let Some(n) = name {
        active.name_key = Set(entity::natural::key(&n));
        active.name = Set(n);
    }
    if let Some(role) = patch.role {
        active.role = Set(role);
    }
    if let Some(department) = patch.department_id {
        active.department_id = Set(department);
    }
    if let Some(is_active) = patch.is_active {
        active.is_active = Set(is_active);
    }
    if deactivating || demoting {
        // Sessions and tokens carry what the person was allowed to do; end them.
        active.token_version = Set(person.token_version + 1);
        tokens::revoke_all_for_user(&txn, person.id).await?;
    }
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    txn.commit().await?;
    ctx.auth.forget_user(updated.id);
    if deactivating {
        // A closed account keeps no VM running.
        crate::hosting::on_account_closed(ctx, updated.id).await?;
    }
    tracing::info!(
        user = updated.id,
        by = me.id(),
        deactivated = deactivating,
        "person updated"
    );
    Ok(updated)
}

/// Sets a temporary password, shown once to the admin; the person must choose a new one at their
/// next sign-in, and every current session of theirs ends.
pub async fn reset_password(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<String> {
    let (me, person) = managed(ctx, actor, id).await?;
    if me.id() == person.id {
        return Err(ServiceError::Conflict(FieldError::new(
            "",
            "own_account",
            "change your own password on the account page",
        )));
    }
    let temporary = random_token(12);
    let hash = password::hash(&temporary).await?;
    let txn = crate::db::begin(&ctx.db).await?;
    credential::ActiveModel {
        user_id: Set(person.id),
        password_hash: Set(hash),
        updated_at: Set(Utc::now()),
    }
    .update(&txn)
    .await?;
    let version = person.token_version + 1;
    let mut active: user::ActiveModel = person.into();
    active.must_change_password = Set(true);
    active.token_version = Set(version);
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    tokens::revoke_all_for_user(&txn, updated.id).await?;
    txn.commit().await?;
    ctx.auth.forget_user(updated.id);
    tracing::info!(user = updated.id, by = me.id(), "password reset");
    Ok(temporary)
}

/// Lets a person sign in again at once: forgets the failed sign-ins counted against their account
/// (a few wrong guesses by anyone lock it for a while). The admins who manage the person may.
/// [`list`], with each person's sign-in lock: what the people page and `GET /users` show, so an
/// admin sees whom to unlock.
pub async fn people(
    ctx: &Ctx,
    actor: Option<&Actor>,
    query: UserQuery,
    page: PageRequest,
) -> Result<Page<Person>> {
    let mut found = list(ctx, actor, query, page).await?;
    let keys: Vec<String> = found
        .items
        .iter()
        .map(|u| throttle::account_key(&u.email))
        .collect();
    let locked: HashMap<String, chrono::DateTime<Utc>> = login_throttle::Entity::find()
        .filter(login_throttle::Column::Key.is_in(keys))
        .filter(login_throttle::Column::BlockedUntil.gt(Utc::now()))
        .all(&ctx.db)
        .await?
        .into_iter()
        .filter_map(|t| t.blocked_until.map(|until| (t.key, until)))
        .collect();
    let people = std::mem::take(&mut found.items)
        .into_iter()
        .map(|user| Person {
            locked_until: locked.get(&throttle::account_key(&user.email)).copied(),
            user,
        })
        .collect();
    Ok(found.with(people))
}

pub async fn unlock(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<()> {
    let (me, person) = managed(ctx, actor, id).await?;
    throttle::clear(&ctx.db, &throttle::account_key(&person.email)).await?;
    tracing::info!(user = person.id, by = me.id(), "sign-in throttle cleared");
    Ok(())
}

/// Everyone active in the caller's company, names in natural order, as `(id, name, role)` — what
/// pickers (mentor, mentee, form recipients) offer. Admins and mentors may list; at most 2,000.
pub async fn choices(ctx: &Ctx, actor: Option<&Actor>) -> Result<Vec<(i32, String, Role)>> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let company = me.user.company_id.unwrap_or(-1);
    policy::require_visible(actor, company, Action::ViewCompany(company), "company")?;
    policy::require(actor, Action::PickUsers(company))?;
    Ok(user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Name, user::Column::Role])
        .filter(user::Column::CompanyId.eq(company))
        .filter(user::Column::IsActive.eq(true))
        .order_by_asc(user::Column::NameKey)
        .order_by_asc(user::Column::Id)
        .limit(2_000)
        .into_tuple()
        .all(&ctx.db)
        .await?)
}
