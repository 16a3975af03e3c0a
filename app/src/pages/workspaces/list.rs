//! `/workspaces`: the reader's workspaces with their size and JupyterLab state, the quota's
//! usage, and a form to make a new one.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{size, state_badge, state_label, usage_bar};
use crate::api::workspaces::{list_workspaces, CreateWorkspace};
use crate::components::form::{Field, FormAlert, Submit};
use crate::components::layout::{Layout, RequireUser};
use crate::components::ui::EmptyState;
use crate::form_state::{form_error, kept};
use crate::i18n::use_i18n;
use crate::pages::workspaces::tr;

#[component]
pub fn WorkspacesPage() -> impl IntoView {
    let i = use_i18n();
    let create = ServerAction::<CreateWorkspace>::new();
    let error = form_error(create.value());
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            let navigate = leptos_router::hooks::use_navigate();
            navigate(&format!("/workspaces/{id}"), Default::default());
        }
    });
    let list = Resource::new_blocking(|| (), |_| list_workspaces());
    view! {
        <Title text=tr(i, "workspaces.title") />
        <RequireUser let:user>
            <Layout user=user.clone()>
                <div class="page-head">
                    <div>
                        <h1>{tr(i, "workspaces.title")}</h1>
                        <p class="lead">{tr(i, "workspaces.lead")}</p>
                    </div>
                    {user.capabilities.can_manage_company.then(|| view! {
                        <a class="btn ghost" href="/admin/workspaces">{tr(i, "workspaces.admin_title")}</a>
                    })}
                </div>
                <div class="split">
                    <section class="card">
                        <Transition fallback=move || view! { <p class="loading">{tr(i, "common.loading")}</p> }>
                            {move || Suspend::new(async move {
                                match list.await {
                                    Ok(list) => view! {
                                        {usage_bar(i, &list.usage)}
                                        {if list.items.is_empty() {
                                            view! { <EmptyState title=tr(i, "workspaces.empty") /> }.into_any()
                                        } else {
                                            view! { <WorkspaceTable items=list.items /> }.into_any()
                                        }}
                                    }.into_any(),
                                    Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                                }
                            })}
                        </Transition>
                    </section>
                    <section class="card">
                        <h2>{tr(i, "workspaces.create")}</h2>
                        <FormAlert error />
                        <ActionForm action=create attr:class="stack" attr:novalidate=true>
                            <Field label=tr(i, "field.name") name="name" value=kept("name") required=true error />
                            <Field label=tr(i, "field.description") name="description" value=kept("description") error />
                            <Submit label=tr(i, "workspaces.create_submit") pending_label=tr(i, "common.saving") pending=create.pending().into() />
                        </ActionForm>
                    </section>
                </div>
            </Layout>
        </RequireUser>
    }
}

#[component]
fn WorkspaceTable(items: Vec<entity::workspace::Workspace>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <table class="table" data-testid="workspaces">
            <thead>
                <tr>
                    <th scope="col">{tr(i, "field.name")}</th>
                    <th scope="col" class="num">{tr(i, "files.size")}</th>
                    <th scope="col">{tr(i, "jupyter.title")}</th>
                    <th scope="col">{tr(i, "files.modified")}</th>
                </tr>
            </thead>
            <tbody>
                {items.into_iter().map(|w| view! {
                    <tr>
                        <td>
                            <a href=format!("/workspaces/{}", w.id)>{w.name.clone()}</a>
                            {(!w.description.is_empty()).then(|| view! { <div class="muted">{w.description.clone()}</div> })}
                        </td>
                        <td class="num">{size(w.size_bytes)}</td>
                        <td><span class=state_badge(&w.jupyter)>{state_label(i, &w.jupyter)}</span></td>
                        <td><time datetime=w.updated_at.to_rfc3339()>{w.updated_at.format("%Y-%m-%d").to_string()}</time></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
