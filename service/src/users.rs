//! Accounts: creating them (admin or open registration), changing passwords, ending sessions.

use chrono::Utc;
use entity::{credential, user, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionSession, TransactionTrait,
};
use serde::Deserialize;

use crate::auth::{password, tokens};
use crate::error::Problems;
use crate::policy::{self, Action};
use crate::{Actor, Ctx, Registration, Result, ServiceError};

pub const NAME_MAX: usize = 100;
pub const EMAIL_MAX: usize = 254;

#[derive(Debug, Clone, Deserialize)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password: String,
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
                && !email.chars().any(char::is_whitespace)
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
    if name.is_empty() {
        problems.add("name", "required", "enter a name");
    } else if name.chars().count() > NAME_MAX {
        problems.add(
            "name",
            "too_long",
            format!("use at most {NAME_MAX} characters"),
        );
    }
}

/// Validates and stores a new account with its credential, in one transaction.
pub(crate) async fn insert_user(
    db: &impl TransactionTrait,
    input: NewUser,
    must_change_password: bool,
) -> Result<user::Model> {
    let email = normalize_email(&input.email);
    let name = input.name.trim().to_owned();
    let mut problems = Problems::default();
    check_email(&mut problems, &email);
    check_name(&mut problems, &name);
    problems.extend(password::check_rules("password", &input.password, &email));
    problems.into_result()?;

    let hash = password::hash(&input.password).await?;
    let txn = db.begin().await?;
    if email_taken(&txn, &email).await? {
        return Err(email_taken_error());
    }
    let now = Utc::now();
    let created = user::ActiveModel {
        email: Set(email),
        name: Set(name),
        role: Set(input.role),
        is_active: Set(true),
        token_version: Set(0),
        must_change_password: Set(must_change_password),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| match ServiceError::from(e) {
        // Lost a race with another insert of the same email.
        ServiceError::Conflict(_) => email_taken_error(),
        other => other,
    })?;
    credential::ActiveModel {
        user_id: Set(created.id),
        password_hash: Set(hash),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
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

/// An admin creates an account with any role.
pub async fn create_user(ctx: &Ctx, actor: Option<&Actor>, input: NewUser) -> Result<user::Model> {
    policy::require(actor, Action::CreateUser(input.role))?;
    let created = insert_user(&ctx.db, input, false).await?;
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
/// mentees; an admin can promote them.
pub async fn register(ctx: &Ctx, input: SignUp) -> Result<user::Model> {
    if ctx.settings.registration != Registration::Open {
        return Err(ServiceError::Forbidden);
    }
    let created = insert_user(
        &ctx.db,
        NewUser {
            email: input.email,
            name: input.name,
            role: Role::Mentee,
            password: input.password,
        },
        false,
    )
    .await?;
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
    let txn = ctx.db.begin().await?;
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
    tracing::info!(user = actor.id(), "password changed; other sessions ended");
    Ok(user)
}

/// Ends every session and token of the caller, this one included.
pub async fn logout_everywhere(ctx: &Ctx, actor: Option<&Actor>) -> Result<user::Model> {
    let actor = policy::require(actor, Action::LogoutEverywhere)?;
    let txn = ctx.db.begin().await?;
    let user = bump_token_version(&txn, actor.id(), false).await?;
    tokens::revoke_all_for_user(&txn, actor.id()).await?;
    txn.commit().await?;
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

/// The caller's own account.
pub async fn me(actor: Option<&Actor>) -> Result<user::Model> {
    Ok(policy::require(actor, Action::ViewOwnAccount)?.user.clone())
}

pub async fn list_users(ctx: &Ctx, actor: Option<&Actor>) -> Result<Vec<user::Model>> {
    policy::require(actor, Action::ListUsers)?;
    Ok(user::Entity::find()
        .order_by_asc(user::Column::Id)
        .all(&ctx.db)
        .await?)
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(user::Entity::find().count(db).await?)
}

/// Someone with shell access to the server (`nuri admin create`): trusted like the database itself.
pub async fn create_by_operator(ctx: &Ctx, input: NewUser) -> Result<user::Model> {
    let created = insert_user(&ctx.db, input, false).await?;
    tracing::info!(user = created.id, role = %created.role, "user created from the command line");
    Ok(created)
}
