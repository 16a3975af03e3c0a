//! Admins: the company's people — search and filter (a plain GET form), pages, a row menu per
//! person (edit, deactivate, reset password, unlock) and a dialog to add someone.

mod add;
mod row;

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::users::{
    list_users, take_reset_flash, CreateUser, ResetPassword, SetActive, UnlockUser, UpdateUser,
    UserFilter,
};
use crate::components::form::FormAlert;
use crate::components::layout::{Layout, Permitted, RequireUser};
use crate::components::toast::use_toasts;
use crate::components::ui::{DialogButton, EmptyState, Tabs};
use crate::form_state::{form_error, kept};
use crate::i18n::{use_i18n, I18n};

/// The admin pages' tabs: people, departments, CSV import.
pub fn admin_tabs(i: I18n) -> impl IntoView {
    view! {
        <Tabs label=i.t("nav.admin") tabs=vec![
            ("/admin/users", i.t("nav.users").to_string()),
            ("/admin/departments", i.t("nav.departments").to_string()),
            ("/admin/users/import", i.t("import.title").to_string()),
            ("/admin/hosting", i.t("hosting.admin_title").to_string()),
            ("/admin/workspaces", i.t("workspaces.admin_title").to_string()),
        ] />
    }
}

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
    let update = ServerAction::<UpdateUser>::new();
    let set_active = ServerAction::<SetActive>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let unlock = ServerAction::<UnlockUser>::new();
    // Without JavaScript a refused form comes back as `?e=…` with what was typed. An add that
    // failed keeps a name or an email: its form opens again (not behind its button) with the
    // error; any other error belongs to the rows.
    let add_open = form_error(create.value()).get_untracked().is_some()
        && !(kept("name").is_empty() && kept("email").is_empty());
    let error = Signal::derive({
        let error = form_error(create.value());
        move || {
            error
                .get()
                .filter(|_| add_open || create.value().get().is_some())
        }
    });
    let row_error = Signal::derive({
        let errors = [
            form_error(update.value()),
            form_error(set_active.value()),
            form_error(reset.value()),
            form_error(unlock.value()),
        ];
        move || errors.iter().find_map(|e| e.get()).filter(|_| !add_open)
    });
    let people = Resource::new_blocking(
        move || {
            let versions = (
                create.version().get(),
                update.version().get(),
                set_active.version().get(),
                reset.version().get(),
                unlock.version().get(),
            );
            (filter.get(), versions)
        },
        |(f, _)| list_users(f),
    );
    let flash = Resource::new_blocking(|| (), |_| take_reset_flash());
    let departments = Resource::new_blocking(|| (), |_| crate::api::org::list_departments());
    let toasts = use_toasts();
    Effect::new(move |_| {
        if let Some(Ok(_)) = update.value().get() {
            toasts.push(i.t("users.updated"));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = unlock.value().get() {
            toasts.push(i.t("users.unlocked"));
        }
    });
    let actions = row::RowActions {
        update,
        set_active,
        reset,
        unlock,
    };
    view! {
        <Title text=i.t("users.title") />
        <RequireUser let:me>
            <Layout user=me.clone()>
                <Permitted when=me.capabilities.can_manage_company>
                    <div class="page-head">
                        <h1>{i.t("users.title")}</h1>
                        <div class="actions">
                            <a class="btn ghost" href="/admin/users/import">{i.t("import.title")}</a>
                            {(!add_open).then(|| view! {
                                <DialogButton target="add-person">{i.t("users.create")}</DialogButton>
                            })}
                        </div>
                    </div>
                    {admin_tabs(i)}
                    {match kept("done").as_str() {
                        "created" => Some(i.t("users.created")),
                        "updated" => Some(i.t("users.updated")),
                        "unlocked" => Some(i.t("users.unlocked")),
                        _ => None,
                    }
                        .map(|m| view! { <p class="alert success" role="status">{m}</p> })}
                    <Suspense>
                        {move || Suspend::new(async move {
                            flash.await.ok().flatten().map(|(email, password)| temporary_password(i, email, password))
                        })}
                    </Suspense>
                    {move || reset.value().get().and_then(Result::ok).map(|password| temporary_password(i, String::new(), password))}
                    <add::AddPerson action=create error open=add_open departments />
                    <Filters filter />
                    <FormAlert error=row_error />
                    <Transition fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                        {
                            let me = me.clone();
                            move || {
                                let me = me.clone();
                                Suspend::new(async move {
                                    // Both awaited in one Suspend: the server's tree and the client's agree.
                                    let names: HashMap<i32, String> = departments
                                        .await
                                        .map(|page| page.items.into_iter().map(|d| (d.id, d.name)).collect())
                                        .unwrap_or_default();
                                    match people.await {
                                        Ok(page) if page.items.is_empty() => view! {
                                            <EmptyState title=i.t("users.empty") />
                                        }.into_any(),
                                        Ok(page) => {
                                            let pages = page.total.div_ceil(page.per_page).max(1);
                                            view! {
                                                <div class="table-scroll">
                                                    <table class="table people">
                                                        <thead>
                                                            <tr>
                                                                <th scope="col">{i.t("field.name")}</th>
                                                                <th scope="col">{i.t("field.role")}</th>
                                                                <th scope="col">{i.t("field.department")}</th>
                                                                <th scope="col">{i.t("users.status")}</th>
                                                                <th scope="col"><span class="visually-hidden">{i.t("common.actions")}</span></th>
                                                            </tr>
                                                        </thead>
                                                        <tbody>
                                                            {page.items.into_iter().map(|p| {
                                                                let department = p.user.department_id.and_then(|d| names.get(&d).cloned());
                                                                row::person_row(i, &me, p, department, &names, actions)
                                                            }).collect_view()}
                                                        </tbody>
                                                    </table>
                                                </div>
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
