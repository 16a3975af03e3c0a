//! The "add a person" dialog of the people page.

use entity::{Page, Role};
use leptos::html::Form;
use leptos::prelude::*;

use crate::api::users::CreateUser;
use crate::components::form::{Field, FormAlert, Submit};
use crate::components::layout::role_key;
use crate::components::mentoring::FieldMessage;
use crate::components::toast::use_toasts;
use crate::components::ui::Dialog;
use crate::error::AppError;
use crate::form_state::kept;
use crate::i18n::use_i18n;

type Departments = Resource<Result<Page<entity::department::Model>, AppError>>;

#[component]
pub fn AddPerson(
    action: ServerAction<CreateUser>,
    error: Signal<Option<AppError>>,
    open: bool,
    departments: Departments,
) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let form_ref = NodeRef::<Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            toasts.push(i.t("users.created"));
            if let Some(form) = form_ref.get_untracked() {
                form.reset();
            }
            // The person is in the list now: close the dialog over it.
            #[cfg(feature = "hydrate")]
            {
                use leptos::wasm_bindgen::JsCast;
                if let Some(dialog) = document()
                    .get_element_by_id("add-person")
                    .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
                {
                    let _ = dialog.hide_popover();
                }
            }
        }
    });
    view! {
        <Dialog id="add-person" title=i.t("users.create") close_label=i.t("common.close") open>
            <FormAlert error />
            <ActionForm action node_ref=form_ref attr:class="stack" attr:novalidate=true>
                <Field label=i.t("field.name") name="name" value=kept("name") required=true error />
                <Field label=i.t("field.email") name="email" kind="email" value=kept("email") required=true error />
                <div class="field-row">
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
                <Submit label=i.t("users.create_submit") pending_label=i.t("common.saving") pending=action.pending().into() />
            </ActionForm>
        </Dialog>
    }
}
