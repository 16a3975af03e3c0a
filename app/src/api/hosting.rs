//! Server functions for hosting and SSH keys: the pages' data and what their buttons do. Each
//! calls the same `service` function as its REST twin; without JavaScript a form posts here and
//! is sent back to its page (with the error, when there is one).

use entity::hosting::{HostingRow, HostingTotal, HostingView};
use entity::ssh_key::SshKey;
use entity::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The admin overview's data: a page of hostings and totals per state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostingOverview {
    pub page: Page<HostingRow>,
    pub totals: Vec<HostingTotal>,
}

#[server(prefix = "/api/fn", endpoint = "load_hosting")]
pub async fn load_hosting() -> Result<HostingView, AppError> {
    let (ctx, info) = super::ssr::context()?;
    Ok(service::hosting::view(&ctx, info.actor.as_ref()).await?)
}

/// `create`, `start`, `stop`, `restart`, `delete` or `retry` on the caller's hosting.
#[server(prefix = "/api/fn", endpoint = "hosting_action")]
pub async fn hosting_action(action: String) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let actor = info.actor.as_ref();
    let done = service::hosting::act_named(&ctx, actor, &action)
        .await
        .map(drop);
    match done {
        Ok(()) => {
            ssr::continue_to("/hosting");
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, "/hosting", &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "load_hosting_overview")]
pub async fn load_hosting_overview(page: Option<u64>) -> Result<HostingOverview, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let req = entity::PageRequest::new(page, None);
    Ok(HostingOverview {
        page: service::hosting::list(&ctx, info.actor.as_ref(), req).await?,
        totals: service::hosting::totals(&ctx, info.actor.as_ref()).await?,
    })
}

/// An admin's `stop` or `delete` of hosting `id`.
#[server(prefix = "/api/fn", endpoint = "force_hosting")]
pub async fn force_hosting(id: i32, action: String) -> Result<(), AppError> {
    use super::ssr;
    use service::hosting::Force;
    let (ctx, info) = ssr::context()?;
    let forced = match Force::parse(&action) {
        Ok(what) => service::hosting::force(&ctx, info.actor.as_ref(), id, what).await,
        Err(e) => Err(e),
    };
    match forced {
        Ok(_) => {
            ssr::continue_to("/admin/hosting");
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, "/admin/hosting", &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "list_ssh_keys")]
pub async fn list_ssh_keys() -> Result<Vec<SshKey>, AppError> {
    let (ctx, info) = super::ssr::context()?;
    Ok(service::ssh_keys::list(&ctx, info.actor.as_ref()).await?)
}

#[server(prefix = "/api/fn", endpoint = "add_ssh_key")]
pub async fn add_ssh_key(public_key: String, name: String) -> Result<SshKey, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let input = entity::ssh_key::NewSshKey {
        public_key: public_key.clone(),
        name: name.clone(),
    };
    match service::ssh_keys::add(&ctx, info.actor.as_ref(), input).await {
        Ok(key) => {
            ssr::continue_to("/account");
            Ok(key)
        }
        Err(e) => Err(ssr::fail(
            e,
            "/account",
            &[("public_key", &public_key), ("name", &name)],
        )),
    }
}

#[server(prefix = "/api/fn", endpoint = "delete_ssh_key")]
pub async fn delete_ssh_key(id: i32) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::ssh_keys::delete(&ctx, info.actor.as_ref(), id).await {
        Ok(()) => {
            ssr::continue_to("/account");
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, "/account", &[])),
    }
}
