//! `/workspaces/:id`: one workspace — its files (with a preview of the one chosen), its
//! JupyterLab and its notebook runs — and its settings (rename, delete after typing its name).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::files::FileBrowser;
use super::jupyter::JupyterPanel;
use super::runs::RunsPanel;
use super::usage_bar;
use crate::api::workspaces::{load_workspace, DeleteWorkspace, FolderQuery, UpdateWorkspace};
use crate::components::form::FormAlert;
use crate::components::layout::{Layout, RequireUser};
use crate::components::ui::{Dialog, DialogButton, NoScriptRefresh};
use crate::form_state::{form_error, route_id};
use crate::i18n::use_i18n;
use crate::pages::workspaces::tr;

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let i = use_i18n();
    let id = route_id();
    let query = use_query_map();
    let folder = Memo::new(move |_| {
        let q = query.read();
        FolderQuery {
            path: q.get("path").unwrap_or_default(),
            sort: q.get("sort"),
            order: q.get("order"),
            file: q.get("file"),
        }
    });
    // Bumped by the file browser's actions and uploads: the folder is read again.
    let changed = RwSignal::new(0u32);
    // What the file browser's selection did, shown by the browser drawn after it.
    let report = RwSignal::new(None::<crate::api::workspaces::SelectionDone>);
    let view = Resource::new_blocking(
        move || (id.get(), folder.get(), changed.get()),
        |(id, folder, _)| load_workspace(id, folder),
    );
    view! {
        <RequireUser let:user>
            <Layout user=user>
                <Transition fallback=move || view! { <p class="loading">{tr(i, "common.loading")}</p> }>
                    {move || Suspend::new(async move {
                        match view.await {
                            Ok(v) => {
                                let ws = v.workspace.clone();
                                // Without JavaScript nothing polls: the page reloads itself while
                                // JupyterLab or a run is on its way.
                                let in_progress = matches!(v.jupyter.state.as_str(), "starting" | "stopping")
                                    || v.runs.iter().any(|r| matches!(r.status.as_str(), "queued" | "running"));
                                view! {
                                    <Title text=ws.name.clone() />
                                    {in_progress.then(|| view! { <NoScriptRefresh seconds=3 /> })}
                                    <nav class="crumbs" aria-label=tr(i, "files.breadcrumbs")>
                                        <a href="/workspaces">{tr(i, "workspaces.title")}</a>
                                    </nav>
                                    <div class="page-head">
                                        <div>
                                            <h1>{ws.name.clone()}</h1>
                                            {(!ws.description.is_empty()).then(|| view! { <p class="lead">{ws.description.clone()}</p> })}
                                        </div>
                                        <Settings workspace=ws.clone() />
                                    </div>
                                    {usage_bar(i, &v.usage)}
                                    <FileBrowser id=ws.id view=v.clone() folder=folder.get_untracked() changed report />
                                    <div class="split">
                                        <JupyterPanel id=ws.id initial=v.jupyter.clone() />
                                        <RunsPanel id=ws.id initial=v.runs.clone() notebooks=v.notebooks.clone() />
                                    </div>
                                }.into_any()
                            }
                            Err(e) => view! {
                                <Title text=tr(i, "workspaces.title") />
                                <h1>{tr(i, "workspaces.title")}</h1>
                                <p class="alert error" role="alert">{i.error(&e)}</p>
                                <p><a href="/workspaces">{tr(i, "workspaces.back")}</a></p>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </Layout>
        </RequireUser>
    }
}

/// Rename and describe, or delete (after typing the name).
#[component]
fn Settings(workspace: entity::workspace::Workspace) -> impl IntoView {
    let i = use_i18n();
    let update = ServerAction::<UpdateWorkspace>::new();
    let delete = ServerAction::<DeleteWorkspace>::new();
    let update_error = form_error(update.value());
    let delete_error = form_error(delete.value());
    Effect::new(move |_| {
        if let Some(Ok(())) = update.value().get() {
            let _ = window().location().reload();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            let _ = window().location().set_href("/workspaces");
        }
    });
    let refused_delete = delete_error
        .get_untracked()
        .is_some_and(|e| e.field("confirm").is_some());
    let name = workspace.name.clone();
    let confirm_hint = tr(i, "workspaces.delete_confirm").replace("{name}", &name);
    view! {
        <div class="actions">
            <DialogButton target="workspace-settings" class="btn ghost">{tr(i, "workspaces.settings")}</DialogButton>
            <DialogButton target="workspace-delete" class="btn quiet-danger">{tr(i, "workspaces.delete")}</DialogButton>
        </div>
        <Dialog id="workspace-settings" title=tr(i, "workspaces.settings") close_label=tr(i, "common.close")>
            <FormAlert error=update_error />
            <ActionForm action=update attr:class="stack">
                <input type="hidden" name="id" value=workspace.id />
                <label for="ws-name">{tr(i, "field.name")}</label>
                <input id="ws-name" name="name" value=workspace.name.clone() required=true maxlength="100" />
                <label for="ws-description">{tr(i, "field.description")}</label>
                <textarea id="ws-description" name="description" rows="3">{workspace.description.clone()}</textarea>
                <button type="submit" class="btn primary">{tr(i, "common.save")}</button>
            </ActionForm>
        </Dialog>
        <Dialog id="workspace-delete" title=tr(i, "workspaces.delete") close_label=tr(i, "common.close") open=refused_delete>
            <p>{tr(i, "workspaces.delete_warning")}</p>
            <FormAlert error=delete_error />
            <ActionForm action=delete attr:class="stack">
                <input type="hidden" name="id" value=workspace.id />
                <label for="ws-confirm">{confirm_hint}</label>
                <input id="ws-confirm" name="confirm" autocomplete="off" required=true data-testid="delete-confirm" />
                {move || delete_error.get().and_then(|e| e.field("confirm").map(|f| i.field_error(&f.code, &f.message))).map(|m| view! { <p class="field-error">{m}</p> })}
                <button type="submit" class="btn danger">{tr(i, "workspaces.delete_submit")}</button>
            </ActionForm>
        </Dialog>
    }
    .into_any()
}
