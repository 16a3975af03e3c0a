//! nuri's Leptos application: pages, components and server functions. Thin by design: server
//! functions resolve the caller and call `service`, where every rule lives.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod error;
pub mod form_state;
pub mod i18n;
pub mod pages;
pub mod prefs;
pub mod routes;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

pub use error::AppError;

use crate::components::layout::CurrentUser;
use crate::components::toast::Toasts;
use crate::i18n::I18n;
use crate::pages::{login::LoginPage, not_found::NotFound};
use crate::prefs::Prefs;
use crate::routes::*;

/// The Content-Security-Policy: our own origin, the WASM bundle, and inline scripts only with
/// this response's nonce (Leptos' hydration scripts carry it).
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(n) => format!("script-src 'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; {scripts}; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; \
         manifest-src 'self'; worker-src 'self'"
    )
}

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = Prefs::current();
    #[cfg(feature = "ssr")]
    if let (Some(res), Some(nonce)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        leptos::nonce::use_nonce(),
    ) {
        if let Ok(v) = http::HeaderValue::from_str(&content_security_policy(Some(&nonce))) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
    // The build's content-hashed asset directory (see `cargo xtask build`).
    let stylesheet = format!("/{}/nuri.css", options.site_pkg_dir);
    view! {
        <!DOCTYPE html>
        <html lang=prefs.locale.tag() data-theme=prefs.theme.as_str()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <meta name="theme-color" content="#1d6b57" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=stylesheet />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let prefs = Prefs::current();
    provide_context(prefs);
    provide_context(I18n {
        locale: prefs.locale,
    });
    Toasts::provide();
    let me = Resource::new_blocking(|| (), |_| api::auth::current_user());
    provide_context(CurrentUser(me));
    view! {
        <Title formatter=|text: String| if text.is_empty() { "nuri".to_owned() } else { format!("{text} · nuri") } />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("/register") view={Lazy::<RegisterRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/setup") view={Lazy::<SetupRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/users") view={Lazy::<UsersRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/departments") view={Lazy::<DepartmentsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/users/import") view={Lazy::<ImportRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/curricula") view={Lazy::<CurriculaRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/curricula/:id") view={Lazy::<CurriculumRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/mentorships") view={Lazy::<MentorshipsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/mentorships/:id") view={Lazy::<MentorshipRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/tasks") view={Lazy::<TasksRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/tasks/:id") view={Lazy::<TaskRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/notifications") view={Lazy::<NotificationsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/forms") view={Lazy::<FormsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/forms/new") view={Lazy::<FormBuilderRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/forms/:id") view={Lazy::<FormRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/workspaces") view={Lazy::<WorkspacesRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/workspaces/:id") view={Lazy::<WorkspaceRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/hosting") view={Lazy::<HostingRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/hosting") view={Lazy::<AdminHostingRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/workspaces") view={Lazy::<AdminWorkspacesRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/styleguide") view={Lazy::<StyleguideRoute>::new()} ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
