use leptos::html::Form;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::{ChangePassword, LogoutEverywhere};
use crate::components::form::{Field, FormAlert, Submit};
use crate::components::layout::{Layout, RequireUser};
use crate::components::toast::use_toasts;
use crate::form_state::{form_error, kept, reload_on_success};
use crate::i18n::use_i18n;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i = use_i18n();
    let change = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<LogoutEverywhere>::new();
    let error = form_error(change.value());
    let everywhere_error = form_error(everywhere.value());
    reload_on_success(everywhere.value());
    let toasts = use_toasts();
    let form_ref = NodeRef::<Form>::new();
    let done_without_js = kept("done") == "password";
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            toasts.push(i.t("account.password_changed"));
            if let Some(form) = form_ref.get_untracked() {
                form.reset();
            }
        }
    });
    view! {
        <Title text=i.t("account.title") />
        <RequireUser let:user>
            <Layout user=user.clone()>
                <h1>{i.t("account.title")}</h1>
                {user.must_change_password.then(|| view! { <p class="alert warn" role="alert">{i.t("dashboard.must_change")}</p> })}
                {done_without_js.then(|| view! { <p class="alert success" role="status">{i.t("account.password_changed")}</p> })}
                <section class="card">
                    <h2>{i.t("account.password")}</h2>
                    <FormAlert error />
                    <ActionForm action=change node_ref=form_ref attr:class="stack" attr:novalidate=true>
                        <Field
                            label=i.t("field.current_password")
                            name="current_password"
                            kind="password"
                            autocomplete="current-password"
                            required=true
                            error
                        />
                        <Field
                            label=i.t("field.new_password")
                            name="new_password"
                            kind="password"
                            autocomplete="new-password"
                            hint=i.t("field.password_hint")
                            required=true
                            error
                        />
                        <Submit label=i.t("account.password_submit") pending_label=i.t("common.saving") pending=change.pending().into() />
                    </ActionForm>
                </section>
                <crate::pages::ssh_keys::SshKeysSection />
                <section class="card">
                    <h2>{i.t("account.everywhere")}</h2>
                    <p>{i.t("account.everywhere_lead")}</p>
                    <FormAlert error=everywhere_error />
                    <ActionForm action=everywhere>
                        <button type="submit" class="btn danger">{i.t("account.everywhere")}</button>
                    </ActionForm>
                </section>
            </Layout>
        </RequireUser>
    }
}
