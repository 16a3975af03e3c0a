use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_i18n;

/// Rendered by the server with status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let i = use_i18n();
    view! {
        <Title text=i.t("not_found.title") />
        <main id="main" class="auth-page">
            <section class="card auth-card">
                <p class="error-code">"404"</p>
                <h1>{i.t("not_found.title")}</h1>
                <p>{i.t("not_found.lead")}</p>
                <p><a class="btn primary" href="/">{i.t("not_found.home")}</a></p>
            </section>
        </main>
    }
}
