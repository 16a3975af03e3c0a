//! The pages the browser loads on demand. Each route below is a Leptos lazy route: its page's
//! code is split out of the main WASM module into a chunk the browser fetches on the first visit
//! (or, when the page is the one first served, alongside the main module: the server renders a
//! `<link rel="preload">` for it). Only `/login` and the 404 page stay in the main module: the
//! first visit of the sign-in page carries no dashboard code, and a signed-in `/` fetches its
//! dashboard chunk beside the main module (preloaded by the server, so no extra round trip).
//! On the server the routes render exactly as before.
//!
//! A new page belongs here.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use crate::pages::forms::{builder::FormBuilderPage, detail::FormPage, list::FormsPage};
use crate::pages::hosting::{admin::AdminHostingPage, page::HostingPage};
use crate::pages::workspaces::{
    admin::AdminWorkspacesPage, list::WorkspacesPage, view::WorkspacePage,
};
use crate::pages::{
    account::AccountPage, curricula::CurriculaPage, curriculum::CurriculumPage,
    dashboard::DashboardPage, departments::DepartmentsPage, import::ImportPage,
    mentorship::MentorshipPage, mentorships::MentorshipsPage, notifications::NotificationsPage,
    register::RegisterPage, setup::SetupPage, styleguide::StyleguidePage, task::TaskPage,
    tasks::TasksPage, users::UsersPage,
};

/// A lazy route that renders one page component. The pages load their own data (their resources
/// are created in the component), so `data()` has nothing to start ahead of the chunk.
macro_rules! lazy_page {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

lazy_page! {
    DashboardRoute => DashboardPage,
    RegisterRoute => RegisterPage,
    SetupRoute => SetupPage,
    AccountRoute => AccountPage,
    UsersRoute => UsersPage,
    DepartmentsRoute => DepartmentsPage,
    ImportRoute => ImportPage,
    CurriculaRoute => CurriculaPage,
    CurriculumRoute => CurriculumPage,
    MentorshipsRoute => MentorshipsPage,
    MentorshipRoute => MentorshipPage,
    TasksRoute => TasksPage,
    TaskRoute => TaskPage,
    NotificationsRoute => NotificationsPage,
    FormsRoute => FormsPage,
    FormBuilderRoute => FormBuilderPage,
    FormRoute => FormPage,
    StyleguideRoute => StyleguidePage,
    WorkspacesRoute => WorkspacesPage,
    WorkspaceRoute => WorkspacePage,
    HostingRoute => HostingPage,
    AdminHostingRoute => AdminHostingPage,
    AdminWorkspacesRoute => AdminWorkspacesPage,
}
