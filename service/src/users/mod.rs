//! Users: accounts (created by an admin or by open registration, passwords, ending sessions) here;
//! admins finding and managing their company's users in `manage`.

mod manage;

pub(crate) use manage::contains_pattern;
pub use manage::{
    choices, get, list, people, reset_password, unlock, update, UserPatch, UserQuery, SEARCH_MAX,
    SORTS,
};

use chrono::Utc;
use entity::account::Account;
use entity::{credential, user, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use serde::Deserialize;

use crate::auth::{password, tokens};
use crate::error::Problems;
use crate::policy::{self, capabilities, Action, Caller};
use crate::{Actor, Ctx, Registration, Result, ServiceError};

pub const NAME_MAX: usize = 100;
pub const EMAIL_MAX: usize = 254;

#[derive(Debug, Clone, Deserialize)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password: String,
    /// Defaults to the creating admin's company.
    #[serde(default)]
    pub company_id: Option<i32>,
    #[serde(default)]
    pub department_id: Option<i32>,
}

/// Reads a role as every door, the CLI and the import receive it, with the field error for `role`.
pub fn parse_role(raw: &str) -> Result<Role> {
    Ok(crate::error::parse("role", raw)?)
}

impl NewUser {
    pub fn new(email: &str, name: &str, role: Role, password: &str) -> Self {
        NewUser {
            email: email.into(),
            name: name.into(),
            role,
            password: password.into(),
            company_id: None,
            department_id: None,
        }
    }
}

/// Where a new account goes.
pub(crate) struct Placement {
    pub company_id: Option<i32>,
    pub platform_admin: bool,
}

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn check_email(problems: &mut Problems, email: &str) {
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if email.is_empty() {
        problems.add("email", "required", "enter an email address");
    } else if email.chars().count() > EMAIL_MAX {
        problems.add(
            "email",
            "too_long",
            format!("use at most {EMAIL_MAX} characters"),
        );
    } else if !valid {
        problems.add(
            "email",
            "invalid_email",
            "enter an email address like name@example.com",
        );
    }
}

fn check_name(problems: &mut Problems, name: &str) {
    problems.line("name", name, true, NAME_MAX);
}

/// The email and name rules of a new account (the email already normalised).
pub(crate) fn check_identity(email: &str, name: &str) -> Vec<entity::FieldError> {
    let mut problems = Problems::default();
    check_email(&mut problems, email);
    check_name(&mut problems, name.trim());
    problems.into_vec()
}

/// Validates and stores a new account with its credential, in one transaction.
pub(crate) async fn insert_user(
    db: &(impl TransactionTrait + ConnectionTrait),
    input: NewUser,
    placement: Placement,
    must_change_password: bool,
) -> Result<user::Model> {
    let checked = check(input)?;
    // A taken email is refused before the costly hash (`store` checks again, for a racing twin).
    if email_taken(db, &checked.email).await? {
        return Err(email_taken_error());
    }
    let prepared = checked.hash().await?;
    let txn = crate::db::begin(db).await?;
    let created = store(&txn, prepared, placement, must_change_password).await?;
    txn.commit().await?;
    Ok(created)
}

/// A new account checked and with its password hashed: ready to store.
pub(crate) struct Prepared {
    email: String,
    name: String,
    role: Role,
    department_id: Option<i32>,
    hash: String,
}

/// A new account that passed its rules, password still in the clear.
pub(crate) struct Checked {
    email: String,
    name: String,
    input: NewUser,
}

/// The rules of a new account, with its email normalised.
pub(crate) fn check(input: NewUser) -> Result<Checked> {
    let email = normalize_email(&input.email);
    let name = input.name.trim().to_owned();
    let mut problems = Problems::default();
    check_email(&mut problems, &email);
    check_name(&mut problems, &name);
    problems.extend(password::check_rules("password", &input.password, &email));
    problems.into_result()?;
    Ok(Checked { email, name, input })
}

