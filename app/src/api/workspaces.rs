//! Server functions for workspaces: the pages' data, and what their forms do. Uploads do not go
//! through here: the browser streams them to the REST door (with its session cookie) or, without
//! JavaScript, to `/workspaces/{id}/upload`.

use entity::jupyter::JupyterStatus;
use entity::notebook_run::Run;
use entity::workspace::{WorkspaceList, WorkspaceView};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Which folder, in which order, and which file to preview (the page's query).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FolderQuery {
    pub path: String,
    pub sort: Option<String>,
    pub order: Option<String>,
    pub file: Option<String>,
}

/// The page of one folder, `path` percent-encoded for a URL.
pub fn folder_url(id: i32, path: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("path", path);
    format!("/workspaces/{id}?{}", q.finish())
}

#[server(prefix = "/api/fn", endpoint = "list_workspaces")]
pub async fn list_workspaces() -> Result<WorkspaceList, AppError> {
    let (ctx, info) = super::ssr::context()?;
    Ok(service::workspaces::page::list_page(&ctx, info.actor.as_ref()).await?)
}

#[server(prefix = "/api/fn", endpoint = "load_workspace")]
pub async fn load_workspace(id: i32, query: FolderQuery) -> Result<WorkspaceView, AppError> {
    use service::workspaces::files::SortBy;
    let (ctx, info) = super::ssr::context()?;
    let q = service::workspaces::page::ViewQuery {
        sort: SortBy::parse(query.sort.as_deref())?,
        descending: query.order.as_deref() == Some("desc"),
        path: query.path,
        file: query.file,
    };
    Ok(service::workspaces::page::view_page(&ctx, info.actor.as_ref(), id, q).await?)
}

#[server(prefix = "/api/fn", endpoint = "create_workspace")]
pub async fn create_workspace(name: String, description: String) -> Result<i32, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let korean = crate::prefs::Prefs::current().locale == crate::prefs::Locale::Ko;
    let input = service::workspaces::WorkspaceInput {
        name: name.clone(),
        description: Some(description.clone()),
    };
    match service::workspaces::create(&ctx, info.actor.as_ref(), input, korean).await {
        Ok(ws) => {
            ssr::continue_to(&format!("/workspaces/{}", ws.id));
            Ok(ws.id)
        }
        Err(e) => Err(ssr::fail(
            e,
            "/workspaces",
            &[("name", &name), ("description", &description)],
        )),
    }
}

#[server(prefix = "/api/fn", endpoint = "update_workspace")]
pub async fn update_workspace(id: i32, name: String, description: String) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let patch = service::workspaces::WorkspacePatch {
        name: Some(name.clone()),
        description: Some(description.clone()),
    };
    match service::workspaces::update(&ctx, info.actor.as_ref(), id, patch).await {
        Ok(_) => {
            ssr::continue_to(&format!("/workspaces/{id}"));
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, &format!("/workspaces/{id}"), &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "delete_workspace")]
pub async fn delete_workspace(id: i32, confirm: String) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::workspaces::delete_confirmed(&ctx, info.actor.as_ref(), id, &confirm).await {
        Ok(()) => {
            ssr::continue_to("/workspaces");
            Ok(())
        }
        Err(e) => Err(ssr::fail(e, &format!("/workspaces/{id}"), &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "make_folder")]
pub async fn make_folder(id: i32, path: String, name: String) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let back = folder_url(id, &path);
    let result =
        service::workspaces::files::make_folder_named(&ctx, info.actor.as_ref(), id, &path, &name)
            .await;
    match result {
        Ok(_) => {
            ssr::continue_to(&back);
            Ok(())
        }
        Err(e) => Err(ssr::fail(
            e,
            &format!("/workspaces/{id}"),
            &[("path", &path), ("name", &name)],
        )),
    }
}

/// The folder holding `path` (`""` for the root).
#[cfg(feature = "ssr")]
fn folder_of(path: &str) -> String {
    path.rsplit_once('/').map_or("", |(p, _)| p).to_owned()
}

/// Gives `path` a new `name` in its folder.
#[server(prefix = "/api/fn", endpoint = "rename_workspace_file")]
pub async fn rename_workspace_file(id: i32, path: String, name: String) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let folder = folder_of(&path);
    match service::workspaces::files::rename(&ctx, info.actor.as_ref(), id, &path, &name).await {
        Ok(_) => {
            ssr::continue_to(&folder_url(id, &folder));
            Ok(())
        }
        Err(e) => Err(ssr::fail(
            e,
            &format!("/workspaces/{id}"),
            &[("path", &folder)],
        )),
    }
}

/// Moves `from` into the folder `to` (the picker's choice), keeping its name. A refusal without
/// JavaScript comes back to the open picker with the folder still chosen.
#[server(prefix = "/api/fn", endpoint = "move_into_folder")]
pub async fn move_into_folder(id: i32, from: String, to: String) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let folder = folder_of(&from);
    match service::workspaces::files::move_into(&ctx, info.actor.as_ref(), id, &from, &to).await {
        Ok(_) => {
            ssr::continue_to(&folder_url(id, &folder));
            Ok(())
        }
        Err(e) => Err(ssr::fail(
            e,
            &format!("/workspaces/{id}"),
            &[("path", &folder), ("move", &from), ("to", &to)],
        )),
    }
}

