use entity::account::Account;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::form_state::KeptForm;

/// Facts about the instance the sign-in pages need.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Site {
    pub registration_open: bool,
    pub needs_setup: bool,
    pub version: String,
}

#[server(prefix = "/api/fn", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<Account>, AppError> {
    let (_, info) = super::ssr::context()?;
    match info.actor {
        None => Ok(None),
        Some(actor) => Ok(Some(service::users::me(Some(&actor)).await?)),
    }
}

#[server(prefix = "/api/fn", endpoint = "site_info")]
pub async fn site_info() -> Result<Site, AppError> {
    let (ctx, _) = super::ssr::context()?;
    Ok(Site {
        registration_open: ctx.settings.registration == service::Registration::Open,
        needs_setup: service::setup::needs_setup(&ctx).await?,
        version: service::health::VERSION.to_owned(),
    })
}

#[server(prefix = "/api/fn", endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<String, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::auth::login(&ctx, &email, &password, info.client_ip).await {
        Ok(user) => {
            ssr::sign_in(&user).await?;
            Ok(ssr::continue_to(&service::links::safe_next(
                next.as_deref(),
            )))
        }
        Err(e) => {
            // `next` is a path of this site and stays in the URL; the email does not.
            let page = match next.as_deref().filter(|n| !n.is_empty()) {
                Some(n) => format!(
                    "/login?next={}",
                    form_urlencoded::byte_serialize(n.as_bytes()).collect::<String>()
                ),
                None => "/login".to_owned(),
            };
            Err(ssr::fail_privately(e, &page, &[("email", &email)]).await)
        }
    }
}

/// What a refused sign-in or registration left for `page` (once; `None` for another page's).
#[server(prefix = "/api/fn", endpoint = "take_kept_form")]
pub async fn take_kept_form(page: String) -> Result<Option<KeptForm>, AppError> {
    let kept: Option<KeptForm> = super::ssr::take_flash(super::ssr::FORM_FLASH).await?;
    Ok(kept.filter(|k| k.page.split('?').next() == Some(page.as_str())))
}

#[server(prefix = "/api/fn", endpoint = "logout")]
pub async fn logout() -> Result<String, AppError> {
    super::ssr::sign_out().await?;
    Ok(super::ssr::continue_to("/login"))
}

#[server(prefix = "/api/fn", endpoint = "register")]
pub async fn register(email: String, name: String, password: String) -> Result<String, AppError> {
    use super::ssr;
    let (ctx, _) = ssr::context()?;
    let input = service::users::SignUp {
        email: email.clone(),
        name: name.clone(),
        password,
    };
    match service::users::register(&ctx, input).await {
        Ok(user) => {
            ssr::sign_in(&user).await?;
            Ok(ssr::continue_to("/"))
        }
        Err(e) => {
            Err(ssr::fail_privately(e, "/register", &[("email", &email), ("name", &name)]).await)
        }
    }
}

#[server(prefix = "/api/fn", endpoint = "setup")]
pub async fn complete_setup(
    token: String,
    email: String,
    name: String,
    password: String,
    company: Option<String>,
) -> Result<String, AppError> {
    use super::ssr;
    let (ctx, _) = ssr::context()?;
    let input = service::setup::FirstAdmin {
        token: token.clone(),
        email: email.clone(),
        name: name.clone(),
        password,
        company: company.clone(),
    };
    match service::setup::complete(&ctx, input).await {
        Ok(admin) => {
            ssr::sign_in(&admin).await?;
            Ok(ssr::continue_to("/"))
        }
        Err(e) => Err(ssr::fail(
            e,
            "/setup",
            &[
                ("token", &token),
                ("email", &email),
                ("name", &name),
                ("company", company.as_deref().unwrap_or("")),
            ],
        )),
    }
}

#[server(prefix = "/api/fn", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::users::change_password(
        &ctx,
        info.actor.as_ref(),
        &current_password,
        &new_password,
    )
    .await
    {
        Ok(user) => {
            // Every other session is over; this one carries on under the new token version.
            ssr::sign_in(&user).await?;
            ssr::continue_to("/account?done=password");
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, "/account", &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "logout_everywhere")]
pub async fn logout_everywhere() -> Result<String, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::users::logout_everywhere(&ctx, info.actor.as_ref()).await {
        Ok(_) => {
            ssr::sign_out().await?;
            Ok(ssr::continue_to("/login"))
        }
        Err(e) => Err(ssr::fail(e, "/account", &[])),
    }
}
