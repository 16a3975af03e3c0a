use entity::Role;
use leptos::html::Form;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::users::{list_users, CreateUser};
use crate::components::form::{Field, FormAlert, Submit};
use crate::components::layout::{role_key, Layout, RequireUser};
use crate::components::toast::use_toasts;
use crate::form_state::{form_error, kept};
use crate::i18n::use_i18n;

/// Admins: everyone in the instance, and a form to add a person.
#[component]
pub fn UsersPage() -> impl IntoView {
    let i = use_i18n();
    let create = ServerAction::<CreateUser>::new();
    let error = form_error(create.value());
    let users = Resource::new_blocking(move || create.version().get(), |_| list_users());
    let toasts = use_toasts();
    let form_ref = NodeRef::<Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            toasts.push(i.t("users.created"));
            if let Some(form) = form_ref.get() {
                form.reset();
            }
        }
    });
    view! {
        <Title text=i.t("users.title") />
        <RequireUser let:user>
            <Layout user=user>
                <h1>{i.t("users.title")}</h1>
                {(kept("done") == "created").then(|| view! { <p class="alert success" role="status">{i.t("users.created")}</p> })}
                <div class="split">
                    <section class="card">
                        <Transition fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                            {move || Suspend::new(async move {
                                match users.await {
                                    Ok(list) if list.is_empty() => view! { <p>{i.t("users.empty")}</p> }.into_any(),
                                    Ok(list) => view! {
                                        <table class="table">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{i.t("field.name")}</th>
                                                    <th scope="col">{i.t("field.email")}</th>
                                                    <th scope="col">{i.t("field.role")}</th>
                                                    <th scope="col">{i.t("users.active")}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {list.into_iter().map(|u| view! {
                                                    <tr>
                                                        <td>{u.name}</td>
                                                        <td>{u.email}</td>
                                                        <td>{i.t(role_key(u.role))}</td>
                                                        <td>{if u.is_active { i.t("users.active") } else { i.t("users.inactive") }}</td>
                                                    </tr>
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
                        <h2>{i.t("users.create")}</h2>
                        <FormAlert error />
                        <ActionForm action=create node_ref=form_ref attr:class="stack" attr:novalidate=true>
                            <Field label=i.t("field.name") name="name" value=kept("name") required=true error />
                            <Field label=i.t("field.email") name="email" kind="email" value=kept("email") required=true error />
                            <div class="field">
                                <label for="field-role">{i.t("field.role")}</label>
                                <select id="field-role" name="role">
                                    {Role::ALL.into_iter().rev().map(|r| {
                                        let selected = kept("role") == r.as_str();
                                        view! { <option value=r.as_str() selected=selected>{i.t(role_key(r))}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <Field
                                label=i.t("field.password")
                                name="password"
                                kind="password"
                                autocomplete="new-password"
                                hint=i.t("field.password_hint")
                                required=true
                                error
                            />
                            <Submit label=i.t("users.create_submit") pending_label=i.t("common.saving") pending=create.pending().into() />
                        </ActionForm>
                    </section>
                </div>
            </Layout>
        </RequireUser>
    }
}
