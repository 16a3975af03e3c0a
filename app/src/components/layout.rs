//! The app shell: top bar with the sections the person may use, language and theme switches, the signed-in
//! person and logout; the gate that sends anonymous visitors to the login page.

use entity::account::Account;
use entity::Role;
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_location;

use crate::api::auth::Logout;
use crate::components::toast::ToastRegion;
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::prefs::{Locale, Prefs, Theme};

/// The signed-in person, loaded once per page and shared.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<Account>, AppError>>);

pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "role.admin",
        Role::Mentor => "role.mentor",
        Role::Mentee => "role.mentee",
    }
}

/// Renders `children` with the signed-in person, or redirects to the login page.
#[component]
pub fn RequireUser<F, IV>(children: F) -> impl IntoView
where
    F: Fn(Account) -> IV + Clone + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    let i = use_i18n();
    let me = expect_context::<CurrentUser>().0;
    let location = use_location();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
            {move || {
                let children = children.clone();
                let here = location.pathname.get_untracked();
                Suspend::new(async move {
                    match me.await {
                        // A reset password must be replaced before anything else.
                        Ok(Some(user)) if user.must_change_password && here != "/account" => {
                            view! { <Redirect path="/account" /> }.into_any()
                        }
                        Ok(Some(user)) => children(user).into_any(),
                        Err(e) => view! {
                            <main id="main" class="auth-page">
                                <section class="card auth-card">
                                    <h1>{i.t("error.title")}</h1>
                                    <p class="alert error" role="alert">{i.error(&e)}</p>
                                    <p><a class="btn primary" href="">{i.t("error.retry")}</a></p>
                                </section>
                            </main>
                        }
                        .into_any(),
                        Ok(None) => {
                            let next: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
                            view! { <Redirect path=format!("/login?next={next}") /> }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn Layout(user: Account, children: Children) -> impl IntoView {
    let i = use_i18n();
    let logout = ServerAction::<Logout>::new();
    crate::form_state::reload_on_success(logout.value());
    let role = user.role;
    view! {
        <a class="skip-link" href="#main">{i.t("nav.skip")}</a>
        <header class="topbar">
            <a class="brand" href="/">{i.t("app.name")}</a>
            <nav class="mainnav" aria-label=i.t("nav.main")>
                <A href="/" exact=true>{i.t("nav.dashboard")}</A>
                <A href="/tasks">{i.t("nav.tasks")}</A>
                <A href="/mentorships">{i.t("nav.mentorships")}</A>
                {user.capabilities.can_manage_company.then(|| view! {
                    <A href="/admin/users">{i.t("nav.users")}</A>
                    <A href="/admin/departments">{i.t("nav.departments")}</A>
                })}
                <A href="/curricula">{i.t("nav.curricula")}</A>
                <A href="/forms">{i.t("nav.forms")}</A>
                <A href="/account">{i.t("nav.account")}</A>
                <a href="/api/docs" rel="external">{i.t("nav.api_docs")}</a>
            </nav>
            <div class="topbar-end">
                <Bell />
                <PrefsSwitcher />
                <span class="who">
                    <span class="who-name">{user.name.clone()}</span>
                    <span class="badge">{i.t(role_key(role))}</span>
                </span>
                <ActionForm action=logout attr:class="inline">
                    <button type="submit" class="btn ghost" data-testid="logout">{i.t("action.logout")}</button>
                </ActionForm>
            </div>
        </header>
        <main id="main" class="content" tabindex="-1">{children()}</main>
        <ToastRegion />
    }
}

/// A section only some may use (`when`, a capability of the account): anyone else gets a 403
/// page in its place, with nothing of the section (not its forms, not its lists).
#[component]
pub fn Permitted(when: bool, children: Children) -> impl IntoView {
    if when {
        return children().into_any();
    }
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::FORBIDDEN);
    }
    let i = use_i18n();
    view! {
        <section class="card" data-testid="forbidden">
            <p class="error-code">"403"</p>
            <h1>{i.t("forbidden.title")}</h1>
            <p>{i.t("forbidden.lead")}</p>
            <p><a class="btn primary" href="/">{i.t("not_found.home")}</a></p>
        </section>
    }
    .into_any()
}

/// The notifications link with the unread count; the count refreshes every minute in the browser.
#[component]
fn Bell() -> impl IntoView {
    let i = use_i18n();
    let unread = Resource::new(|| (), |_| crate::api::notifications::unread_notifications());
    #[cfg(feature = "hydrate")]
    {
        if let Ok(handle) =
            set_interval_with_handle(move || unread.refetch(), std::time::Duration::from_secs(60))
        {
            on_cleanup(move || handle.clear());
        }
    }
    let count = move || unread.get().and_then(Result::ok).unwrap_or(0);
    view! {
        <a class="bell" href="/notifications" data-testid="bell">
            <span aria-hidden="true">"🔔"</span>
            <span class="visually-hidden">{i.t("notice.title")}</span>
            <Suspense fallback=|| ()>
                {move || (count() > 0).then(|| view! {
                    <span class="badge count" data-testid="unread">{count()}</span>
                    <span class="visually-hidden">{i.t("notice.unread")}</span>
                })}
            </Suspense>
        </a>
    }
}

/// Centered card for the signed-out pages (login, register, setup).
#[component]
pub fn AuthCard(title: &'static str, children: Children) -> impl IntoView {
    let i = use_i18n();
    view! {
        <a class="skip-link" href="#main">{i.t("nav.skip")}</a>
        <div class="auth-top">
            <span class="brand">{i.t("app.name")}</span>
            <PrefsSwitcher />
        </div>
        <main id="main" class="auth-page" tabindex="-1">
            <section class="card auth-card">
                <p class="tagline">{i.t("app.tagline")}</p>
                <h1>{title}</h1>
                {children()}
            </section>
        </main>
        <ToastRegion />
    }
}

/// Language and theme switches: plain form posts, so they work without JavaScript too; the
/// server remembers the choice in a cookie and sends the person back where they were.
#[component]
pub fn PrefsSwitcher() -> impl IntoView {
    let i = use_i18n();
    let prefs = Prefs::current();
    let location = use_location();
    let back = move || {
        format!(
            "{}{}",
            location.pathname.get(),
            location.search.get().pipe_query()
        )
    };
    let locale_button = move |locale: Locale, label: &'static str| {
        view! {
            <button
                type="submit"
                name="locale"
                value=locale.tag()
                class="chip"
                lang=locale.tag()
                aria-pressed=if prefs.locale == locale { "true" } else { "false" }
            >
                {label}
            </button>
        }
    };
    let theme_button = move |theme: Theme, key: &'static str| {
        view! {
            <button
                type="submit"
                name="theme"
                value=theme.as_str()
                class="chip"
                aria-pressed=if prefs.theme == theme { "true" } else { "false" }
            >
                {i.t(key)}
            </button>
        }
    };
    view! {
        <div class="prefs">
            <form method="post" action="/preferences" class="chips" aria-label=i.t("prefs.language")>
                <input type="hidden" name="back" value=back />
                {locale_button(Locale::Ko, "한국어")}
                {locale_button(Locale::En, "English")}
            </form>
            <form method="post" action="/preferences" class="chips" aria-label=i.t("prefs.theme")>
                <input type="hidden" name="back" value=back />
                {theme_button(Theme::Light, "prefs.theme_light")}
                {theme_button(Theme::Dark, "prefs.theme_dark")}
                {theme_button(Theme::System, "prefs.theme_system")}
            </form>
        </div>
    }
}

trait PipeQuery {
    fn pipe_query(self) -> String;
}

impl PipeQuery for String {
    /// `?a=b` stays; an empty search adds nothing.
    fn pipe_query(self) -> String {
        if self.is_empty() || self.starts_with('?') {
            self
        } else {
            format!("?{self}")
        }
    }
}