impl Checked {
    /// Hashes outside any transaction: argon2 is slow on purpose and must not hold a write lock.
    pub(crate) async fn hash(self) -> Result<Prepared> {
        let hash = password::hash(&self.input.password).await?;
        Ok(Prepared {
            email: self.email,
            name: self.name,
            role: self.input.role,
            department_id: self.input.department_id,
            hash,
        })
    }
}

/// Validates and hashes (import checks every row before it hashes any).
pub(crate) async fn prepare(input: NewUser) -> Result<Prepared> {
    check(input)?.hash().await
}

/// Stores a prepared account and its credential (inside the caller's transaction).
pub(crate) async fn store(
    txn: &impl ConnectionTrait,
    p: Prepared,
    placement: Placement,
    must_change_password: bool,
) -> Result<user::Model> {
    if email_taken(txn, &p.email).await? {
        return Err(email_taken_error());
    }
    if let Some(department) = p.department_id {
        let company = placement.company_id.unwrap_or(-1);
        crate::org::check_department(txn, company, department).await?;
    }
    let now = Utc::now();
    let created = user::ActiveModel {
        email: Set(p.email),
        name_key: Set(entity::natural::key(&p.name)),
        name: Set(p.name),
        role: Set(p.role),
        company_id: Set(placement.company_id),
        department_id: Set(p.department_id),
        is_platform_admin: Set(placement.platform_admin),
        is_active: Set(true),
        token_version: Set(0),
        must_change_password: Set(must_change_password),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| match ServiceError::from(e) {
        // Lost a race with another insert of the same email.
        ServiceError::Conflict(_) => email_taken_error(),
        other => other,
    })?;
    credential::ActiveModel {
        user_id: Set(created.id),
        password_hash: Set(p.hash),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(created)
}

async fn email_taken(db: &impl ConnectionTrait, email: &str) -> Result<bool> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .count(db)
        .await?
        > 0)
}

fn email_taken_error() -> ServiceError {
    ServiceError::Conflict(entity::FieldError::new(
        "email",
        "taken",
        "an account with this email already exists",
    ))
}

/// An admin creates an account with any role in their company (the platform admin: in any).
pub async fn create_user(ctx: &Ctx, actor: Option<&Actor>, input: NewUser) -> Result<user::Model> {
    let signed_in = policy::require(actor, Action::ViewOwnAccount)?;
    let company = input
        .company_id
        .or(signed_in.user.company_id)
        .ok_or_else(|| ServiceError::invalid("company_id", "required", "choose a company"))?;
    policy::require(
        actor,
        Action::CreateUser {
            role: input.role,
            company,
        },
    )?;
    if entity::company::Entity::find_by_id(company)
        .one(&ctx.db)
        .await?
        .is_none()
    {
        return Err(ServiceError::invalid(
            "company_id",
            "unknown_company",
            "no such company",
        ));
    }
    let placement = Placement {
        company_id: Some(company),
        platform_admin: false,
    };
    let created = insert_user(&ctx.db, input, placement, false).await?;
    tracing::info!(user = created.id, role = %created.role, by = actor.map(|a| a.id()), "user created");
    Ok(created)
}

#[derive(Debug, Clone, Deserialize)]
pub struct SignUp {
    pub email: String,
    pub name: String,
    pub password: String,
}

/// Self-service sign-up, only when the instance runs with open registration. New people are
/// mentees of the oldest company; an admin can promote or move them.
pub async fn register(ctx: &Ctx, input: SignUp) -> Result<user::Model> {
    if ctx.settings.registration != Registration::Open {
        return Err(ServiceError::Forbidden);
    }
    let company = crate::org::default_company(&ctx.db).await?;
    let placement = Placement {
        company_id: Some(company.id),
        platform_admin: false,
    };
    let input = NewUser::new(&input.email, &input.name, Role::Mentee, &input.password);
    let created = insert_user(&ctx.db, input, placement, false).await?;
    tracing::info!(user = created.id, "user registered");
    Ok(created)
}

