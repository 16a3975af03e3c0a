//! `/hosting`: the reader's hosting. Nothing yet: one button makes it (and a hint to add an SSH
//! key first). Being made, started, stopped or deleted: the steps with the time so far, asked
//! again every 3 s; otherwise every 10 s. Its card, its timeline. Where no hypervisor answers,
//! the page says so and offers nothing.

use chrono::{DateTime, Utc};
use entity::hosting::{Hosting, HostingView};
use leptos::prelude::*;
use leptos_meta::Title;

use super::card::{ActionButton, HostingCard};
use super::timeline::Timeline;
use super::{action_error, now};
use crate::api::hosting::{load_hosting, HostingAction};
use crate::components::form::FormAlert;
use crate::components::icon::{lu, Icon};
use crate::components::layout::{Layout, RequireUser};
use crate::components::toast::use_toasts;
use crate::components::ui::NoScriptRefresh;
use crate::form_state::error_from_query;
use crate::i18n::use_i18n;
use crate::pages::hosting::tr;

/// How often the page asks again: quickly while something happens, slowly otherwise.
const POLL_BUSY: std::time::Duration = std::time::Duration::from_secs(3);
const POLL_STABLE: std::time::Duration = std::time::Duration::from_secs(10);

#[component]
pub fn HostingPage() -> impl IntoView {
    let i = use_i18n();
    let view = Resource::new_blocking(|| (), |_| load_hosting());
    view! {
        <Title text=tr(i, "hosting.title") />
        <RequireUser let:user>
            <Layout user=user.clone()>
                <div class="page-head">
                    <div>
                        <h1>{tr(i, "hosting.title")}</h1>
                        <p class="lead">{tr(i, "hosting.lead")}</p>
                    </div>
                    {user.capabilities.can_manage_company.then(|| view! {
                        <a class="btn ghost" href="/admin/hosting">{tr(i, "hosting.admin_link")}</a>
                    })}
                </div>
                <Suspense fallback=move || view! { <p class="loading">{tr(i, "common.loading")}</p> }>
                    {move || Suspend::new(async move {
                        match view.await {
                            Ok(v) => view! {
                                // Without JavaScript nothing polls: reload while it works.
                                {busy(&v).then(|| view! { <NoScriptRefresh seconds=3 /> })}
                                <HostingPanel initial=v />
                            }
                            .into_any(),
                            Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </Layout>
        </RequireUser>
    }
    .into_any()
}

fn busy(v: &HostingView) -> bool {
    v.hosting.as_ref().is_some_and(Hosting::is_busy)
}

/// The page's live part: holds the latest answer and asks again on a timer (cleared when the
/// panel goes away); the buttons' results come as toasts and refresh it at once.
#[component]
fn HostingPanel(initial: HostingView) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let state = RwSignal::new(initial);
    let action = ServerAction::<HostingAction>::new();
    // Bumped after every answer (or failure), so the timer is set again even when nothing changed.
    let answered = RwSignal::new(0u32);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(v) = load_hosting().await {
                // Only a change re-renders: an open confirmation stays open across polls.
                if state.try_with_untracked(|s| *s != v).unwrap_or(false) {
                    state.try_set(v);
                }
            }
            answered.try_update(|n| *n += 1);
        });
    };
    Effect::new(move |_| {
        answered.track();
        let delay = if state.with(busy) {
            POLL_BUSY
        } else {
            POLL_STABLE
        };
        if state.with(|v| v.unavailable.is_some()) {
            return;
        }
        if let Ok(handle) = set_timeout_with_handle(refresh, delay) {
            on_cleanup(move || handle.clear());
        }
    });
    // The clock of the elapsed time: ticks each second while something happens.
    let clock = RwSignal::new(now());
    let is_busy = Memo::new(move |_| state.with(busy));
    Effect::new(move |_| {
        if is_busy.get() {
            clock.set(now());
            if let Ok(handle) = set_interval_with_handle(
                move || {
                    clock.try_set(now());
                },
                std::time::Duration::from_secs(1),
            ) {
                on_cleanup(move || handle.clear());
            }
        }
    });
    let clock: Signal<DateTime<Utc>> = clock.into();
    // What the last button asked for, for the toast that answers it.
    let asked = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(input) = action.input().get() {
            asked.set(input.action);
        }
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            let key = match asked.get_untracked().as_str() {
                "create" => "hosting.done.create",
                "start" => "hosting.done.start",
                "stop" => "hosting.done.stop",
                "restart" => "hosting.done.restart",
                "retry" => "hosting.done.retry",
                _ => "hosting.done.delete",
            };
            toasts.push(tr(i, key));
            refresh();
        }
        Some(Err(e)) => {
            toasts.push(action_error(i, &e));
            refresh();
        }
        None => {}
    });
    // Without script a refused button comes back as `?e=…`: shown above the card until the next
    // action.
    let from_query = error_from_query();
    let query_error = Signal::derive(move || {
        action
            .value()
            .with(Option::is_none)
            .then(|| from_query.clone())
            .flatten()
    });
    view! {
        <div class="hosting" data-testid="hosting">
            <FormAlert error=query_error />
            {move || {
                let v = state.get();
                match (v.unavailable.clone(), v.hosting.clone()) {
                    (_, Some(h)) => view! {
                        <HostingCard hosting=h action now=clock />
                        <Timeline events=v.events.clone() />
                    }
                    .into_any(),
                    (Some(why), None) => view! {
                        <section class="card alert info hosting-unavailable" data-testid="hosting-unavailable">
                            <h2>{tr(i, "hosting.unavailable_title")}</h2>
                            <p>{tr(i, "hosting.unavailable_lead")}</p>
                            <p class="hosting-reason">{why}</p>
                        </section>
                    }
                    .into_any(),
                    (None, None) => view! { <EmptyHosting action ssh_keys=v.ssh_keys /> }.into_any(),
                }
            }}
        </div>
    }
    .into_any()
}

/// No hosting yet: what one is and the one button that makes it.
#[component]
fn EmptyHosting(action: ServerAction<HostingAction>, ssh_keys: u32) -> impl IntoView {
    let i = use_i18n();
    view! {
        <section class="card hosting-empty" data-testid="hosting-empty">
            <div class="empty">
                <Icon icon=lu::LuServer class="icon-lg" />
                <p class="empty-title">{tr(i, "hosting.empty")}</p>
                <p>{tr(i, "hosting.empty_lead")}</p>
                {(ssh_keys == 0).then(|| view! {
                    <p class="alert info hosting-no-keys" data-testid="hosting-no-keys">
                        {tr(i, "hosting.no_keys")} " "
                        <a href="/account#ssh-keys">{tr(i, "hosting.no_keys_link")}</a>
                    </p>
                })}
                <ActionButton action op="create" label=tr(i, "hosting.create") class="btn primary" />
            </div>
        </section>
    }
    .into_any()
}
