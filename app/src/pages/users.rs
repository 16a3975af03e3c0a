use entity::{user, Role};
use leptos::html::Form;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::users::{
    list_users, take_reset_flash, CreateUser, ResetPassword, SetActive, SetRole, UnlockUser,
    UserFilter,
};
use crate::components::form::{Field, FormAlert, Submit};
use crate::components::layout::{role_key, Layout, Permitted, RequireUser};
use crate::components::mentoring::FieldMessage;
use crate::components::toast::use_toasts;
use crate::form_state::{form_error, kept};
use crate::i18n::{use_i18n, I18n};

/// Admins: the company's people — search and filter (a plain GET form), pages, role changes,
/// deactivation, password resets — and a form to add a person.
#[component]
pub fn UsersPage() -> impl IntoView {
    let i = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.get();
        UserFilter {
            q: q.get("q").unwrap_or_default(),
            role: q.get("role").unwrap_or_default(),
            active: q.get("active").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        }
    });
    let create = ServerAction::<CreateUser>::new();
    let set_role = ServerAction::<SetRole>::new();
    let set_active = ServerAction::<SetActive>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let unlock = ServerAction::<UnlockUser>::new();
    let error = form_error(create.value());
    let row_error = Signal::derive({
        let errors = [
            form_error(set_role.value()),
            form_error(set_active.value()),
            form_error(reset.value()),
            form_error(unlock.value()),
        ];
        move || errors.iter().find_map(|e| e.get())
    });
    let people = Resource::new_blocking(
        move || {
            let versions = (
                create.version().get(),
                set_role.version().get(),
                set_active.version().get(),
                reset.version().get(),
            );
            (filter.get(), versions)
        },
        |(f, _)| list_users(f),
    );
    let flash = Resource::new_blocking(|| (), |_| take_reset_flash());
    let departments = Resource::new_blocking(|| (), |_| crate::api::org::list_departments());
    let toasts = use_toasts();
    let form_ref = NodeRef::<Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            toasts.push(i.t("users.created"));
            if let Some(form) = form_ref.get_untracked() {
                form.reset();
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = unlock.value().get() {
            toasts.push(i.t("users.unlocked"));
        }
    });
    view! {
        <Title text=i.t("users.title") />
        <RequireUser let:me>
            <Layout user=me.clone()>
                <Permitted when=me.capabilities.can_manage_company>
                    <h1>{i.t("users.title")}</h1>
                    <p><a href="/admin/users/import">{i.t("import.title")}</a></p>
                    {(kept("done") == "created").then(|| view! { <p class="alert success" role="status">{i.t("users.created")}</p> })}
                    {(kept("done") == "unlocked").then(|| view! { <p class="alert success" role="status">{i.t("users.unlocked")}</p> })}
                    <Suspense>
                        {move || Suspend::new(async move {
                            flash.await.ok().flatten().map(|(email, password)| temporary_password(i, email, password))
                        })}
                    </Suspense>
                    {move || reset.value().get().and_then(Result::ok).map(|password| temporary_password(i, String::new(), password))}
                    <div class="split">
                        <section class="card">
                            <Filters filter />
                            <FormAlert error=row_error />
                            <Transition fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                                {
                                    let me = me.clone();
                                    move || {
                                        let me = me.clone();
                                        Suspend::new(async move {
                                            match people.await {
                                                Ok(page) if page.items.is_empty() => view! { <p>{i.t("users.empty")}</p> }.into_any(),
                                                Ok(page) => {
                                                    let pages = page.total.div_ceil(page.per_page).max(1);
                                                    view! {
                                                        <table class="table">
                                                            <thead>
                                                                <tr>
                                                                    <th scope="col">{i.t("field.name")}</th>
                                                                    <th scope="col">{i.t("field.role")}</th>
                                                                    <th scope="col">{i.t("users.status")}</th>
                                                                    <th scope="col">{i.t("common.actions")}</th>
                                                                </tr>
                                                            </thead>
                                                            <tbody>
                                                                {page.items.into_iter().map(|u| person_row(i, &me, u, set_role, set_active, reset, unlock)).collect_view()}
                                                            </tbody>
                                                        </table>
                                                        <Pager filter pages total=page.total />
                                                    }
                                                        .into_any()
                                                }
                                                Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                                            }
                                        })
                                    }
                                }
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
                                <div class="field">
                                    <label for="field-department_id">{i.t("field.department")}</label>
                                    <select id="field-department_id" name="department_id">
                                        <option value="">{i.t("users.no_department")}</option>
                                        <Suspense fallback=|| ()>
                                            {move || Suspend::new(async move {
                                                departments.await.map(|page| page.items.into_iter().map(|d| {
                                                    let selected = kept("department_id") == d.id.to_string();
                                                    view! { <option value=d.id selected=selected>{d.name}</option> }
                                                }).collect_view()).ok()
                                            })}
                                        </Suspense>
                                    </select>
                                    <FieldMessage error name="department_id" />
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
                </Permitted>
            </Layout>
        </RequireUser>
    }
}

