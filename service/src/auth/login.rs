use std::net::IpAddr;

use entity::{credential, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{password, throttle};
use crate::error::Problems;
use crate::users::normalize_email;
use crate::{Ctx, Result, ServiceError};

/// Checks an email and password. A wrong password and an unknown email fail alike (same error,
/// same argon2 cost); failures are throttled per account and per client address.
pub async fn login(
    ctx: &Ctx,
    email: &str,
    password: &str,
    client: Option<IpAddr>,
) -> Result<user::Model> {
    let email = normalize_email(email);
    let mut problems = Problems::default();
    if email.is_empty() {
        problems.add("email", "required", "enter your email");
    }
    if password.is_empty() {
        problems.add("password", "required", "enter your password");
    }
    problems.into_result()?;

    let account = throttle::account_key(&email);
    let address = client.map(|a| throttle::address_key(&a));
    let keys: Vec<String> = std::iter::once(account.clone())
        .chain(address.clone())
        .collect();
    throttle::check(&ctx.db, &keys).await?;

    let found = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&ctx.db)
        .await?;
    let hash = match &found {
        Some(u) => credential::Entity::find_by_id(u.id)
            .one(&ctx.db)
            .await?
            .map(|c| c.password_hash),
        None => None,
    };
    let ok = password::verify(password, hash).await?;
    match found {
        Some(user) if ok => {
            throttle::clear(&ctx.db, &account).await?;
            if !user.is_active {
                return Err(ServiceError::Unauthenticated {
                    code: "account_disabled",
                    message: "this account has been deactivated",
                });
            }
            Ok(user)
        }
        _ => {
            throttle::record_failure(&ctx.db, &account, throttle::ACCOUNT_LIMIT).await?;
            if let Some(address) = address {
                throttle::record_failure(&ctx.db, &address, throttle::ADDRESS_LIMIT).await?;
            }
            Err(ServiceError::invalid_credentials())
        }
    }
}

/// The user behind a browser session, if the session is still valid: the account is active and
/// its token version has not moved on (password change, "log out everywhere").
pub async fn resolve_session_user(
    ctx: &Ctx,
    user_id: i32,
    token_version: i32,
) -> Result<Option<user::Model>> {
    let user = user_by_id(ctx, user_id).await?;
    Ok(user.filter(|u| u.is_active && u.token_version == token_version))
}

/// The user row from this process's cache (at most `cache::TTL` old), else the database.
pub(crate) async fn user_by_id(ctx: &Ctx, user_id: i32) -> Result<Option<user::Model>> {
    if let Some(user) = ctx.auth.users.get(&user_id) {
        return Ok(Some(user));
    }
    let stamp = ctx.auth.users.stamp();
    let found = user::Entity::find_by_id(user_id).one(&ctx.db).await?;
    if let Some(user) = &found {
        ctx.auth.users.insert(user_id, user.clone(), stamp);
    }
    Ok(found)
}
