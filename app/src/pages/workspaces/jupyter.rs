//! The workspace's JupyterLab: its state, start and stop, and where it opens (a new tab, or
//! inside this page). While it starts the page polls and shows each step with its time; a
//! failed start shows why (the end of the server's log).

use entity::jupyter::JupyterStatus;
use leptos::prelude::*;

use super::{state_badge, state_label};
use crate::api::workspaces::{load_jupyter, StartJupyter, StopJupyter};
use crate::components::form::FormAlert;
use crate::form_state::form_error;
use crate::i18n::{use_i18n, I18n};
use crate::pages::workspaces::tr;

fn busy(state: &str) -> bool {
    matches!(state, "starting" | "stopping")
}

fn step_label(i: I18n, step: &str) -> &'static str {
    match step {
        "queued" => tr(i, "jupyter.step.queued"),
        "port" => tr(i, "jupyter.step.port"),
        "spawned" => tr(i, "jupyter.step.spawned"),
        "ready" => tr(i, "jupyter.step.ready"),
        "stopped" => tr(i, "jupyter.step.stopped"),
        _ => tr(i, "jupyter.step.failed"),
    }
}

#[component]
pub fn JupyterPanel(id: i32, initial: JupyterStatus) -> impl IntoView {
    let i = use_i18n();
    let start = ServerAction::<StartJupyter>::new();
    let stop = ServerAction::<StopJupyter>::new();
    let error = Signal::derive({
        let a = form_error(start.value());
        let b = form_error(stop.value());
        move || a.get().or_else(|| b.get())
    });
    let status = RwSignal::new(initial);
    Effect::new(move |_| {
        if let Some(Ok(s)) = start.value().get() {
            status.set(s);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(s)) = stop.value().get() {
            status.set(s);
        }
    });
    // While it starts or stops, ask again each second.
    Effect::new(move |_| {
        if busy(&status.read().state) {
            set_timeout(
                move || {
                    leptos::task::spawn_local(async move {
                        if let Ok(s) = load_jupyter(id).await {
                            status.set(s);
                        }
                    });
                },
                std::time::Duration::from_secs(1),
            );
        }
    });
    let embedded = RwSignal::new(false);
    view! {
        <section class="card jupyter" aria-labelledby="jupyter-title" data-testid="jupyter">
            <div class="card-head">
                <h2 id="jupyter-title">{tr(i, "jupyter.title")}</h2>
                {move || {
                    let s = status.get();
                    view! { <span class=state_badge(&s.state) data-testid="jupyter-state" data-state=s.state.clone() role="status">{state_label(i, &s.state)}</span> }
                }}
            </div>
            <FormAlert error />
            {move || {
                let s = status.get();
                let running = s.state == "running";
                view! {
                    <dl class="facts">
                        {s.ready_at.filter(|_| running).map(|t| view! {
                            <div>
                                <dt>{tr(i, "jupyter.since")}</dt>
                                <dd><time datetime=t.to_rfc3339()>{t.format("%Y-%m-%d %H:%M").to_string()}</time></dd>
                            </div>
                        })}
                        {s.last_activity.filter(|_| running).map(|t| view! {
                            <div>
                                <dt>{tr(i, "jupyter.last_activity")}</dt>
                                <dd><time datetime=t.to_rfc3339()>{t.format("%Y-%m-%d %H:%M").to_string()}</time></dd>
                            </div>
                        })}
                    </dl>
                    {(busy(&s.state) || s.state == "failed").then(|| view! {
                        <ol class="steps" aria-label=tr(i, "jupyter.steps")>
                            {s.steps.iter().map(|st| view! {
                                <li>
                                    <span>{step_label(i, &st.step)}</span>
                                    <time datetime=st.at.to_rfc3339()>{st.at.format("%H:%M:%S%.3f").to_string()}</time>
                                </li>
                            }).collect_view()}
                        </ol>
                    })}
                    {s.error.clone().map(|e| view! {
                        <div class="alert error" role="alert">
                            <p>{tr(i, "jupyter.failed_why")}</p>
                            <pre class="log">{e}</pre>
                        </div>
                    })}
                }
            }}
            <div class="actions">
                {move || {
                    let s = status.get();
                    match s.state.as_str() {
                        "running" => view! {
                            <a class="btn primary" href=s.url.clone().unwrap_or_default() target="_blank" rel="noopener" data-testid="open-jupyter">
                                {tr(i, "jupyter.open")}
                            </a>
                            <button type="button" class="btn ghost" on:click=move |_| embedded.update(|e| *e = !*e)>
                                {move || if embedded.get() { tr(i, "jupyter.hide_here") } else { tr(i, "jupyter.open_here") }}
                            </button>
                            <ActionForm action=stop attr:class="inline">
                                <input type="hidden" name="id" value=id />
                                <button type="submit" class="btn ghost">{tr(i, "jupyter.stop")}</button>
                            </ActionForm>
                        }.into_any(),
                        "starting" | "stopping" => view! {
                            <p class="muted" aria-live="polite">{tr(i, "jupyter.wait")}</p>
                        }.into_any(),
                        _ => view! {
                            <ActionForm action=start attr:class="inline">
                                <input type="hidden" name="id" value=id />
                                <button type="submit" class="btn primary" data-testid="start-jupyter">{tr(i, "jupyter.start")}</button>
                            </ActionForm>
                        }.into_any(),
                    }
                }}
            </div>
            {move || (embedded.get() && status.read().state == "running").then(|| view! {
                <iframe class="jupyter-frame" src=status.read().url.clone().unwrap_or_default() title=tr(i, "jupyter.title")></iframe>
            })}
        </section>
    }
    .into_any()
}