fn temporary_password(i: I18n, email: String, password: String) -> impl IntoView {
    view! {
        <p class="alert success" role="status">
            {i.t("users.temporary_password")} " " {email} " "
            <code data-testid="temporary-password">{password}</code>
        </p>
    }
}

/// Search and filters: a plain GET form, so results are linkable and work without JavaScript.
#[component]
fn Filters(filter: Memo<UserFilter>) -> impl IntoView {
    let i = use_i18n();
    let f = filter.get_untracked();
    let option = move |value: &'static str, label: &'static str, current: &str| {
        view! { <option value=value selected=current == value>{i.t(label)}</option> }
    };
    view! {
        <form method="get" action="/admin/users" class="filters" role="search">
            <div class="field">
                <label for="filter-q">{i.t("users.search")}</label>
                <input id="filter-q" type="search" name="q" value=f.q.clone() />
            </div>
            <div class="field">
                <label for="filter-role">{i.t("field.role")}</label>
                <select id="filter-role" name="role">
                    {option("", "users.any", &f.role)}
                    {option("admin", "role.admin", &f.role)}
                    {option("mentor", "role.mentor", &f.role)}
                    {option("mentee", "role.mentee", &f.role)}
                </select>
            </div>
            <div class="field">
                <label for="filter-active">{i.t("users.status")}</label>
                <select id="filter-active" name="active">
                    {option("", "users.any", &f.active)}
                    {option("true", "users.active", &f.active)}
                    {option("false", "users.inactive", &f.active)}
                </select>
            </div>
            <button type="submit" class="btn ghost">{i.t("users.search_submit")}</button>
        </form>
    }
}

#[component]
fn Pager(filter: Memo<UserFilter>, pages: u64, total: u64) -> impl IntoView {
    let i = use_i18n();
    let f = filter.get_untracked();
    let link = move |page: u64| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("q", &f.q), ("role", &f.role), ("active", &f.active)] {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        q.append_pair("page", &page.to_string());
        format!("/admin/users?{}", q.finish())
    };
    let current = f.page.min(pages);
    view! {
        <nav class="pager" aria-label=i.t("users.pages")>
            <span>{format!("{current} / {pages} · {total}")}</span>
            {(current > 1).then(|| view! { <a href=link(current - 1) rel="prev">{i.t("users.previous")}</a> })}
            {(current < pages).then(|| view! { <a href=link(current + 1) rel="next">{i.t("users.next")}</a> })}
        </nav>
    }
}

fn person_row(
    i: I18n,
    me: &user::Model,
    u: user::Model,
    set_role: ServerAction<SetRole>,
    set_active: ServerAction<SetActive>,
    reset: ServerAction<ResetPassword>,
    unlock: ServerAction<UnlockUser>,
) -> impl IntoView {
    let own = u.id == me.id;
    let role_id = format!("role-{}", u.id);
    let role = u.role;
    let label = |key: &'static str| format!("{} — {}", i.t(key), u.name);
    let (toggle_label, toggle_to) = if u.is_active {
        (label("users.deactivate"), "false")
    } else {
        (label("users.activate"), "true")
    };
    let reset_label = label("users.reset");
    let unlock_label = label("users.unlock");
    view! {
        <tr class:inactive=!u.is_active>
            <td>
                <strong>{u.name.clone()}</strong>
                <br />
                <small>{u.email.clone()}</small>
            </td>
            <td>
                {if own {
                    view! { <span>{i.t(role_key(role))}</span> }.into_any()
                } else {
                    view! {
                        <ActionForm action=set_role attr:class="inline row-form">
                            <input type="hidden" name="id" value=u.id />
                            <label class="visually-hidden" for=role_id.clone()>{i.t("field.role")}</label>
                            <select id=role_id name="role">
                                {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=r == role>{i.t(role_key(r))}</option> }).collect_view()}
                            </select>
                            <button type="submit" class="btn ghost small">{i.t("common.save")}</button>
                        </ActionForm>
                    }
                        .into_any()
                }}
            </td>
            <td>{if u.is_active { i.t("users.active") } else { i.t("users.inactive") }}</td>
            <td>
                {(!own).then(|| view! {
                    <div class="row-actions">
                        <ActionForm action=set_active attr:class="inline">
                            <input type="hidden" name="id" value=u.id />
                            <input type="hidden" name="active" value=toggle_to />
                            <button type="submit" class="btn ghost small" aria-label=toggle_label>
                                {if toggle_to == "false" { i.t("users.deactivate") } else { i.t("users.activate") }}
                            </button>
                        </ActionForm>
                        <ActionForm action=reset attr:class="inline">
                            <input type="hidden" name="id" value=u.id />
                            <button type="submit" class="btn ghost small" aria-label=reset_label>{i.t("users.reset")}</button>
                        </ActionForm>
                        <ActionForm action=unlock attr:class="inline">
                            <input type="hidden" name="id" value=u.id />
                            <button type="submit" class="btn ghost small" aria-label=unlock_label>{i.t("users.unlock")}</button>
                        </ActionForm>
                    </div>
                })}
            </td>
        </tr>
    }
}
