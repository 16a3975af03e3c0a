//! Uploading files into the folder shown. Without JavaScript it is a plain multipart form to
//! `/workspaces/{id}/upload`, which streams each file to disk and comes back to the folder.
//!
//! Once the page runs in the browser the form is a drop zone: each file dropped on it or chosen
//! goes at once in a request of its own to the REST door (`POST /api/v1/workspaces/{id}/files`,
//! the session cookie authenticates it), a few at a time, in a row showing its progress and then
//! its outcome. When all have finished and one at least arrived, the folder is read again.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use leptos::ev::{DragEvent, SubmitEvent};
use leptos::html::Input;
use leptos::prelude::*;
use serde::Deserialize;
use web_sys::wasm_bindgen::closure::Closure;
use web_sys::wasm_bindgen::{JsCast, JsValue};
use web_sys::{File, FileList, FormData, HtmlInputElement, ProgressEvent, XmlHttpRequest};

use super::size;
use crate::components::icon::{lu, Icon};
use crate::i18n::{use_i18n, I18n};
use crate::pages::workspaces::{tr, tr_count};

/// How many files are sent at the same time; the others wait their turn.
const AT_ONCE: usize = 3;

/// The file input's id.
const PICKER: &str = "upload-files";

#[component]
pub fn Uploader(id: i32, folder: String, changed: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("path", &folder);
    let action = format!("/workspaces/{id}/upload?{}", q.finish());
    let batch = batch_for(id, folder, changed, i);
    let rows = RwSignal::from(batch.rows.clone());
    let input = NodeRef::<Input>::new();
    // True once the page runs in the browser: the hint shows and the submit button goes, as
    // choosing uploads at once (it stays for files chosen before the page came alive). Only the
    // first uploader waits for its effect; one rendered later (after a finished batch had the
    // folder read again) is in the browser from the start, and shows so without a flicker.
    let enhanced = RwSignal::new(ALIVE.get());
    let chosen_early = RwSignal::new(false);
    let refocus = batch.clone();
    Effect::new(move |_| {
        ALIVE.set(true);
        enhanced.set(true);
        if let Some(el) = input.get_untracked() {
            chosen_early.set(el.files().is_some_and(|f| f.length() > 0));
            // The picker had the focus when the folder was read again, which replaced it.
            if refocus.refocus.replace(false) {
                let _ = el.focus();
            }
        }
    });
    // Entering a child of the form leaves the form itself: count to know when the drag is out.
    let dragging = RwSignal::new(false);
    let depth = StoredValue::new(0u32);
    let drag_out = move || {
        depth.set_value(0);
        dragging.set(false);
    };
    let (on_pick, on_submit, on_drop) = (batch.clone(), batch.clone(), batch);
    let said = Memo::new(move |_| summary(i, &rows.read()));
    view! {
        <form
            class="drop-zone uploader"
            class:dragging=move || dragging.get()
            data-testid="drop-zone"
            method="post"
            enctype="multipart/form-data"
            action=action
            on:dragenter=move |ev: DragEvent| {
                if carries_files(&ev) {
                    ev.prevent_default();
                    depth.update_value(|d| *d += 1);
                    dragging.set(true);
                }
            }
            on:dragover=move |ev: DragEvent| {
                if carries_files(&ev) {
                    ev.prevent_default();
                    if let Some(dt) = ev.data_transfer() {
                        dt.set_drop_effect("copy");
                    }
                }
            }
            on:dragleave=move |_| {
                depth.update_value(|d| *d = d.saturating_sub(1));
                if depth.get_value() == 0 {
                    dragging.set(false);
                }
            }
            on:drop=move |ev: DragEvent| {
                // Never let the browser open the dropped file in place of the page.
                ev.prevent_default();
                drag_out();
                add(&on_drop, files_of(ev.data_transfer().and_then(|dt| dt.files())));
            }
            on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                if let Some(el) = input.get_untracked() {
                    chosen_early.set(false);
                    add(&on_submit, take_files(&el));
                }
            }
        >
            <p class="upload-hint" hidden=move || !enhanced.get()>
                <Icon icon=lu::LuCloudUpload />
                {tr(i, "upload.hint")}
            </p>
            <div class="upload-pick">
                <label for=PICKER>{tr(i, "files.upload_label")}</label>
                <input
                    id=PICKER
                    node_ref=input
                    type="file"
                    name="file"
                    multiple=true
                    required=true
                    on:change=move |ev| {
                        let el: HtmlInputElement = event_target(&ev);
                        chosen_early.set(false);
                        add(&on_pick, take_files(&el));
                    }
                />
                <button type="submit" class="btn primary small" hidden=move || enhanced.get() && !chosen_early.get()>
                    {tr(i, "files.upload_submit")}
                </button>
            </div>
        </form>
        <ul class="upload-list" aria-label=tr(i, "upload.list") hidden=move || rows.read().is_empty()>
            <For each=move || rows.get() key=|row| row.n let:row>
                <UploadRow row />
            </For>
        </ul>
        <p class="upload-summary" aria-live="polite" role="status" data-testid="upload-summary">
            {move || said.get()}
        </p>
    }
}

