//! The building blocks every page uses, shown together on `/styleguide`: stat cards, empty states,
//! tabs, the row-action menu and dialogs. Each works without JavaScript: menus are `<details>`,
//! dialogs are popovers opened by their button (`popovertarget`), tabs are links.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::icon::{lu, Icon};

/// A number that matters, linking to the list it counts. `warn` marks a count that needs someone.
#[component]
pub fn StatCard(
    value: u64,
    #[prop(into)] label: String,
    #[prop(into)] href: String,
    #[prop(optional)] warn: bool,
    /// Written after the number, e.g. `%`.
    #[prop(optional)]
    unit: &'static str,
    /// `data-testid` of the number (with its unit), for the browser tests.
    #[prop(optional)]
    testid: &'static str,
) -> impl IntoView {
    let class = if warn && value > 0 {
        "stat warn"
    } else {
        "stat"
    };
    let testid = (!testid.is_empty()).then_some(testid);
    view! {
        <a class=class href=href>
            <span class="stat-value" data-testid=testid>{value}{unit}</span>
            <span class="stat-label">{label}</span>
        </a>
    }
}

/// What a list shows when it has nothing: what that means, and what to do next.
#[component]
pub fn EmptyState(
    #[prop(into)] title: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="empty">
            <Icon icon=lu::LuInbox class="icon-lg" />
            <p class="empty-title">{title}</p>
            {children.map(|c| c())}
        </div>
    }
}

/// Sections of one page as links (each tab is its own URL, so reload and back work).
#[component]
pub fn Tabs(
    #[prop(into)] label: String,
    /// `(href, text)`, in order.
    tabs: Vec<(&'static str, String)>,
) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label=label>
            {tabs.into_iter().map(|(href, text)| view! { <A href=href exact=true>{text}</A> }).collect_view()}
        </nav>
    }
}

/// The "…" button at the end of a table row and the actions it opens. `label` names the row
/// ("Actions for 김민수") for screen readers.
#[component]
pub fn RowMenu(#[prop(into)] label: String, children: Children) -> impl IntoView {
    let title = label.clone();
    view! {
        <details class="menu row-menu" name="menu">
            <summary class="icon-button" title=title>
                <Icon icon=lu::LuEllipsis />
                <span class="visually-hidden">{label}</span>
            </summary>
            <div class="menu-panel end">{children()}</div>
        </details>
    }
}

/// The button that opens the dialog `target` (see [`Dialog`]).
#[component]
pub fn DialogButton(
    #[prop(into)] target: String,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    let class = if class.is_empty() {
        "btn primary"
    } else {
        class
    };
    view! {
        <button type="button" class=class popovertarget=target>
            {children()}
        </button>
    }
}

/// A dialog over the page, opened by a [`DialogButton`] with the same id and closed by its own
/// close button, Escape or a click outside (the browser's popover, no script needed).
///
/// `open`: show it in the page instead, already open — for a form that came back refused from a
/// post without JavaScript, which no script can reopen.
#[component]
pub fn Dialog(
    #[prop(into)] id: String,
    #[prop(into)] title: String,
    #[prop(into)] close_label: String,
    #[prop(optional)] open: bool,
    children: Children,
) -> impl IntoView {
    let heading = format!("{id}-title");
    let labelled_by = heading.clone();
    if open {
        return view! {
            <section class="card" id=id aria-labelledby=labelled_by>
                <h2 id=heading>{title}</h2>
                {children()}
            </section>
        }
        .into_any();
    }
    let target = id.clone();
    view! {
        <div class="dialog" id=id popover="auto" role="dialog" aria-labelledby=labelled_by>
            <div class="dialog-head">
                <h2 id=heading>{title}</h2>
                <button type="button" class="icon-button" popovertarget=target popovertargetaction="hide">
                    <Icon icon=lu::LuX />
                    <span class="visually-hidden">{close_label}</span>
                </button>
            </div>
            {children()}
        </div>
    }
    .into_any()
}

/// Reloads the page every `seconds` when JavaScript is off, for a page showing work in
/// progress (with JavaScript the page polls instead, and a `<noscript>` is inert). Rendered as
/// inner HTML so hydration never walks into the `<noscript>` (whose content a browser with
/// scripting on keeps as text).
#[component]
pub fn NoScriptRefresh(seconds: u32) -> impl IntoView {
    view! { <noscript inner_html=format!(r#"<meta http-equiv="refresh" content="{seconds}">"#) /> }
}
