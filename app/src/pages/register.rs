use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::{site_info, take_kept_form, Register};
use crate::components::form::{Field, FormAlert, Submit};
use crate::components::layout::AuthCard;
use crate::form_state::{kept_error, reload_on_success};
use crate::i18n::use_i18n;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i = use_i18n();
    let action = ServerAction::<Register>::new();
    reload_on_success(action.value());
    let info = Resource::new_blocking(|| (), |_| site_info());
    // A refused registration without JavaScript: its error and what was typed, from the session.
    let kept = Resource::new_blocking(|| (), |_| take_kept_form("/register".into()));
    view! {
        <Title text=i.t("register.title") />
        <AuthCard title=i.t("register.title")>
            <Suspense>
                {move || Suspend::new(async move {
                    let kept = kept.await.ok().flatten();
                    if !info.await.map(|s| s.registration_open).unwrap_or(false) {
                        return view! {
                            <p class="alert info">{i.t("register.closed")}</p>
                            <p class="aside"><a href="/login">{i.t("action.login")}</a></p>
                        }
                            .into_any();
                    }
                    let value = |name: &str| kept.as_ref().map(|k| k.value(name)).unwrap_or_default();
                    let (name, email) = (value("name"), value("email"));
                    let error = kept_error(action.value(), kept.map(|k| k.error));
                    view! {
                        <FormAlert error />
                        <ActionForm action=action attr:class="stack" attr:novalidate=true>
                            <Field label=i.t("field.name") name="name" autocomplete="name" value=name required=true error />
                            <Field
                                label=i.t("field.email")
                                name="email"
                                kind="email"
                                autocomplete="email"
                                value=email
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
                            <Submit label=i.t("register.submit") pending_label=i.t("common.saving") pending=action.pending().into() />
                        </ActionForm>
                        <p class="aside"><a href="/login">{i.t("register.have_account")}</a></p>
                    }
                        .into_any()
                })}
            </Suspense>
        </AuthCard>
    }
}