/// One file: its name and size, how much of it is sent, and how it ended.
#[component]
fn UploadRow(row: Row) -> impl IntoView {
    let i = use_i18n();
    let outcome = RwSignal::from(row.outcome);
    let percent = RwSignal::from(row.percent);
    let name_id = format!("upload-name-{}", row.n);
    view! {
        <li class="upload-row" data-testid="upload-row" data-state=move || outcome.read().state()>
            {move || match *outcome.read() {
                Outcome::Waiting => view! { <Icon icon=lu::LuClock /> }.into_any(),
                Outcome::Uploading => view! { <Icon icon=lu::LuLoaderCircle class="spin" /> }.into_any(),
                Outcome::Done => view! { <Icon icon=lu::LuCircleCheck /> }.into_any(),
                Outcome::Failed(_) => view! { <Icon icon=lu::LuCircleAlert /> }.into_any(),
            }}
            <span class="upload-name" id=name_id.clone()>{row.name}</span>
            <span class="upload-size">{size(row.bytes)}</span>
            <progress class="progress" max="100" value=move || format!("{:.0}", percent.get()) aria-labelledby=name_id></progress>
            <span class="upload-note">
                {move || match &*outcome.read() {
                    Outcome::Waiting => tr(i, "upload.waiting").to_owned(),
                    Outcome::Uploading => format!("{} {:.0}%", tr(i, "upload.uploading"), percent.get()),
                    Outcome::Done => tr(i, "upload.done").to_owned(),
                    Outcome::Failed(message) => message.clone(),
                }}
            </span>
        </li>
    }
}

/// Where a file is.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Waiting,
    Uploading,
    Done,
    /// Refused or lost, with why in the reader's language.
    Failed(String),
}

impl Outcome {
    /// The row's `data-state`, for the browser tests: a file waiting its turn counts as uploading.
    fn state(&self) -> &'static str {
        match self {
            Outcome::Waiting | Outcome::Uploading => "uploading",
            Outcome::Done => "done",
            Outcome::Failed(_) => "failed",
        }
    }
}

#[derive(Clone)]
struct Row {
    /// Unique in its batch: the list's key and the name's id.
    n: usize,
    name: String,
    bytes: u64,
    /// Of the request's body sent, 0 to 100.
    percent: ArcRwSignal<f64>,
    outcome: ArcRwSignal<Outcome>,
}

/// The files given to one folder on one visit of the page, and how far each is. It lives outside
/// the component: a finished batch has the folder read again, which renders the file browser,
/// and so a new `Uploader`, anew; that one takes the batch over and every outcome stays in view.
struct Batch {
    id: i32,
    folder: String,
    /// The page's signal to read the folder again; a new visit of the page has a new one.
    changed: RwSignal<u32>,
    i: I18n,
    rows: ArcRwSignal<Vec<Row>>,
    waiting: RefCell<VecDeque<(Row, File)>>,
    sending: Cell<usize>,
    /// Arrived since the folder was last read again.
    arrived: Cell<usize>,
    /// The picker had the focus when the folder was read again (which renders a new one).
    refocus: Cell<bool>,
    next: Cell<usize>,
}

impl Batch {
    fn idle(&self) -> bool {
        self.sending.get() == 0 && self.waiting.borrow().is_empty()
    }

    fn url(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("path", &self.folder);
        format!("/api/v1/workspaces/{}/files?{}", self.id, q.finish())
    }
}

thread_local! {
    /// The batch of the uploader on screen (the browser runs us on one thread).
    static CURRENT: RefCell<Option<Rc<Batch>>> = const { RefCell::new(None) };
    /// Set by the first uploader's effect, so in the browser only, once the page has hydrated.
    static ALIVE: Cell<bool> = const { Cell::new(false) };
}

