use entity::{user, Page};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the people page filters by; mirrors its query string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserFilter {
    pub q: String,
    pub role: String,
    pub active: String,
    pub page: u64,
}

#[server(prefix = "/api/fn", endpoint = "list_users")]
pub async fn list_users(filter: UserFilter) -> Result<Page<user::Person>, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let query = service::users::UserQuery {
        q: Some(filter.q).filter(|q| !q.is_empty()),
        // A filter left at "any" (or tampered with) filters nothing.
        role: filter.role.parse().ok(),
        active: match filter.active.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        ..Default::default()
    };
    let page = entity::PageRequest::new(Some(filter.page), Some(20));
    Ok(service::users::people(&ctx, info.actor.as_ref(), query, page).await?)
}

/// The edit dialog: name, role and department at once (the REST twin is `PATCH /users/{id}`).
#[server(prefix = "/api/fn", endpoint = "update_user")]
pub async fn update_user(
    id: i32,
    name: String,
    role: String,
    /// Form text: empty means no department.
    department_id: Option<String>,
) -> Result<user::Model, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let department = department_id.unwrap_or_default();
    let result = match service::users::parse_role(&role) {
        Ok(role) => {
            let patch = service::users::UserPatch {
                name: Some(name),
                role: Some(role),
                department_id: Some(department.trim().parse().ok()),
                ..Default::default()
            };
            service::users::update(&ctx, info.actor.as_ref(), id, patch).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(updated) => {
            ssr::continue_to("/admin/users?done=updated");
            Ok(updated)
        }
        Err(e) => Err(ssr::fail(e, "/admin/users", &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "set_active")]
pub async fn set_active(id: i32, active: bool) -> Result<user::Model, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let patch = service::users::UserPatch {
        is_active: Some(active),
        ..Default::default()
    };
    match service::users::update(&ctx, info.actor.as_ref(), id, patch).await {
        Ok(updated) => {
            ssr::continue_to("/admin/users?done=updated");
            Ok(updated)
        }
        Err(e) => Err(ssr::fail(e, "/admin/users", &[])),
    }
}

/// Resets a password; the temporary one comes back to the script, or, without JavaScript,
/// waits in the session to be shown once (never in a URL).
#[server(prefix = "/api/fn", endpoint = "reset_password")]
pub async fn reset_password(id: i32) -> Result<String, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::users::reset_password(&ctx, info.actor.as_ref(), id).await {
        Ok(temporary) => {
            if ssr::is_plain_form_post() {
                let person = service::users::get(&ctx, info.actor.as_ref(), id).await?;
                ssr::put_flash(ssr::RESET_FLASH, (person.email, temporary.clone())).await?;
                ssr::continue_to("/admin/users?done=reset");
            }
            Ok(temporary)
        }
        Err(e) => Err(ssr::fail(e, "/admin/users", &[])),
    }
}

/// Lets a locked-out person sign in again now.
#[server(prefix = "/api/fn", endpoint = "unlock_user")]
pub async fn unlock_user(id: i32) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::users::unlock(&ctx, info.actor.as_ref(), id).await {
        Ok(()) => {
            ssr::continue_to("/admin/users?done=unlocked");
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, "/admin/users", &[])),
    }
}

/// The (email, temporary password) a no-JavaScript reset left, once.
#[server(prefix = "/api/fn", endpoint = "take_reset_flash")]
pub async fn take_reset_flash() -> Result<Option<(String, String)>, AppError> {
    super::ssr::take_flash(super::ssr::RESET_FLASH).await
}

#[server(prefix = "/api/fn", endpoint = "create_user")]
pub async fn create_user(
    email: String,
    name: String,
    role: String,
    password: String,
    /// Form text: empty or absent means no department.
    department_id: Option<String>,
) -> Result<user::Model, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let department = department_id.unwrap_or_default();
    let keep = [
        ("email", email.as_str()),
        ("name", name.as_str()),
        ("role", role.as_str()),
        ("department_id", department.as_str()),
    ];
    let role = match service::users::parse_role(&role) {
        Ok(role) => role,
        Err(e) => return Err(ssr::fail(e, "/admin/users", &keep)),
    };
    let input = service::users::NewUser {
        department_id: department.trim().parse().ok(),
        ..service::users::NewUser::new(&email, &name, role, &password)
    };
    match service::users::create_user(&ctx, info.actor.as_ref(), input).await {
        Ok(created) => {
            ssr::continue_to("/admin/users?done=created");
            Ok(created)
        }
        Err(e) => Err(ssr::fail(e, "/admin/users", &keep)),
    }
}
