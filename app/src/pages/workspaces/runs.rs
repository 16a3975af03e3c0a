//! Notebook runs: choose notebooks (in order) and run them headless; each run's progress per
//! notebook and cell, and where it failed. The list polls while a run is queued or running; such
//! a run can be cancelled (a plain form, so it works without JavaScript too).

use entity::notebook_run::{Run, RunNotebook};
use leptos::prelude::*;

use super::{state_badge, state_label_run};
use crate::api::workspaces::{list_runs, CancelRun, StartRun};
use crate::components::form::FormAlert;
use crate::form_state::form_error;
use crate::i18n::use_i18n;
use crate::pages::workspaces::tr;

fn active(runs: &[Run]) -> bool {
    runs.iter()
        .any(|r| matches!(r.status.as_str(), "queued" | "running"))
}

#[component]
pub fn RunsPanel(id: i32, initial: Vec<Run>, notebooks: Vec<String>) -> impl IntoView {
    let i = use_i18n();
    let start = ServerAction::<StartRun>::new();
    let cancel = ServerAction::<CancelRun>::new();
    let start_error = form_error(start.value());
    let cancel_error = form_error(cancel.value());
    // One alert for the panel: the latest action's error (or the one the URL brought back).
    let error = Signal::derive(move || cancel_error.get().or_else(|| start_error.get()));
    let runs = RwSignal::new(initial);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(list) = list_runs(id).await {
                runs.set(list);
            }
        })
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = start.value().get() {
            refresh();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = cancel.value().get() {
            refresh();
        }
    });
    Effect::new(move |_| {
        if active(&runs.read()) {
            set_timeout(refresh, std::time::Duration::from_secs(1));
        }
    });
    let choices = notebooks.clone();
    view! {
        <section class="card runs" id="runs" aria-labelledby="runs-title" data-testid="runs">
            <h2 id="runs-title">{tr(i, "runs.title")}</h2>
            <p class="muted">{tr(i, "runs.lead")}</p>
            <FormAlert error />
            {if choices.is_empty() {
                view! { <p>{tr(i, "runs.no_notebooks")}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=start attr:class="stack">
                        <input type="hidden" name="id" value=id />
                        <fieldset>
                            <legend>{tr(i, "runs.choose")}</legend>
                            {choices.into_iter().map(|path| view! {
                                <label class="check">
                                    <input type="checkbox" name="run[notebooks][]" value=path.clone() checked=true />
                                    <span>{path.clone()}</span>
                                </label>
                            }).collect_view()}
                        </fieldset>
                        <button type="submit" class="btn primary" data-testid="start-run">{tr(i, "runs.start")}</button>
                    </ActionForm>
                }.into_any()
            }}
            {move || {
                let list = runs.get();
                (!list.is_empty()).then(|| view! {
                    <ol class="run-list">
                        {list.into_iter().map(|r| view! { <RunItem id run=r cancel /> }).collect_view()}
                    </ol>
                })
            }}
        </section>
    }
    .into_any()
}

#[component]
fn RunItem(id: i32, run: Run, cancel: ServerAction<CancelRun>) -> impl IntoView {
    let i = use_i18n();
    let took = match (run.started_at, run.finished_at) {
        (Some(a), Some(b)) => Some(format!(
            "{:.1} s",
            (b - a).num_milliseconds() as f64 / 1000.0
        )),
        _ => None,
    };
    let stoppable = matches!(run.status.as_str(), "queued" | "running");
    // Asked while it ran: its worker stops it within a second or so.
    let stopping = stoppable && run.cancel_requested_at.is_some();
    view! {
        <li class="run" data-testid="run" data-status=run.status.clone()>
            <div class="run-head">
                <span class=state_badge(&run.status)>{state_label_run(i, &run.status)}</span>
                <time datetime=run.created_at.to_rfc3339()>{run.created_at.format("%Y-%m-%d %H:%M:%S").to_string()}</time>
                {took.map(|t| view! { <span class="muted">{t}</span> })}
                {stopping.then(|| view! { <span class="muted" data-testid="run-stopping">{tr(i, "runs.cancelling")}</span> })}
                {(stoppable && !stopping).then(|| view! {
                    <ActionForm action=cancel attr:class="run-cancel">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="run_id" value=run.id />
                        <button type="submit" class="btn quiet-danger small" data-testid="cancel-run">{tr(i, "runs.cancel")}</button>
                    </ActionForm>
                })}
            </div>
            <ul class="run-notebooks">
                {run.notebooks.into_iter().map(|n| view! { <NotebookProgress n /> }).collect_view()}
            </ul>
        </li>
    }
    .into_any()
}

#[component]
fn NotebookProgress(n: RunNotebook) -> impl IntoView {
    let i = use_i18n();
    let cells = format!("{}/{}", n.cells_done, n.cells_total);
    let failed = n
        .failed_cell
        .map(|c| tr(i, "runs.failed_cell").replace("{n}", &c.to_string()));
    view! {
        <li>
            <span class="run-path">{n.path.clone()}</span>
            <span class=state_badge(&n.status)>{state_label_run(i, &n.status)}</span>
            <progress max=n.cells_total.max(1).to_string() value=n.cells_done.to_string() aria-label=n.path.clone()></progress>
            <span class="muted">{cells}</span>
            {failed.map(|f| view! { <p class="field-error">{f}</p> })}
            {n.error.map(|e| view! { <pre class="log">{e}</pre> })}
        </li>
    }
    .into_any()
}
