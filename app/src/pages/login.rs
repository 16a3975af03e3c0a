use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::{site_info, Login};
use crate::components::form::{Field, FormAlert, Submit};
use crate::components::layout::AuthCard;
use crate::form_state::{form_error, kept, reload_on_success};
use crate::i18n::use_i18n;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i = use_i18n();
    let action = ServerAction::<Login>::new();
    let error = form_error(action.value());
    reload_on_success(action.value());
    let info = Resource::new_blocking(|| (), |_| site_info());
    view! {
        <Title text=i.t("login.title") />
        <AuthCard title=i.t("login.title")>
            <FormAlert error />
            <ActionForm action=action attr:class="stack" attr:novalidate=true>
                <input type="hidden" name="next" value=kept("next") />
                <Field
                    label=i.t("field.email")
                    name="email"
                    kind="email"
                    autocomplete="username"
                    value=kept("email")
                    required=true
                    error
                />
                <Field
                    label=i.t("field.password")
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    error
                />
                <Submit label=i.t("login.submit") pending_label=i.t("login.pending") pending=action.pending().into() />
            </ActionForm>
            <Suspense>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(s) if s.registration_open => {
                            view! { <p class="aside"><a href="/register">{i.t("login.no_account")}</a></p> }.into_any()
                        }
                        _ => view! { <p class="aside muted">{i.t("login.invite_only")}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </AuthCard>
    }
}
