use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::{site_info, CompleteSetup};
use crate::components::form::{Field, FormAlert, Submit};
use crate::components::layout::AuthCard;
use crate::form_state::{form_error, kept, reload_on_success};
use crate::i18n::use_i18n;

/// First start: create the first administrator with the one-time link `nuri serve` printed.
#[component]
pub fn SetupPage() -> impl IntoView {
    let i = use_i18n();
    let action = ServerAction::<CompleteSetup>::new();
    let error = form_error(action.value());
    reload_on_success(action.value());
    let info = Resource::new_blocking(|| (), |_| site_info());
    view! {
        <Title text=i.t("setup.title") />
        <AuthCard title=i.t("setup.title")>
            <Suspense>
                {move || Suspend::new(async move {
                    if !info.await.map(|s| s.needs_setup).unwrap_or(false) {
                        return view! {
                            <p class="alert info">{i.t("setup.done")}</p>
                            <p class="aside"><a href="/login">{i.t("action.login")}</a></p>
                        }
                            .into_any();
                    }
                    view! {
                        <p class="lead">{i.t("setup.lead")}</p>
                        <FormAlert error />
                        <ActionForm action=action attr:class="stack" attr:novalidate=true>
                            <input type="hidden" name="token" value=kept("token") />
                            <Field
                                label=i.t("field.company")
                                name="company"
                                autocomplete="organization"
                                value=kept("company")
                                hint=i.t("setup.company_hint")
                                error
                            />
                            <Field label=i.t("field.name") name="name" autocomplete="name" value=kept("name") required=true error />
                            <Field
                                label=i.t("field.email")
                                name="email"
                                kind="email"
                                autocomplete="email"
                                value=kept("email")
                                required=true
                                error
                            />
                            <Field
                                label=i.t("field.password")
                                name="password"
                                kind="password"
                                autocomplete="new-password"
                                hint=i.t("field.password_hint")
                                required=true
                                error
                            />
                            <Submit label=i.t("setup.submit") pending_label=i.t("common.saving") pending=action.pending().into() />
                        </ActionForm>
                    }
                        .into_any()
                })}
            </Suspense>
        </AuthCard>
    }
}
