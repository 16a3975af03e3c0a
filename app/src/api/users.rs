use entity::user;
use leptos::prelude::*;

use crate::error::AppError;

#[server(prefix = "/api/fn", endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<user::Model>, AppError> {
    let (ctx, info) = super::ssr::context()?;
    Ok(service::users::list_users(&ctx, info.actor.as_ref()).await?)
}

#[server(prefix = "/api/fn", endpoint = "create_user")]
pub async fn create_user(
    email: String,
    name: String,
    role: String,
    password: String,
) -> Result<user::Model, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let keep = [
        ("email", email.as_str()),
        ("name", name.as_str()),
        ("role", role.as_str()),
    ];
    let Some(role) = entity::Role::parse(&role) else {
        let err = service::ServiceError::invalid(
            "role",
            "invalid_role",
            "choose admin, mentor or mentee",
        );
        return Err(ssr::fail(err, "/admin/users", &keep));
    };
    let input = service::users::NewUser::new(&email, &name, role, &password);
    match service::users::create_user(&ctx, info.actor.as_ref(), input).await {
        Ok(created) => {
            ssr::continue_to("/admin/users?done=created");
            Ok(created)
        }
        Err(e) => Err(ssr::fail(e, "/admin/users", &keep)),
    }
}