/// What the selection form did: `deleted` or `moved`, how many, and what failed (and why).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectionDone {
    pub op: String,
    pub done: u64,
    pub failed: Vec<entity::workspace::ItemFailure>,
}

/// The selection form of the folder `folder`: the ticked rows (`paths[]`), deleted or moved
/// into `to` by the button pressed (`op`). Without JavaScript the folder comes back with the
/// counts in its query (`deleted=2&failed=1`).
#[server(prefix = "/api/fn", endpoint = "act_on_files")]
pub async fn act_on_files(
    id: i32,
    folder: String,
    op: Option<String>,
    paths: Option<Vec<String>>,
    to: Option<String>,
) -> Result<SelectionDone, AppError> {
    use super::ssr;
    use service::workspaces::bulk::{self, Done};
    let (ctx, info) = ssr::context()?;
    let to = to.unwrap_or_default();
    let op = op.unwrap_or_default();
    let paths = paths.unwrap_or_default();
    match bulk::act_named(&ctx, info.actor.as_ref(), id, &op, paths, &to).await {
        Ok(done) => {
            let done = match done {
                Done::Deleted(d) => SelectionDone {
                    op: "deleted".into(),
                    done: d.deleted.len() as u64,
                    failed: d.failed,
                },
                Done::Moved(m) => SelectionDone {
                    op: "moved".into(),
                    done: m.moved.len() as u64,
                    failed: m.failed,
                },
            };
            let back = format!(
                "{}&{}={}&failed={}",
                folder_url(id, &folder),
                done.op,
                done.done,
                done.failed.len()
            );
            ssr::continue_to(&back);
            Ok(done)
        }
        Err(e) => Err(ssr::fail(
            e,
            &format!("/workspaces/{id}"),
            &[("path", &folder)],
        )),
    }
}

#[server(prefix = "/api/fn", endpoint = "delete_workspace_file")]
pub async fn delete_workspace_file(id: i32, path: String) -> Result<(), AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let folder = folder_of(&path);
    match service::workspaces::files::delete(&ctx, info.actor.as_ref(), id, &path).await {
        Ok(()) => {
            ssr::continue_to(&folder_url(id, &folder));
            Ok(())
        }
        Err(e) => Err(ssr::fail(
            e,
            &format!("/workspaces/{id}"),
            &[("path", &folder)],
        )),
    }
}

#[server(prefix = "/api/fn", endpoint = "load_jupyter")]
pub async fn load_jupyter(id: i32) -> Result<JupyterStatus, AppError> {
    let (ctx, info) = super::ssr::context()?;
    Ok(service::jupyter::status(&ctx, info.actor.as_ref(), id).await?)
}

#[server(prefix = "/api/fn", endpoint = "start_jupyter")]
pub async fn start_jupyter(id: i32) -> Result<JupyterStatus, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::jupyter::start(&ctx, info.actor.as_ref(), id).await {
        Ok(s) => {
            ssr::continue_to(&format!("/workspaces/{id}"));
            Ok(s)
        }
        Err(e) => Err(ssr::fail(e, &format!("/workspaces/{id}"), &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "stop_jupyter")]
pub async fn stop_jupyter(id: i32) -> Result<JupyterStatus, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::jupyter::stop(&ctx, info.actor.as_ref(), id).await {
        Ok(s) => {
            ssr::continue_to(&format!("/workspaces/{id}"));
            Ok(s)
        }
        Err(e) => Err(ssr::fail(e, &format!("/workspaces/{id}"), &[])),
    }
}

#[server(prefix = "/api/fn", endpoint = "list_runs")]
pub async fn list_runs(id: i32) -> Result<Vec<Run>, AppError> {
    let (ctx, info) = super::ssr::context()?;
    let page = entity::PageRequest::new(Some(1), Some(10));
    Ok(
        service::workspaces::runs::list(&ctx, info.actor.as_ref(), id, page)
            .await?
            .items,
    )
}

/// The notebooks ticked to run (`run[notebooks][]`, in the page's order).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunChoice {
    #[serde(default)]
    pub notebooks: Vec<String>,
}

/// Runs the chosen notebooks in the order given.
#[server(prefix = "/api/fn", endpoint = "start_run")]
pub async fn start_run(id: i32, run: RunChoice) -> Result<Run, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let input = service::workspaces::runs::RunInput {
        notebooks: run.notebooks,
    };
    match service::workspaces::runs::start(&ctx, info.actor.as_ref(), id, input).await {
        Ok(run) => {
            ssr::continue_to(&format!("/workspaces/{id}#runs"));
            Ok(run)
        }
        Err(e) => Err(ssr::fail(e, &format!("/workspaces/{id}"), &[])),
    }
}

/// Cancels a run: a queued one at once, a running one within about a second (the panel polls).
#[server(prefix = "/api/fn", endpoint = "cancel_run")]
pub async fn cancel_run(id: i32, run_id: i32) -> Result<Run, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    match service::workspaces::runs::cancel(&ctx, info.actor.as_ref(), id, run_id).await {
        Ok(run) => {
            ssr::continue_to(&format!("/workspaces/{id}#runs"));
            Ok(run)
        }
        Err(e) => Err(ssr::fail(e, &format!("/workspaces/{id}"), &[])),
    }
}
