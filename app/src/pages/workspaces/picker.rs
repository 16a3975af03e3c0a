//! Moving and choosing in the file browser: the folder picker (a `<select>` of the workspace's
//! folders, never a typed path), the panel that moves one entry, the selection bar that deletes
//! or moves the ticked rows, and what those did. All plain forms, so they work without
//! JavaScript; with it they post in place and the folder is read again.

use entity::workspace::FolderList;
use leptos::prelude::*;

use crate::api::workspaces::{ActOnFiles, MoveIntoFolder, SelectionDone};
use crate::components::ui::{Dialog, DialogButton};
use crate::error::AppError;
use crate::form_state::{kept, kept_error, running_in_browser};
use crate::i18n::{use_i18n, I18n};
use crate::pages::workspaces::{tr, tr_count};

/// The id of the selection form: the rows' checkboxes join it with `form=` (they sit in the
/// table, where a form cannot wrap them: each row has forms of its own).
pub const SELECTION_FORM: &str = "file-selection";

/// The folder holding `path` (`""` for the root).
pub fn parent_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

/// The `<option>`s of a folder picker, without those `skip` refuses; `chosen` is selected.
fn folder_options(
    i: I18n,
    folders: &FolderList,
    skip: impl Fn(&str) -> bool,
    chosen: &str,
) -> AnyView {
    let options = folders
        .folders
        .iter()
        .filter(|f| !skip(f.as_str()))
        .map(|f| {
            let label = if f.is_empty() {
                tr(i, "files.top_folder").to_owned()
            } else {
                format!("/{f}")
            };
            view! { <option value=f.clone() selected={f.as_str() == chosen}>{label}</option> }
        })
        .collect_view();
    let more = folders
        .truncated
        .then(|| view! { <option disabled=true>{tr(i, "files.more_folders")}</option> });
    (options, more).into_any()
}

/// An error of the file browser's forms: the whole-form text, then what each field says (a
/// path of a selection, the folder chosen, a new name).
#[component]
pub fn FileAlert(error: Signal<Option<AppError>>) -> impl IntoView {
    let i = use_i18n();
    move || {
        error.get().map(|e| {
            let fields: Vec<String> = e
                .fields
                .iter()
                .filter(|f| !f.field.is_empty())
                .map(|f| i.field_error(&f.code, &f.message))
                .collect();
            view! {
                <div class="alert error" role="alert" data-testid="file-error">
                    {fields.is_empty().then(|| i.error(&e))}
                    {fields.into_iter().map(|m| view! { <p>{m}</p> }).collect_view()}
                </div>
            }
        })
    }
}

/// What the selection form did: counts, and each path that could not be done with the reason
/// (after a post without JavaScript only how many: the URL carries no paths a link could forge).
#[component]
pub fn SelectionReport(done: SelectionDone, #[prop(optional)] failed: u64) -> impl IntoView {
    let i = use_i18n();
    let said = match done.op.as_str() {
        "moved" => tr_count(i, "files.moved", done.done),
        _ => tr_count(i, "files.deleted", done.done),
    };
    let failed = failed.max(done.failed.len() as u64);
    let class = if failed == 0 {
        "alert success"
    } else {
        "alert warn"
    };
    view! {
        <div class=class role="status" data-testid="selection-report">
            <p>{said}</p>
            {(failed > 0).then(|| view! {
                <p>{tr_count(i, "files.failed", failed)}</p>
                <ul>
                    {done.failed.into_iter().map(|f| view! {
                        <li><code>{f.path}</code>": "{i.field_error(&f.code, &f.error)}</li>
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}

/// The counts a selection posted without JavaScript came back with (`?deleted=2&failed=1`).
pub fn report_from_query() -> Option<(SelectionDone, u64)> {
    let q = leptos_router::hooks::use_query_map().get_untracked();
    let count = |k: &str| q.get(k).and_then(|n| n.parse::<u64>().ok());
    let (op, done) = match (count("deleted"), count("moved")) {
        (Some(n), _) => ("deleted", n),
        (None, Some(n)) => ("moved", n),
        (None, None) => return None,
    };
    let done = SelectionDone {
        op: op.into(),
        done,
        failed: Vec::new(),
    };
    Some((done, count("failed").unwrap_or(0)))
}

/// The bar above the table: how many rows are ticked (with JavaScript), where to move them,
/// and delete after an explicit confirmation.
#[component]
pub fn SelectionBar(
    id: i32,
    folder: String,
    folders: FolderList,
    action: ServerAction<ActOnFiles>,
    selected: RwSignal<Vec<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let in_browser = running_in_browser();
    let here = folder.clone();
    view! {
        <ActionForm action attr:id=SELECTION_FORM attr:class="selection-bar" attr:data-testid="selection">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="folder" value=folder />
            {move || in_browser.get().then(|| view! {
                <span class="muted" aria-live="polite" data-testid="selected-count">
                    {move || tr_count(i, "files.selected", selected.with(Vec::len) as u64)}
                </span>
            })}
            <label for="selection-to">{tr(i, "files.move_selected_to")}</label>
            <select id="selection-to" name="to" data-testid="selection-to">
                {folder_options(i, &folders, |f| f == here, "")}
            </select>
            <button type="submit" name="op" value="move" class="btn ghost small" data-testid="move-selected">
                {tr(i, "files.move_selected")}
            </button>
            <DialogButton target="delete-selected" class="btn quiet-danger small">{tr(i, "files.delete_selected")}</DialogButton>
            <Dialog id="delete-selected" title=tr(i, "files.delete_selected_title") close_label=tr(i, "common.close")>
                <p>{tr(i, "files.delete_selected_warning")}</p>
                <button type="submit" name="op" value="delete" class="btn danger" data-testid="delete-selected">
                    {tr(i, "common.delete")}
                </button>
            </Dialog>
        </ActionForm>
    }
}

/// Moves one entry into a folder chosen from the list (opened by the row's "Move to folder…"
/// link, `?move=<path>`). The folder it is in, and for a folder itself and what is below it,
/// are not offered. A refusal keeps the folder chosen: without JavaScript it comes back in the
/// URL, with it the form simply stays.
#[component]
pub fn MovePanel(
    id: i32,
    from: String,
    folders: FolderList,
    /// The folder view without the panel.
    close: String,
    /// What a refused post without JavaScript brought back.
    refused: Option<AppError>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let i = use_i18n();
    let action = ServerAction::<MoveIntoFolder>::new();
    let error = kept_error(action.value(), refused);
    let navigate = leptos_router::hooks::use_navigate();
    let back = close.clone();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            changed.update(|n| *n += 1);
            navigate(&back, Default::default());
        }
    });
    let name = from.rsplit('/').next().unwrap_or_default().to_owned();
    let (parent, below) = (parent_of(&from).to_owned(), format!("{from}/"));
    let skip = {
        let from = from.clone();
        move |f: &str| f == parent || f == from || f.starts_with(&below)
    };
    let options = folder_options(i, &folders, skip, &kept("to"));
    view! {
        <section class="card move-panel" aria-labelledby="move-title" data-testid="move-panel">
            <h2 id="move-title">{tr(i, "files.move_title").replace("{name}", &name)}</h2>
            <FileAlert error />
            <ActionForm action attr:class="row-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="from" value=from />
                <label for="move-to">{tr(i, "files.move_into")}</label>
                <select id="move-to" name="to" required=true data-testid="move-to">{options}</select>
                <button type="submit" class="btn primary small" data-testid="move-submit">{tr(i, "files.move_submit")}</button>
                <a class="btn ghost small" href=close>{tr(i, "common.cancel")}</a>
            </ActionForm>
        </section>
    }
}
