//! `/admin/workspaces`: every workspace an admin oversees — totals, then a page of workspaces
//! with owner, size, JupyterLab state and last activity — and stopping a JupyterLab. Files are
//! never shown: they stay their owner's. Anyone else gets the 403 page.

use entity::workspace::WorkspaceRow;
use entity::ErrorKind;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{size, state_badge, state_label, tr};
use crate::api::workspace_admin::{
    load_workspace_overview, StopWorkspaceJupyter, WorkspaceOverview,
};
use crate::components::form::FormAlert;
use crate::components::layout::{Layout, Permitted, RequireUser};
use crate::components::toast::use_toasts;
use crate::components::ui::EmptyState;
use crate::form_state::error_from_query;
use crate::i18n::{use_i18n, I18n};

fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> impl IntoView {
    match t {
        Some(t) => {
            view! { <time datetime=t.to_rfc3339()>{t.format("%Y-%m-%d %H:%M").to_string()}</time> }
                .into_any()
        }
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

#[component]
pub fn AdminWorkspacesPage() -> impl IntoView {
    let i = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| query.read().get("page").and_then(|p| p.parse::<u64>().ok()));
    let stop = ServerAction::<StopWorkspaceJupyter>::new();
    let overview = Resource::new_blocking(
        move || (page.get(), stop.version().get()),
        |(page, _)| load_workspace_overview(page),
    );
    let toasts = use_toasts();
    Effect::new(move |_| match stop.value().get() {
        Some(Ok(())) => toasts.push(tr(i, "workspaces.admin_stopped")),
        Some(Err(e)) => toasts.push(i.error(&e)),
        None => {}
    });
    let from_query = error_from_query();
    let query_error = Signal::derive(move || {
        stop.value()
            .with(Option::is_none)
            .then(|| from_query.clone())
            .flatten()
    });
    view! {
        <Title text=tr(i, "workspaces.admin_title") />
        <RequireUser let:me>
            <Layout user=me>
                <Transition fallback=move || view! { <p class="loading">{tr(i, "common.loading")}</p> }>
                    {move || Suspend::new(async move {
                        match overview.await {
                            Ok(o) => view! {
                                <div class="page-head">
                                    <div>
                                        <h1>{tr(i, "workspaces.admin_title")}</h1>
                                        <p class="lead">{tr(i, "workspaces.admin_lead")}</p>
                                    </div>
                                </div>
                                {crate::pages::users::admin_tabs(i)}
                                <FormAlert error=query_error />
                                <Overview overview=o stop />
                            }
                            .into_any(),
                            Err(e) if e.kind == ErrorKind::Forbidden => view! {
                                <Permitted when=false><span /></Permitted>
                            }
                            .into_any(),
                            Err(e) => view! {
                                <h1>{tr(i, "workspaces.admin_title")}</h1>
                                <p class="alert error" role="alert">{i.error(&e)}</p>
                            }
                            .into_any(),
                        }
                    })}
                </Transition>
            </Layout>
        </RequireUser>
    }
    .into_any()
}

#[component]
fn Overview(
    overview: WorkspaceOverview,
    stop: ServerAction<StopWorkspaceJupyter>,
) -> impl IntoView {
    let i = use_i18n();
    let WorkspaceOverview { page, totals } = overview;
    let pages = page.total.div_ceil(page.per_page.max(1)).max(1);
    let current = page.page.min(pages);
    view! {
        <div class="stats" data-testid="workspace-totals">
            <div class="stat">
                <span class="stat-value">{totals.workspaces}</span>
                <span class="stat-label">{tr(i, "workspaces.admin_total")}</span>
            </div>
            <div class="stat">
                <span class="stat-value">{totals.jupyter_active}</span>
                <span class="stat-label">{tr(i, "workspaces.admin_active")}</span>
            </div>
        </div>
        {if page.items.is_empty() {
            view! { <EmptyState title=tr(i, "workspaces.admin_empty") /> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="table" data-testid="all-workspaces">
                        <thead>
                            <tr>
                                <th scope="col">{tr(i, "workspaces.admin_owner")}</th>
                                <th scope="col">{tr(i, "field.name")}</th>
                                <th scope="col" class="num">{tr(i, "workspaces.admin_size")}</th>
                                <th scope="col">{tr(i, "jupyter.title")}</th>
                                <th scope="col">{tr(i, "jupyter.last_activity")}</th>
                                <th scope="col">{tr(i, "workspaces.admin_created")}</th>
                                <th scope="col"><span class="visually-hidden">{tr(i, "common.actions")}</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.items.into_iter().map(|r| row(i, r, stop)).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
        <nav class="pager" aria-label=tr(i, "workspaces.admin_pages")>
            <span>{format!("{current} / {pages} · {}", page.total)}</span>
            {(current > 1).then(|| view! { <a href=format!("/admin/workspaces?page={}", current - 1) rel="prev">{tr(i, "users.previous")}</a> })}
            {(current < pages).then(|| view! { <a href=format!("/admin/workspaces?page={}", current + 1) rel="next">{tr(i, "users.next")}</a> })}
        </nav>
    }
    .into_any()
}

fn row(i: I18n, r: WorkspaceRow, stop: ServerAction<StopWorkspaceJupyter>) -> impl IntoView {
    let owner = if r.owner_name.is_empty() {
        r.owner_email.clone()
    } else {
        r.owner_name.clone()
    };
    let can_stop = matches!(r.jupyter.as_str(), "starting" | "running");
    let stop_label = format!("{} — {} ({owner})", tr(i, "jupyter.stop"), r.name);
    let id = r.id;
    view! {
        <tr data-testid="workspace-row" data-jupyter=r.jupyter.clone()>
            <td>
                <div>{owner.clone()}</div>
                <div class="muted">{r.owner_email.clone()}</div>
            </td>
            <td>{r.name.clone()}</td>
            <td class="num">{size(r.size_bytes)}</td>
            <td><span class=state_badge(&r.jupyter)>{state_label(i, &r.jupyter)}</span></td>
            <td>{when(r.last_activity)}</td>
            <td>{when(Some(r.created_at))}</td>
            <td class="row-actions">
                {can_stop.then(|| view! {
                    <ActionForm action=stop attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="btn ghost small" aria-label=stop_label>{tr(i, "jupyter.stop")}</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
    .into_any()
}
