use entity::{department, Page};
use leptos::prelude::*;

use crate::error::AppError;

#[server(prefix = "/api/fn", endpoint = "list_departments")]
pub async fn list_departments() -> Result<Page<department::Model>, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let all = entity::PageRequest::new(Some(1), Some(entity::page::MAX_PER_PAGE));
    Ok(service::org::list_departments(&ctx, info.actor.as_ref(), None, all).await?)
}

#[server(prefix = "/api/fn", endpoint = "create_department")]
pub async fn create_department(
    name: String,
    description: Option<String>,
) -> Result<department::Model, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let input = service::org::DepartmentInput {
        name: name.clone(),
        description: description.clone(),
        company_id: None,
    };
    match service::org::create_department(&ctx, info.actor.as_ref(), input).await {
        Ok(created) => {
            ssr::continue_to("/admin/departments?done=created");
            Ok(created)
        }
        Err(e) => Err(ssr::fail(
            e,
            "/admin/departments",
            &[
                ("name", &name),
                ("description", description.as_deref().unwrap_or("")),
            ],
        )),
    }
}

#[server(prefix = "/api/fn", endpoint = "rename_department")]
pub async fn rename_department(id: i32, name: String) -> Result<department::Model, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let patch = service::org::Patch {
        name: Some(name),
        description: None,
    };
    match service::org::update_department(&ctx, info.actor.as_ref(), id, patch).await {
        Ok(updated) => {
            ssr::continue_to("/admin/departments?done=renamed");
            Ok(updated)
        }
        Err(e) => Err(ssr::fail(e, "/admin/departments", &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "delete_department")]
pub async fn delete_department(id: i32) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::org::delete_department(&ctx, info.actor.as_ref(), id).await {
        Ok(()) => {
            ssr::continue_to("/admin/departments?done=deleted");
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, "/admin/departments", &[])),
    }
}
