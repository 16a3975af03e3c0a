//! The file browser: where one is (breadcrumbs), what is here (sortable by name, size, date),
//! and what to do with it (open, preview, download, rename, move into another folder, delete,
//! tick several to move or delete at once, new folder, upload). Every action is a plain form or
//! link, so all of it works before (and without) JavaScript.

use entity::workspace::{FileEntry, WorkspaceView};
use leptos::prelude::*;

use super::picker::{
    report_from_query, FileAlert, MovePanel, SelectionBar, SelectionReport, SELECTION_FORM,
};
use super::preview::FilePreview;
use super::size;
use super::upload::Uploader;
use crate::api::workspaces::{
    folder_url, ActOnFiles, DeleteWorkspaceFile, FolderQuery, MakeFolder, RenameWorkspaceFile,
    SelectionDone,
};
use crate::components::icon::{lu, Icon};
use crate::components::ui::{Dialog, DialogButton, EmptyState, RowMenu};
use crate::form_state::{error_from_query, kept_error, running_in_browser};
use crate::i18n::use_i18n;
use crate::pages::workspaces::{tr, tr_count};

fn query_url(id: i32, pairs: &[(&str, &str)]) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    format!("/workspaces/{id}?{}", q.finish())
}

/// The folder view's query as it is (so opening or closing the move panel reads nothing again),
/// with `move` when the panel is to show.
fn view_pairs<'a>(folder: &'a FolderQuery, moving: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    let mut pairs = vec![("path", folder.path.as_str())];
    pairs.extend(folder.sort.as_deref().map(|s| ("sort", s)));
    pairs.extend(folder.order.as_deref().map(|o| ("order", o)));
    pairs.extend(folder.file.as_deref().map(|f| ("file", f)));
    pairs.extend(moving.map(|m| ("move", m)));
    pairs
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
    /// What the last selection did, kept while the folder is read again after it.
    report: RwSignal<Option<SelectionDone>>,
) -> impl IntoView {
    let i = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let moving = Memo::new(move |_| query.read().get("move").filter(|m| !m.is_empty()));
    // A refusal without JavaScript comes back in the URL: to the move panel when it was its
    // post (the URL names the entry), to the browser's alert otherwise.
    let (refused_move, refused) = match moving.get_untracked() {
        Some(_) => (error_from_query(), None),
        None => (None, error_from_query()),
    };
    let make = ServerAction::<MakeFolder>::new();
    let renamed = ServerAction::<RenameWorkspaceFile>::new();
    let deleted = ServerAction::<DeleteWorkspaceFile>::new();
    let selection = ServerAction::<ActOnFiles>::new();
    let error = Signal::derive({
        let a = kept_error(make.value(), refused.clone());
        let b = kept_error(renamed.value(), refused.clone());
        let c = kept_error(deleted.value(), refused.clone());
        let d = kept_error(selection.value(), refused);
        move || {
            a.get()
                .or_else(|| b.get())
                .or_else(|| c.get())
                .or_else(|| d.get())
        }
    });
    Effect::new(move |_| {
        let ok = matches!(make.value().get(), Some(Ok(())))
            || matches!(renamed.value().get(), Some(Ok(())))
            || matches!(deleted.value().get(), Some(Ok(())));
        if ok {
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(done)) = selection.value().get() {
            report.set(Some(done));
            changed.update(|n| *n += 1);
        }
    });
    // Shown once: the browser drawn after the next change starts without it.
    let shown_report = report
        .try_update_untracked(Option::take)
        .flatten()
        .map(|done| (done, 0))
        .or_else(report_from_query);
    let selected = RwSignal::new(Vec::<String>::new());
    let path = view.listing.path.clone();
    let zip_url = download_url(id, &path, false);
    let (crumb_path, form_path, upload_path, preview_path, bar_path) = (
        path.clone(),
        path.clone(),
        path.clone(),
        path.clone(),
        path.clone(),
    );
    let close_move = query_url(id, &view_pairs(&folder, None));
    let picker_folders = view.folders.clone();
    let uploaded = query
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
            {shown_report.map(|(done, failed)| view! { <SelectionReport done failed /> })}
            <FileAlert error />
            {move || moving.get().map(|from| view! {
                <MovePanel id from folders=picker_folders.clone() close=close_move.clone()
                    refused=refused_move.clone() changed />
            })}
            {(!view.listing.entries.is_empty()).then(|| view! {
                <SelectionBar id folder=bar_path folders=view.folders.clone() action=selection selected />
            })}
            <Listing id entries=view.listing.entries.clone() folder=folder.clone() renamed deleted selected />
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
    renamed: ServerAction<RenameWorkspaceFile>,
    deleted: ServerAction<DeleteWorkspaceFile>,
    selected: RwSignal<Vec<String>>,
) -> impl IntoView {
    let i = use_i18n();
    if entries.is_empty() {
        return view! { <EmptyState title=tr(i, "files.empty") /> }.into_any();
    }
    let in_browser = running_in_browser();
    let every: Vec<String> = entries.iter().map(|e| e.path.clone()).collect();
    let total = every.len();
    // "Select all" needs a script to tick the others, so it is only drawn once one runs.
    let select_all =
        move || {
            let every = every.clone();
            in_browser.get().then(|| view! {
            <input type="checkbox" data-testid="select-all" aria-label=tr(i, "files.select_all")
                prop:checked=move || selected.with(|s| s.len() == total)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    selected.set(if on { every.clone() } else { Vec::new() });
                } />
        })
        };
    view! {
        <div class="table-scroll">
            <table class="table file-table" data-testid="files">
                <thead>
                    <tr>
                        <th scope="col" class="pick">
                            {select_all}
                            <span class="visually-hidden">{tr(i, "files.select")}</span>
                        </th>
                        {sort_header(id, &folder, "name", tr(i, "field.name"), false)}
                        {sort_header(id, &folder, "size", tr(i, "files.size"), true)}
                        {sort_header(id, &folder, "modified", tr(i, "files.modified"), false)}
                        <th scope="col"><span class="visually-hidden">{tr(i, "common.actions")}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {entries.into_iter().enumerate().map(|(n, e)| view! {
                        <Row id entry=e n folder=folder.clone() renamed deleted selected />
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
    folder: FolderQuery,
    renamed: ServerAction<RenameWorkspaceFile>,
    deleted: ServerAction<DeleteWorkspaceFile>,
    selected: RwSignal<Vec<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let open = if entry.is_dir() {
        folder_url(id, &entry.path)
    } else {
        query_url(id, &[("path", &folder.path), ("file", &entry.path)])
    };
    let move_url = query_url(id, &view_pairs(&folder, Some(&entry.path)));
    let menu_label = format!("{} {}", tr(i, "common.actions"), entry.name);
    let pick_label = format!("{} {}", tr(i, "files.select"), entry.name);
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
    let (name, old_name, path, doomed) = (
        entry.name.clone(),
        entry.name.clone(),
        entry.path.clone(),
        entry.path.clone(),
    );
    let (ticked, toggled) = (entry.path.clone(), entry.path.clone());
    let shown_size = if is_dir {
        String::new()
    } else {
        size(entry.size)
    };
    view! {
        <tr class:folder=is_dir>
            <td class="pick">
                <input type="checkbox" form=SELECTION_FORM name="paths[]" value=entry.path.clone()
                    aria-label=pick_label data-testid="pick"
                    prop:checked=move || selected.with(|s| s.contains(&ticked))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| {
                            s.retain(|p| p != &toggled);
                            if on {
                                s.push(toggled.clone());
                            }
                        });
                    } />
            </td>
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
                    <a class="menu-item" href=download download="">{tr(i, "files.download")}</a>
                    <a class="menu-item" href=move_url data-testid="move-link">{tr(i, "files.move_link")}</a>
                    <ActionForm action=renamed attr:class="stack menu-form">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="path" value=path />
                        <label for=rename_id.clone()>{tr(i, "files.rename_to")}</label>
                        <input id=rename_id name="name" value=old_name required=true maxlength="255" />
                        <button type="submit" class="btn ghost small">{tr(i, "files.rename_submit")}</button>
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
