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
    // No account has a longer email or password: refused before any throttle or argon2 work.
    if email.chars().count() > crate::users::EMAIL_MAX {
        let max = crate::users::EMAIL_MAX;
        problems.add("email", "too_long", format!("use at most {max} characters"));
    }
    if password.chars().count() > password::MAX_LEN {
        let max = password::MAX_LEN;
        problems.add(
            "password",
            "too_long",
            format!("use at most {max} characters"),
        );
    }
    problems.into_result()?;

    let account = throttle::Limit {
        key: throttle::account_key(&email),
        limit: throttle::ACCOUNT_LIMIT,
    };
    let address = client.map(|a| throttle::Limit {
        key: throttle::address_key(&a),
        limit: throttle::ADDRESS_LIMIT,
    });
    let keys: Vec<throttle::Limit> = std::iter::once(account.clone()).chain(address).collect();
    // Before any hashing: a burst of parallel guesses gets at most the limit's worth of verdicts.
    throttle::reserve(&ctx.db, &keys).await?;

    let verdict = verify(ctx, &email, password).await;
    match verdict {
        Ok(Some(user)) => {
            throttle::clear(&ctx.db, &account.key).await?;
            for other in &keys[1..] {
                throttle::release(&ctx.db, &other.key).await?;
            }
            if !user.is_active {
                return Err(ServiceError::Unauthenticated {
                    code: "account_disabled",
                    message: "this account has been deactivated",
                });
            }
            Ok(user)
        }
        Ok(None) => {
            throttle::failed(&ctx.db, &keys).await?;
            Err(ServiceError::invalid_credentials())
        }
        Err(e) => {
            // No verdict (the database or the hasher failed): the attempt does not count.
            for k in &keys {
                let _ = throttle::release(&ctx.db, &k.key).await;
            }
            Err(e)
        }
    }
}

/// The account whose password this is, if it is.
async fn verify(ctx: &Ctx, email: &str, password: &str) -> Result<Option<user::Model>> {
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(email))
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
    Ok(found.filter(|_| ok))
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
