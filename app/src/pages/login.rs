use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::{site_info, take_kept_form, Login};
use crate::components::form::{Field, FormAlert, Submit};
use crate::components::layout::AuthCard;
use crate::form_state::{kept, kept_error, reload_on_success};
use crate::i18n::use_i18n;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i = use_i18n();
    let action = ServerAction::<Login>::new();
    reload_on_success(action.value());
    let info = Resource::new_blocking(|| (), |_| site_info());
    // A refused sign-in without JavaScript: its error and the email, from the session (never the URL).
    let refused = Resource::new_blocking(|| (), |_| take_kept_form("/login".into()));
    view! {
        <Title text=i.t("login.title") />
        <AuthCard title=i.t("login.title")>
            <Suspense>
                {move || Suspend::new(async move {
                    let refused = refused.await.ok().flatten();
                    let email = refused.as_ref().map(|k| k.value("email")).unwrap_or_default();
                    let error = kept_error(action.value(), refused.map(|k| k.error));
                    let registration_open = info.await.is_ok_and(|s| s.registration_open);
                    view! {
                        <FormAlert error />
                        <ActionForm action=action attr:class="stack" attr:novalidate=true>
                            <input type="hidden" name="next" value=kept("next") />
                            <Field
                                label=i.t("field.email")
                                name="email"
                                kind="email"
                                autocomplete="username"
                                value=email
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
                        {if registration_open {
                            view! { <p class="aside"><a href="/register">{i.t("login.no_account")}</a></p> }.into_any()
                        } else {
                            view! { <p class="aside muted">{i.t("login.invite_only")}</p> }.into_any()
                        }}
                    }
                })}
            </Suspense>
        </AuthCard>
    }
}
