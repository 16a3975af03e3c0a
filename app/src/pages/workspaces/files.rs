//! The file browser: where one is (breadcrumbs), what is here (sortable by name, size, date),
//! and what to do with it (open, preview, download, rename or move, delete, new folder, upload).
//! Every action is a plain form or link, so all of it works before (and without) JavaScript.

use entity::workspace::{FileEntry, WorkspaceView};
use leptos::prelude::*;

use super::preview::FilePreview;
use super::size;
use super::upload::Uploader;
use crate::api::workspaces::{
    folder_url, DeleteWorkspaceFile, FolderQuery, MakeFolder, MoveWorkspaceFile,
};
use crate::components::form::FormAlert;
use crate::components::icon::{lu, Icon};
use crate::components::ui::{Dialog, DialogButton, EmptyState, RowMenu};
use crate::form_state::form_error;
use crate::i18n::use_i18n;
use crate::pages::workspaces::{tr, tr_count};

fn query_url(id: i32, pairs: &[(&str, &str)]) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    format!("/workspaces/{id}?{}", q.finish())
}

/// The REST download of `path` (a folder comes as a zip).
pub fn download_url(id: i32, path: &str, inline: bool) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("path", path);
    if inline {
        q.append_pair("inline", "true");
    }
    format!("/api/v1/workspaces/{id}/files/content?{}", q.finish())
}

#[component]
pub fn FileBrowser(
    id: i32,
    view: WorkspaceView,
    folder: FolderQuery,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let i = use_i18n();
    let make = ServerAction::<MakeFolder>::new();
    let moved = ServerAction::<MoveWorkspaceFile>::new();
    let deleted = ServerAction::<DeleteWorkspaceFile>::new();
    let error = Signal::derive({
        let a = form_error(make.value());
        let b = form_error(moved.value());
        let c = form_error(deleted.value());
        move || a.get().or_else(|| b.get()).or_else(|| c.get())
    });
    Effect::new(move |_| {
        let ok = matches!(make.value().get(), Some(Ok(())))
            || matches!(moved.value().get(), Some(Ok(())))
            || matches!(deleted.value().get(), Some(Ok(())));
        if ok {
            changed.update(|n| *n += 1);
        }
    });
    let path = view.listing.path.clone();
    let zip_url = download_url(id, &path, false);
    let (crumb_path, form_path, upload_path, preview_path) =
        (path.clone(), path.clone(), path.clone(), path.clone());
    let uploaded = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("uploaded")
        .and_then(|n| n.parse::<u64>().ok());
    view! {
        <section class="card files" aria-labelledby="files-title">
            <div class="card-head">
                <h2 id="files-title">{tr(i, "files.title")}</h2>
                <a class="btn ghost small" href=zip_url download="">
                    {tr(i, "files.download_folder")}
                </a>
            </div>
            <Crumbs id name=view.workspace.name.clone() path=crumb_path />
            {uploaded.map(|n| view! { <p class="alert success" role="status">{tr_count(i, "files.uploaded", n)}</p> })}
            <FormAlert error />
            <Listing id entries=view.listing.entries.clone() folder=folder.clone() moved deleted />
            <div class="file-tools">
                <ActionForm action=make attr:class="inline row-form">
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="path" value=form_path />
                    <label class="visually-hidden" for="new-folder">{tr(i, "files.new_folder")}</label>
                    <input id="new-folder" name="name" placeholder=tr(i, "files.new_folder") required=true maxlength="255" />
                    <button type="submit" class="btn ghost small">{tr(i, "files.new_folder_submit")}</button>
                </ActionForm>
            </div>
            <Uploader id folder=upload_path changed />
        </section>
        {view.preview.map(|(entry, preview)| {
            let close = query_url(id, &[("path", &preview_path)]);
            view! {
                <section class="card preview" aria-labelledby="preview-title" data-testid="preview">
                    <div class="card-head">
                        <h2 id="preview-title">{entry.name.clone()}</h2>
                        <div class="actions">
                            <a class="btn ghost small" href=download_url(id, &entry.path, false) download="">{tr(i, "files.download")}</a>
                            <a class="btn ghost small" href=close>{tr(i, "common.close")}</a>
                        </div>
                    </div>
                    <FilePreview preview download_url=download_url(id, &entry.path, true) name=entry.name.clone() />
                </section>
            }
        })}
    }
    .into_any()
}

/// Where one is, each folder up the way a link.
#[component]
fn Crumbs(id: i32, name: String, path: String) -> impl IntoView {
    let i = use_i18n();
    let mut crumbs = vec![(name, String::new())];
    let mut so_far = String::new();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        if !so_far.is_empty() {
            so_far.push('/');
        }
        so_far.push_str(part);
        crumbs.push((part.to_owned(), so_far.clone()));
    }
    let last = crumbs.len() - 1;
    view! {
        <nav class="crumbs folder-crumbs" aria-label=tr(i, "files.breadcrumbs")>
            <ol>
                {crumbs.into_iter().enumerate().map(|(n, (label, at))| {
                    if n == last {
                        view! { <li aria-current="page">{label}</li> }.into_any()
                    } else {
                        view! { <li><a href=folder_url(id, &at)>{label}</a></li> }.into_any()
                    }
                }).collect_view()}
            </ol>
        </nav>
    }
    .into_any()
}

