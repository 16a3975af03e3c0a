//! `/admin/hosting`: every hosting the admin oversees — totals per state, then a page of
//! hostings with owner, state, operation, host, ports and age — with force stop and force
//! delete (behind a confirmation). Anyone else gets the 403 page.

use entity::hosting::{HostingRow, HostingStatus};
use entity::ErrorKind;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{age, now, op_label, status_class, status_label};
use crate::api::hosting::{load_hosting_overview, ForceHosting, HostingOverview};
use crate::components::form::FormAlert;
use crate::components::layout::{Layout, Permitted, RequireUser};
use crate::components::toast::use_toasts;
use crate::components::ui::{Dialog, EmptyState};
use crate::form_state::error_from_query;
use crate::i18n::{use_i18n, I18n};
use crate::pages::hosting::tr;

#[component]
pub fn AdminHostingPage() -> impl IntoView {
    let i = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| query.read().get("page").and_then(|p| p.parse::<u64>().ok()));
    let force = ServerAction::<ForceHosting>::new();
    let overview = Resource::new_blocking(
        move || (page.get(), force.version().get()),
        |(page, _)| load_hosting_overview(page),
    );
    let toasts = use_toasts();
    let asked = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(input) = force.input().get() {
            asked.set(input.action);
        }
    });
    Effect::new(move |_| match force.value().get() {
        Some(Ok(())) => toasts.push(match asked.get_untracked().as_str() {
            "stop" => tr(i, "hosting.forced_stop"),
            _ => tr(i, "hosting.forced_delete"),
        }),
        Some(Err(e)) => toasts.push(i.error(&e)),
        None => {}
    });
    let from_query = error_from_query();
    let query_error = Signal::derive(move || {
        force
            .value()
            .with(Option::is_none)
            .then(|| from_query.clone())
            .flatten()
    });
    view! {
        <Title text=tr(i, "hosting.admin_title") />
        <RequireUser let:me>
            <Layout user=me>
                <Transition fallback=move || view! { <p class="loading">{tr(i, "common.loading")}</p> }>
                    {move || Suspend::new(async move {
                        match overview.await {
                            Ok(o) => view! {
                                <div class="page-head">
                                    <div>
                                        <h1>{tr(i, "hosting.admin_title")}</h1>
                                        <p class="lead">{tr(i, "hosting.admin_lead")}</p>
                                    </div>
                                </div>
                                {crate::pages::users::admin_tabs(i)}
                                <FormAlert error=query_error />
                                <Overview overview=o force />
                            }
                            .into_any(),
                            Err(e) if e.kind == ErrorKind::Forbidden => view! {
                                <Permitted when=false><span /></Permitted>
                            }
                            .into_any(),
                            Err(e) => view! {
                                <h1>{tr(i, "hosting.admin_title")}</h1>
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
fn Overview(overview: HostingOverview, force: ServerAction<ForceHosting>) -> impl IntoView {
    let i = use_i18n();
    let HostingOverview { page, totals } = overview;
    let pages = page.total.div_ceil(page.per_page.max(1)).max(1);
    let current = page.page.min(pages);
    let at = now();
    view! {
        <h2 class="visually-hidden">{tr(i, "hosting.totals")}</h2>
        <div class="stats hosting-totals" data-testid="hosting-totals">
            {totals.into_iter().map(|t| view! {
                <div class="stat" data-status=t.status.as_str()>
                    <span class="stat-value">{t.count}</span>
                    <span class="stat-label">{status_label(i, t.status)}</span>
                </div>
            }).collect_view()}
        </div>
        {if page.items.is_empty() {
            view! { <EmptyState title=tr(i, "hosting.admin_empty") /> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="table hosting-table" data-testid="hostings">
                        <thead>
                            <tr>
                                <th scope="col">{tr(i, "hosting.owner")}</th>
                                <th scope="col">{tr(i, "hosting.state")}</th>
                                <th scope="col">{tr(i, "hosting.op")}</th>
                                <th scope="col">{tr(i, "hosting.host")}</th>
                                <th scope="col" class="num">{tr(i, "hosting.ssh_port")}</th>
                                <th scope="col" class="num">{tr(i, "hosting.web_port")}</th>
                                <th scope="col">{tr(i, "hosting.age")}</th>
                                <th scope="col"><span class="visually-hidden">{tr(i, "common.actions")}</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.items.into_iter().map(|r| row(i, r, force, at)).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
        <nav class="pager" aria-label=tr(i, "hosting.pages")>
            <span>{format!("{current} / {pages} · {}", page.total)}</span>
            {(current > 1).then(|| view! { <a href=format!("/admin/hosting?page={}", current - 1) rel="prev">{tr(i, "users.previous")}</a> })}
            {(current < pages).then(|| view! { <a href=format!("/admin/hosting?page={}", current + 1) rel="next">{tr(i, "users.next")}</a> })}
        </nav>
    }
    .into_any()
}

fn port(p: Option<u16>) -> String {
    p.map_or_else(|| "—".to_owned(), |p| p.to_string())
}

fn row(
    i: I18n,
    r: HostingRow,
    force: ServerAction<ForceHosting>,
    at: chrono::DateTime<chrono::Utc>,
) -> impl IntoView {
    let busy = r.op.is_some() || r.status.is_transitional();
    let can_stop = matches!(r.status, HostingStatus::Running | HostingStatus::Stopping);
    let can_delete = !(r.status == HostingStatus::Deleting && r.op.is_some());
    let owner = if r.owner_name.is_empty() {
        r.owner_email.clone()
    } else {
        r.owner_name.clone()
    };
    let confirm_id = format!("force-delete-{}", r.id);
    let confirm_title = tr(i, "hosting.force_delete_title").replace("{name}", &owner);
    let delete_label = format!("{} — {owner}", tr(i, "hosting.force_delete"));
    let stop_label = format!("{} — {owner}", tr(i, "hosting.force_stop"));
    let id = r.id;
    view! {
        <tr data-testid="hosting-row" data-status=r.status.as_str()>
            <td>
                <div>{owner.clone()}</div>
                <div class="muted">{r.owner_email.clone()}</div>
            </td>
            <td>
                <span class=status_class(r.status, busy)>{status_label(i, r.status)}</span>
                {r.error.clone().map(|e| view! { <div class="muted hosting-row-error">{e}</div> })}
            </td>
            <td>{r.op.as_deref().map_or_else(|| "—".to_owned(), |op| op_label(i, op))}</td>
            <td><code>{r.host.clone().unwrap_or_else(|| "—".to_owned())}</code></td>
            <td class="num">{port(r.ssh_port)}</td>
            <td class="num">{port(r.http_port)}</td>
            <td><time datetime=r.created_at.to_rfc3339()>{age(i, r.created_at, at)}</time></td>
            <td class="row-actions">
                {can_stop.then(|| view! {
                    <ActionForm action=force attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="action" value="stop" />
                        <button type="submit" class="btn ghost small" aria-label=stop_label>{tr(i, "hosting.force_stop")}</button>
                    </ActionForm>
                })}
                {can_delete.then(|| view! {
                    <button type="button" class="btn quiet-danger small" popovertarget=confirm_id.clone() aria-label=delete_label>
                        {tr(i, "hosting.force_delete")}
                    </button>
                    <Dialog id=confirm_id.clone() title=confirm_title close_label=tr(i, "common.close")>
                        <p>{tr(i, "hosting.force_delete_warning")}</p>
                        <ActionForm action=force attr:class="actions">
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="action" value="delete" />
                            <button type="submit" class="btn danger">{tr(i, "hosting.force_delete")}</button>
                            <button type="button" class="btn ghost" popovertarget=confirm_id.clone() popovertargetaction="hide">
                                {tr(i, "common.cancel")}
                            </button>
                        </ActionForm>
                    </Dialog>
                })}
            </td>
        </tr>
    }
    .into_any()
}
