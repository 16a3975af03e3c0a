use entity::Role;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::layout::{role_key, Layout, RequireUser};
use crate::i18n::use_i18n;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i = use_i18n();
    view! {
        <Title text=i.t("dashboard.title") />
        <RequireUser let:user>
            {
                let lead = match user.role {
                    Role::Admin => "dashboard.admin_lead",
                    Role::Mentor => "dashboard.mentor_lead",
                    Role::Mentee => "dashboard.mentee_lead",
                };
                let since = user.created_at.format("%Y-%m-%d").to_string();
                let must_change = user.must_change_password;
                view! {
                    <Layout user=user.clone()>
                        <h1>{i.t("dashboard.title")}</h1>
                        {must_change.then(|| view! {
                            <p class="alert warn"><a href="/account">{i.t("dashboard.must_change")}</a></p>
                        })}
                        <section class="card welcome">
                            <h2>{i.t("dashboard.welcome")}", "{user.name.clone()}</h2>
                            <p>{i.t(lead)}</p>
                            <dl class="facts">
                                <div><dt>{i.t("dashboard.role")}</dt><dd data-testid="role">{i.t(role_key(user.role))}</dd></div>
                                <div><dt>{i.t("field.email")}</dt><dd>{user.email.clone()}</dd></div>
                                <div><dt>{i.t("dashboard.member_since")}</dt><dd>{since}</dd></div>
                            </dl>
                        </section>
                    </Layout>
                }
            }
        </RequireUser>
    }
}