/// The batch of this folder on this visit of the page: the one under way or just finished, or a
/// new one. The server never sends a file, so it always starts empty.
fn batch_for(id: i32, folder: String, changed: RwSignal<u32>, i: I18n) -> Rc<Batch> {
    let fresh = |folder| {
        Rc::new(Batch {
            id,
            folder,
            changed,
            i,
            rows: ArcRwSignal::new(Vec::new()),
            waiting: RefCell::new(VecDeque::new()),
            sending: Cell::new(0),
            arrived: Cell::new(0),
            refocus: Cell::new(false),
            next: Cell::new(0),
        })
    };
    if cfg!(feature = "ssr") {
        return fresh(folder);
    }
    CURRENT.with_borrow_mut(|current| match current {
        Some(b) if b.id == id && b.folder == folder && b.changed == changed => b.clone(),
        _ => {
            let b = fresh(folder);
            *current = Some(b.clone());
            b
        }
    })
}

/// Whether a drag holds files (not text or a link from the page).
fn carries_files(ev: &DragEvent) -> bool {
    ev.data_transfer()
        .is_some_and(|dt| dt.types().includes(&JsValue::from_str("Files"), 0))
}

fn files_of(list: Option<FileList>) -> Vec<File> {
    list.map(|l| (0..l.length()).filter_map(|n| l.get(n)).collect())
        .unwrap_or_default()
}

/// The files chosen in the picker, which is emptied so the same file can be chosen again.
fn take_files(el: &HtmlInputElement) -> Vec<File> {
    let files = files_of(el.files());
    el.set_value("");
    files
}

/// Queues `files` and starts as many as may go. A new batch after a finished one starts a new list.
fn add(batch: &Rc<Batch>, files: Vec<File>) {
    if files.is_empty() {
        return;
    }
    if batch.idle() {
        batch.rows.update(Vec::clear);
    }
    let rows: Vec<Row> = files
        .iter()
        .map(|file| {
            let n = batch.next.get();
            batch.next.set(n + 1);
            Row {
                n,
                name: file.name(),
                bytes: file.size() as u64,
                percent: ArcRwSignal::new(0.0),
                outcome: ArcRwSignal::new(Outcome::Waiting),
            }
        })
        .collect();
    batch.rows.update(|all| all.extend(rows.iter().cloned()));
    batch
        .waiting
        .borrow_mut()
        .extend(rows.into_iter().zip(files));
    pump(batch);
}

fn pump(batch: &Rc<Batch>) {
    while batch.sending.get() < AT_ONCE {
        let Some((row, file)) = batch.waiting.borrow_mut().pop_front() else {
            break;
        };
        batch.sending.set(batch.sending.get() + 1);
        send(batch.clone(), row, file);
    }
}

/// One file in one request: a multipart body with the single part `file`.
fn send(batch: Rc<Batch>, row: Row, file: File) {
    row.outcome.set(Outcome::Uploading);
    if start(&batch, &row, &file).is_err() {
        finish(&batch, &row, Err(tr(batch.i, "upload.network").to_owned()));
    }
}

fn start(batch: &Rc<Batch>, row: &Row, file: &File) -> Result<(), JsValue> {
    let xhr = XmlHttpRequest::new()?;
    xhr.open_with_async("POST", &batch.url(), true)?;
    xhr.set_request_header("Accept", "application/json")?;
    let percent = row.percent.clone();
    let progress = Closure::<dyn FnMut(ProgressEvent)>::own_aborting(move |e: ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            percent.set((e.loaded() / e.total() * 100.0).min(100.0));
        }
    })
    .into_js_value();
    xhr.upload()?.set_onprogress(Some(progress.unchecked_ref()));
    // Called once, when the request has ended whichever way; the closure frees itself then.
    let (b, r, x) = (batch.clone(), row.clone(), xhr.clone());
    let ended = Closure::<dyn FnMut()>::once_aborting(move || finish(&b, &r, outcome(&x, b.i)))
        .into_js_value();
    xhr.set_onloadend(Some(ended.unchecked_ref()));
    let form = FormData::new()?;
    form.append_with_blob_and_filename("file", file, &file.name())?;
    xhr.send_with_opt_form_data(Some(&form))
}

