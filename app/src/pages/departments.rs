use leptos::html::Form;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::org::{list_departments, CreateDepartment, DeleteDepartment, RenameDepartment};
use crate::components::form::{Field, FormAlert, Submit};
use crate::components::layout::{Layout, Permitted, RequireUser};
use crate::components::toast::use_toasts;
use crate::form_state::{form_error, kept};
use crate::i18n::use_i18n;

/// Admins: the company's departments, with forms to add, rename and remove them.
#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let i = use_i18n();
    let create = ServerAction::<CreateDepartment>::new();
    let rename = ServerAction::<RenameDepartment>::new();
    let delete = ServerAction::<DeleteDepartment>::new();
    let error = form_error(create.value());
    let row_error = Signal::derive({
        let from_rename = form_error(rename.value());
        let from_delete = form_error(delete.value());
        move || from_delete.get().or_else(|| from_rename.get())
    });
    let departments = Resource::new_blocking(
        move || {
            (
                create.version().get(),
                rename.version().get(),
                delete.version().get(),
            )
        },
        |_| list_departments(),
    );
    let toasts = use_toasts();
    let form_ref = NodeRef::<Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            toasts.push(i.t("departments.created"));
            if let Some(form) = form_ref.get_untracked() {
                form.reset();
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            toasts.push(i.t("departments.deleted"));
        }
    });
    view! {
        <Title text=i.t("departments.title") />
        <RequireUser let:user>
            <Layout user=user.clone()>
                <Permitted when=user.capabilities.can_manage_company>
                    <h1>{i.t("departments.title")}</h1>
                    {crate::pages::users::admin_tabs(i)}
                    {match kept("done").as_str() {
                        "created" => Some(i.t("departments.created")),
                        "renamed" => Some(i.t("departments.renamed")),
                        "deleted" => Some(i.t("departments.deleted")),
                        _ => None,
                    }
                        .map(|m| view! { <p class="alert success" role="status">{m}</p> })}
                    <div class="split">
                        <section class="card">
                            <FormAlert error=row_error />
                            <Transition fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                                {move || Suspend::new(async move {
                                    match departments.await {
                                        Ok(page) if page.items.is_empty() => {
                                            view! { <p>{i.t("departments.empty")}</p> }.into_any()
                                        }
                                        Ok(page) => view! {
                                            <table class="table">
                                                <thead>
                                                    <tr>
                                                        <th scope="col">{i.t("field.name")}</th>
                                                        <th scope="col">{i.t("field.description")}</th>
                                                        <th scope="col">{i.t("common.actions")}</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {page.items.into_iter().map(|d| {
                                                        let input_id = format!("dept-{}", d.id);
                                                        let delete_label = format!("{} {}", i.t("common.delete"), d.name);
                                                        view! {
                                                        <tr>
                                                            <td>
                                                                <ActionForm action=rename attr:class="inline row-form">
                                                                    <input type="hidden" name="id" value=d.id />
                                                                    <label class="visually-hidden" for=input_id.clone()>{i.t("field.name")}</label>
                                                                    <input id=input_id name="name" value=d.name required=true />
                                                                    <button type="submit" class="btn ghost small">{i.t("common.save")}</button>
                                                                </ActionForm>
                                                            </td>
                                                            <td>{d.description.clone()}</td>
                                                            <td>
                                                                <ActionForm action=delete attr:class="inline">
                                                                    <input type="hidden" name="id" value=d.id />
                                                                    <button type="submit" class="btn danger small" aria-label=delete_label>
                                                                        {i.t("common.delete")}
                                                                    </button>
                                                                </ActionForm>
                                                            </td>
                                                        </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        }.into_any(),
                                        Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                                    }
                                })}
                            </Transition>
                        </section>
                        <section class="card">
                            <h2>{i.t("departments.create")}</h2>
                            <FormAlert error />
                            <ActionForm action=create node_ref=form_ref attr:class="stack" attr:novalidate=true>
                                <Field label=i.t("field.name") name="name" value=kept("name") required=true error />
                                <Field label=i.t("field.description") name="description" value=kept("description") error />
                                <Submit label=i.t("departments.create_submit") pending_label=i.t("common.saving") pending=create.pending().into() />
                            </ActionForm>
                        </section>
                    </div>
                </Permitted>
            </Layout>
        </RequireUser>
    }
}