/// A column header that sorts by `key`, the other way on a second click.
fn sort_header(
    id: i32,
    folder: &FolderQuery,
    key: &'static str,
    label: &'static str,
    numeric: bool,
) -> impl IntoView {
    let current = folder.sort.as_deref().unwrap_or("name") == key;
    let descending = current && folder.order.as_deref() == Some("desc");
    let next = if current && !descending {
        "desc"
    } else {
        "asc"
    };
    let href = query_url(
        id,
        &[("path", &folder.path), ("sort", key), ("order", next)],
    );
    let sort = match (current, descending) {
        (false, _) => None,
        (true, false) => Some("ascending"),
        (true, true) => Some("descending"),
    };
    view! {
        <th scope="col" class:num=numeric aria-sort=sort>
            <a href=href>{label}</a>
        </th>
    }
}

#[component]
fn Listing(
    id: i32,
    entries: Vec<FileEntry>,
    folder: FolderQuery,
    moved: ServerAction<MoveWorkspaceFile>,
    deleted: ServerAction<DeleteWorkspaceFile>,
) -> impl IntoView {
    let i = use_i18n();
    if entries.is_empty() {
        return view! { <EmptyState title=tr(i, "files.empty") /> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table file-table" data-testid="files">
                <thead>
                    <tr>
                        {sort_header(id, &folder, "name", tr(i, "field.name"), false)}
                        {sort_header(id, &folder, "size", tr(i, "files.size"), true)}
                        {sort_header(id, &folder, "modified", tr(i, "files.modified"), false)}
                        <th scope="col"><span class="visually-hidden">{tr(i, "common.actions")}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {entries.into_iter().enumerate().map(|(n, e)| view! {
                        <Row id entry=e n folder=folder.path.clone() moved deleted />
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Row(
    id: i32,
    entry: FileEntry,
    n: usize,
    folder: String,
    moved: ServerAction<MoveWorkspaceFile>,
    deleted: ServerAction<DeleteWorkspaceFile>,
) -> impl IntoView {
    let i = use_i18n();
    let open = if entry.is_dir() {
        folder_url(id, &entry.path)
    } else {
        query_url(id, &[("path", &folder), ("file", &entry.path)])
    };
    let menu_label = format!("{} {}", tr(i, "common.actions"), entry.name);
    let delete_id = format!("delete-file-{n}");
    let delete_target = delete_id.clone();
    let rename_id = format!("rename-{n}");
    let delete_title = tr(i, "files.delete_confirm").replace("{name}", &entry.name);
    let modified = entry
        .modified
        .map(|m| m.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default();
    let is_dir = entry.is_dir();
    let download = download_url(id, &entry.path, false);
    let (name, from, to, doomed) = (
        entry.name.clone(),
        entry.path.clone(),
        entry.path.clone(),
        entry.path.clone(),
    );
    let shown_size = if is_dir {
        String::new()
    } else {
        size(entry.size)
    };
    view! {
        <tr class:folder=is_dir>
            <td class="file-name">
                {if is_dir {
                    view! { <Icon icon=lu::LuFolder class="file-kind" /> }.into_any()
                } else {
                    view! { <Icon icon=lu::LuFile class="file-kind" /> }.into_any()
                }}
                <a href=open>{name}</a>
                {is_dir.then(|| view! { <span class="visually-hidden">{tr(i, "files.folder")}</span> })}
            </td>
            <td class="num">{shown_size}</td>
            <td>{modified}</td>
            <td class="row-actions">
                <RowMenu label=menu_label>
                    <a href=download download="">{tr(i, "files.download")}</a>
                    <ActionForm action=moved attr:class="stack menu-form">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="from" value=from />
                        <label for=rename_id.clone()>{tr(i, "files.move_to")}</label>
                        <input id=rename_id name="to" value=to required=true />
                        <button type="submit" class="btn ghost small">{tr(i, "files.move_submit")}</button>
                    </ActionForm>
                    <DialogButton target=delete_target class="btn quiet-danger small">{tr(i, "common.delete")}</DialogButton>
                </RowMenu>
                <Dialog id=delete_id title=delete_title close_label=tr(i, "common.close")>
                    <p>{if is_dir { tr(i, "files.delete_folder_warning") } else { tr(i, "files.delete_file_warning") }}</p>
                    <ActionForm action=deleted attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="path" value=doomed />
                        <button type="submit" class="btn danger">{tr(i, "common.delete")}</button>
                    </ActionForm>
                </Dialog>
            </td>
        </tr>
    }
    .into_any()
}
