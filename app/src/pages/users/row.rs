//! One person in the people table: who they are, and a row menu with what an admin may do.

use std::collections::HashMap;

use entity::{user, Role};
use leptos::prelude::*;

use crate::api::users::{ResetPassword, SetActive, UnlockUser, UpdateUser};
use crate::components::avatar::Avatar;
use crate::components::icon::{lu, Icon};
use crate::components::layout::role_key;
use crate::components::ui::{Dialog, RowMenu};
use crate::i18n::I18n;

/// The actions every row's menu posts to.
#[derive(Clone, Copy)]
pub struct RowActions {
    pub update: ServerAction<UpdateUser>,
    pub set_active: ServerAction<SetActive>,
    pub reset: ServerAction<ResetPassword>,
    pub unlock: ServerAction<UnlockUser>,
}

pub fn person_row(
    i: I18n,
    me: &user::Model,
    person: user::Person,
    department: Option<String>,
    departments: &HashMap<i32, String>,
    actions: RowActions,
) -> impl IntoView {
    let (u, locked_until) = (person.user, person.locked_until);
    let own = u.id == me.id;
    let locked = locked_until.map(|until| {
        let title = format!("{} {} UTC", i.t("users.locked_until"), until.format("%Y-%m-%d %H:%M"));
        view! { " "<span class="badge warn" title=title data-testid="locked">{i.t("users.locked")}</span> }
    });
    view! {
        <tr class:inactive=!u.is_active>
            <td>
                <span class="person">
                    <Avatar id=u.id name=u.name.clone() size="small" />
                    <span class="person-text">
                        <strong>{u.name.clone()}</strong>
                        <span class="muted">{u.email.clone()}</span>
                    </span>
                </span>
            </td>
            <td>{i.t(role_key(u.role))}</td>
            <td>{department.unwrap_or_else(|| "—".into())}</td>
            <td>
                {if u.is_active {
                    view! { <span class="badge ok">{i.t("users.active")}</span> }.into_any()
                } else {
                    view! { <span class="badge muted-badge">{i.t("users.inactive")}</span> }.into_any()
                }}
                {locked}
            </td>
            <td class="row-end">{(!own).then(|| menu(i, &u, departments, actions))}</td>
        </tr>
    }
    .into_any()
}

fn menu(
    i: I18n,
    u: &user::Model,
    departments: &HashMap<i32, String>,
    actions: RowActions,
) -> impl IntoView {
    let label = |key: &'static str| format!("{} — {}", i.t(key), u.name);
    let (toggle_key, toggle_to) = if u.is_active {
        ("users.deactivate", "false")
    } else {
        ("users.activate", "true")
    };
    let (menu_label, edit_label) = (label("common.actions"), label("common.edit"));
    let (reset_label, unlock_label, toggle_label) = (
        label("users.reset"),
        label("users.unlock"),
        label(toggle_key),
    );
    let (id, active) = (u.id, u.is_active);
    let dialog = format!("edit-user-{id}");
    let opens = dialog.clone();
    let form = edit_form(i, u, departments, actions.update);
    view! {
        <RowMenu label=menu_label>
            <button type="button" class="menu-item" popovertarget=opens aria-label=edit_label>
                <Icon icon=lu::LuPencil />{i.t("common.edit")}
            </button>
            <ActionForm action=actions.reset attr:class="menu-form-plain">
                <input type="hidden" name="id" value=id />
                <button type="submit" class="menu-item" aria-label=reset_label>
                    <Icon icon=lu::LuKeyRound />{i.t("users.reset")}
                </button>
            </ActionForm>
            <ActionForm action=actions.unlock attr:class="menu-form-plain">
                <input type="hidden" name="id" value=id />
                <button type="submit" class="menu-item" aria-label=unlock_label>
                    <Icon icon=lu::LuLockOpen />{i.t("users.unlock")}
                </button>
            </ActionForm>
            <ActionForm action=actions.set_active attr:class="menu-form-plain">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="active" value=toggle_to />
                <button type="submit" class="menu-item" class:danger=active aria-label=toggle_label>
                    <Icon icon={if active { lu::LuUserX } else { lu::LuUserCheck }} />{i.t(toggle_key)}
                </button>
            </ActionForm>
        </RowMenu>
        <Dialog id=dialog title=label("common.edit") close_label=i.t("common.close")>
            {form}
        </Dialog>
    }
    .into_any()
}

/// Name, role and department in one form. Field ids carry the person's id: every row has one.
fn edit_form(
    i: I18n,
    u: &user::Model,
    departments: &HashMap<i32, String>,
    update: ServerAction<UpdateUser>,
) -> impl IntoView {
    let id = |field: &str| format!("edit-{}-{field}", u.id);
    let mut choices: Vec<(i32, String)> = departments
        .iter()
        .map(|(id, name)| (*id, name.clone()))
        .collect();
    choices.sort_by(|a, b| a.1.cmp(&b.1));
    let (role, department) = (u.role, u.department_id);
    let (person, name) = (u.id, u.name.clone());
    let (name_id, role_id, department_id) = (id("name"), id("role"), id("department"));
    let (name_for, role_for, department_for) =
        (name_id.clone(), role_id.clone(), department_id.clone());
    view! {
        <ActionForm action=update attr:class="stack">
            <input type="hidden" name="id" value=person />
            <div class="field">
                <label for=name_for>{i.t("field.name")}</label>
                <input id=name_id name="name" value=name required=true autocomplete="off" />
            </div>
            <div class="field-row">
                <div class="field">
                    <label for=role_for>{i.t("field.role")}</label>
                    <select id=role_id name="role">
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == role>{i.t(role_key(r))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=department_for>{i.t("field.department")}</label>
                    <select id=department_id name="department_id">
                        <option value="" selected=department.is_none()>{i.t("users.no_department")}</option>
                        {choices.into_iter().map(|(d, name)| view! {
                            <option value=d selected=department == Some(d)>{name}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <button type="submit" class="btn primary">{i.t("common.save")}</button>
        </ActionForm>
    }
    .into_any()
}
