//! The app shell: the top bar (sections the person may use, notifications, the account menu), the
//! signed-out pages' frame, and the gate that sends anonymous visitors to the login page.

use entity::account::{Account, AccountCapabilities};
use entity::Role;
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_location;

use crate::api::auth::Logout;
use crate::components::avatar::Avatar;
use crate::components::icon::{lu, Icon};
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

/// The top bar: the sections the person may use, the notifications bell, and the account menu
/// (language, theme, account, API docs, sign-out). At phone width the sections fold into a menu
/// button. Both menus are `<details>`, so they open without JavaScript; every menu shares one
/// `name`, so opening one closes any other (a row's menu never covers the account menu).
#[component]
pub fn Layout(user: Account, children: Children) -> impl IntoView {
    let i = use_i18n();
    let caps = user.capabilities;
    view! {
        <a class="skip-link" href="#main">{i.t("nav.skip")}</a>
        <header class="topbar">
            <details class="menu sections-menu" name="menu">
                <summary class="icon-button" data-testid="sections-menu">
                    <Icon icon=lu::LuMenu />
                    <span class="visually-hidden">{i.t("nav.sections")}</span>
                </summary>
                <nav class="menu-panel" aria-label=i.t("nav.main")>{sections(caps)}</nav>
            </details>
            <a class="brand" href="/">{i.t("app.name")}</a>
            <nav class="mainnav" aria-label=i.t("nav.main")>{sections(caps)}</nav>
            <div class="topbar-end">
                <Bell />
                <AccountMenu user=user />
            </div>
        </header>
        <main id="main" class="content" tabindex="-1">{children()}</main>
        <ToastRegion />
    }
}

/// The primary sections, in the top bar and again in the phone menu.
fn sections(caps: AccountCapabilities) -> impl IntoView {
    let i = use_i18n();
    view! {
        <A href="/" exact=true>{i.t("nav.dashboard")}</A>
        <A href="/tasks">{i.t("nav.tasks")}</A>
        <A href="/mentorships">{i.t("nav.mentorships")}</A>
        <A href="/curricula">{i.t("nav.curricula")}</A>
        <A href="/forms">{i.t("nav.forms")}</A>
        <A href="/workspaces">{i.t("nav.workspaces")}</A>
        <A href="/hosting">{i.t("nav.hosting")}</A>
        {caps.can_manage_company.then(|| view! {
            <A href="/admin/users">{i.t("nav.users")}</A>
            <A href="/admin/departments">{i.t("nav.departments")}</A>
        })}
    }
    .into_any()
}

/// The avatar button and what it opens: who is signed in, their account, the API docs (for those
/// who build integrations), language, theme and sign-out.
#[component]
fn AccountMenu(user: Account) -> impl IntoView {
    let i = use_i18n();
    let logout = ServerAction::<Logout>::new();
    crate::form_state::reload_on_success(logout.value());
    view! {
        <details class="menu account-menu" name="menu">
            <summary class="avatar-button" data-testid="account-menu">
                <Avatar id=user.id name=user.name.clone() />
                <Icon icon=lu::LuChevronDown class="icon-sm" />
                <span class="visually-hidden">{i.t("nav.account_menu")}</span>
            </summary>
            <div class="menu-panel end">
                <div class="menu-who">
                    <Avatar id=user.id name=user.name.clone() size="large" />
                    <div>
                        <p class="who-name">{user.name.clone()}</p>
                        <p class="muted who-email">{user.email.clone()}</p>
                        <span class="badge" data-testid="role">{i.t(role_key(user.role))}</span>
                    </div>
                </div>
                <a class="menu-item" href="/account">
                    <Icon icon=lu::LuUserCog />{i.t("nav.account")}
                </a>
                {user.capabilities.can_integrate.then(|| view! {
                    <a class="menu-item" href="/api/docs" rel="external" data-testid="api-docs">
                        <Icon icon=lu::LuCode />{i.t("nav.api_docs")}
                    </a>
                })}
                <PrefsSwitcher />
                <ActionForm action=logout attr:class="menu-form">
                    <button type="submit" class="menu-item" data-testid="logout">
                        <Icon icon=lu::LuLogOut />{i.t("action.logout")}
                    </button>
                </ActionForm>
            </div>
        </details>
    }
    .into_any()
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
        <a class="bell icon-button" href="/notifications" data-testid="bell">
            <Icon icon=lu::LuBell />
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
            <form method="post" action="/preferences" class="pref" aria-label=i.t("prefs.language")>
                <input type="hidden" name="back" value=back />
                <span class="pref-label" aria-hidden="true"><Icon icon=lu::LuLanguages />{i.t("prefs.language")}</span>
                <span class="chips">
                    {locale_button(Locale::Ko, "한국어")}
                    {locale_button(Locale::En, "English")}
                </span>
            </form>
            <form method="post" action="/preferences" class="pref" aria-label=i.t("prefs.theme")>
                <input type="hidden" name="back" value=back />
                <span class="pref-label" aria-hidden="true"><Icon icon=lu::LuSunMoon />{i.t("prefs.theme")}</span>
                <span class="chips">
                    {theme_button(Theme::Light, "prefs.theme_light")}
                    {theme_button(Theme::Dark, "prefs.theme_dark")}
                    {theme_button(Theme::System, "prefs.theme_system")}
                </span>
            </form>
        </div>
    }
    .into_any()
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