/// Changes the caller's password. Every other session and token of the user stops working;
/// the caller gets the updated user back to re-stamp its own session.
pub async fn change_password(
    ctx: &Ctx,
    actor: Option<&Actor>,
    current: &str,
    new: &str,
) -> Result<user::Model> {
    let actor = policy::require(actor, Action::ChangeOwnPassword)?;
    let hash = credential::Entity::find_by_id(actor.id())
        .one(&ctx.db)
        .await?
        .map(|c| c.password_hash);
    let mut problems = Problems::default();
    if current.is_empty() {
        problems.add(
            "current_password",
            "required",
            "enter your current password",
        );
    } else if current.chars().count() > password::MAX_LEN {
        // No stored password is this long: no argon2 run to find that out.
        problems.add(
            "current_password",
            "too_long",
            format!("use at most {} characters", password::MAX_LEN),
        );
    } else if !password::verify(current, hash).await? {
        problems.add(
            "current_password",
            "wrong_password",
            "the current password is not correct",
        );
    }
    problems.extend(password::check_rules(
        "new_password",
        new,
        &actor.user.email,
    ));
    if !current.is_empty() && current == new {
        problems.add(
            "new_password",
            "unchanged",
            "choose a password different from the current one",
        );
    }
    problems.into_result()?;

    let new_hash = password::hash(new).await?;
    let txn = crate::db::begin(&ctx.db).await?;
    credential::ActiveModel {
        user_id: Set(actor.id()),
        password_hash: Set(new_hash),
        updated_at: Set(Utc::now()),
    }
    .update(&txn)
    .await?;
    let user = bump_token_version(&txn, actor.id(), true).await?;
    tokens::revoke_all_for_user(&txn, actor.id()).await?;
    txn.commit().await?;
    ctx.auth.forget_user(actor.id());
    tracing::info!(user = actor.id(), "password changed; other sessions ended");
    Ok(user)
}

/// Ends every session and token of the caller, this one included.
pub async fn logout_everywhere(ctx: &Ctx, actor: Option<&Actor>) -> Result<user::Model> {
    let actor = policy::require(actor, Action::LogoutEverywhere)?;
    let txn = crate::db::begin(&ctx.db).await?;
    let user = bump_token_version(&txn, actor.id(), false).await?;
    tokens::revoke_all_for_user(&txn, actor.id()).await?;
    txn.commit().await?;
    ctx.auth.forget_user(actor.id());
    tracing::info!(user = actor.id(), "logged out everywhere");
    Ok(user)
}

async fn bump_token_version(
    db: &impl ConnectionTrait,
    user_id: i32,
    password_changed: bool,
) -> Result<user::Model> {
    let current = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound { what: "user" })?;
    let version = current.token_version + 1;
    let mut active: user::ActiveModel = current.into();
    active.token_version = Set(version);
    if password_changed {
        active.must_change_password = Set(false);
    }
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// The caller's own account, with the sections they may use.
pub async fn me(actor: Option<&Actor>) -> Result<Account> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    Ok(Account {
        user: me.user.clone(),
        capabilities: capabilities::account(Caller::from(me), me.user.company_id),
    })
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(user::Entity::find().count(db).await?)
}

/// Someone with shell access to the server (`nuri admin create`): trusted like the database itself.
/// The account joins the oldest company; the first admin made this way runs the platform.
pub async fn create_by_operator(ctx: &Ctx, input: NewUser) -> Result<user::Model> {
    let company = crate::org::default_company(&ctx.db).await?;
    let platform_admin = input.role == Role::Admin
        && user::Entity::find()
            .filter(user::Column::IsPlatformAdmin.eq(true))
            .count(&ctx.db)
            .await?
            == 0;
    let placement = Placement {
        company_id: Some(company.id),
        platform_admin,
    };
    let created = insert_user(&ctx.db, input, placement, false).await?;
    tracing::info!(user = created.id, role = %created.role, "user created from the command line");
    Ok(created)
}