fn finish(batch: &Rc<Batch>, row: &Row, result: Result<(), String>) {
    batch.sending.set(batch.sending.get().saturating_sub(1));
    match result {
        Ok(()) => {
            row.percent.set(100.0);
            row.outcome.set(Outcome::Done);
            batch.arrived.set(batch.arrived.get() + 1);
        }
        Err(message) => row.outcome.set(Outcome::Failed(message)),
    }
    pump(batch);
    if batch.idle() && batch.arrived.get() > 0 {
        batch.arrived.set(0);
        let focused = document()
            .active_element()
            .is_some_and(|el| el.id() == PICKER);
        batch.refocus.set(focused);
        batch.changed.try_update(|n| *n += 1);
    }
}

/// How a finished request went: 2xx arrived; 0 is a connection lost (or the request stopped).
fn outcome(xhr: &XmlHttpRequest, i: I18n) -> Result<(), String> {
    match xhr.status().unwrap_or(0) {
        200..=299 => Ok(()),
        0 => Err(tr(i, "upload.network").to_owned()),
        status => Err(refusal(
            i,
            status,
            &xhr.response_text().ok().flatten().unwrap_or_default(),
        )),
    }
}

/// The parts of a problem+json answer the uploader shows.
#[derive(Deserialize)]
struct Problem {
    #[serde(default)]
    detail: String,
    #[serde(default)]
    errors: Vec<ProblemField>,
}

#[derive(Deserialize)]
struct ProblemField {
    code: String,
}

/// Why the server refused a file: the text of its first field error's code where we have one,
/// else the problem's `detail` (English, as the API wrote it), else the bare status.
fn refusal(i: I18n, status: u16, body: &str) -> String {
    let bare = || tr(i, "upload.refused").replace("{status}", &status.to_string());
    let Ok(problem) = serde_json::from_str::<Problem>(body) else {
        return bare();
    };
    let detail = if problem.detail.is_empty() {
        bare()
    } else {
        problem.detail
    };
    match problem.errors.first() {
        Some(field) => i.field_error(&field.code, &detail),
        None => detail,
    }
}

/// "2 of 3 uploaded.", and how many failed; empty before the first file.
fn summary(i: I18n, rows: &[Row]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let done = rows
        .iter()
        .filter(|r| *r.outcome.read() == Outcome::Done)
        .count();
    let failed = rows
        .iter()
        .filter(|r| matches!(*r.outcome.read(), Outcome::Failed(_)))
        .count();
    let mut text = tr(i, "upload.summary")
        .replace("{done}", &done.to_string())
        .replace("{total}", &rows.len().to_string());
    if failed > 0 {
        text.push(' ');
        text.push_str(&tr_count(i, "upload.summary_failed", failed as u64));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefs::Locale;

    const EN: I18n = I18n { locale: Locale::En };
    const KO: I18n = I18n { locale: Locale::Ko };

    #[test]
    fn a_refusal_reads_the_first_field_errors_code_then_the_detail() {
        let quota = r#"{"status":413,"code":"quota_exceeded","detail":"no room","errors":[{"field":"file","code":"quota_exceeded","message":"no room"}]}"#;
        assert_eq!(
            refusal(KO, 413, quota),
            KO.field_error("quota_exceeded", "")
        );
        let unknown = r#"{"status":422,"code":"invalid","detail":"as sent","errors":[{"field":"file","code":"no_such_code","message":"m"}]}"#;
        assert_eq!(refusal(EN, 422, unknown), "as sent");
        let bare = r#"{"status":401,"code":"unauthenticated","detail":"sign in first"}"#;
        assert_eq!(refusal(EN, 401, bare), "sign in first");
        assert_eq!(
            refusal(EN, 502, "<html>Bad gateway</html>"),
            "The server did not take the file (status 502)."
        );
    }

    #[test]
    fn the_summary_counts_what_arrived_and_what_failed() {
        let row = |n, outcome| Row {
            n,
            name: format!("f{n}"),
            bytes: 1,
            percent: ArcRwSignal::new(0.0),
            outcome: ArcRwSignal::new(outcome),
        };
        assert_eq!(summary(EN, &[]), "");
        let rows = [
            row(0, Outcome::Done),
            row(1, Outcome::Uploading),
            row(2, Outcome::Failed("x".into())),
        ];
        assert_eq!(
            summary(EN, &rows),
            "1 of 3 uploaded. 1 could not be uploaded."
        );
        assert_eq!(
            summary(KO, &rows),
            "3개 중 1개를 올렸습니다. 1개는 올리지 못했습니다."
        );
    }
}
