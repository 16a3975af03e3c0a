//! The reader's notifications, newest first; opening one marks it read and goes where it points.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::notifications::{list_notifications, OpenNotification, ReadAllNotifications};
use crate::components::layout::{Layout, RequireUser};
use crate::i18n::use_i18n;

pub fn notice_key(kind: &str) -> &'static str {
    match kind {
        "tasks_assigned" => "notice.tasks_assigned",
        "mentorship_assigned" => "notice.mentorship_assigned",
        "task_assigned" => "notice.task_assigned",
        "task_submitted" => "notice.task_submitted",
        "task_approved" => "notice.task_approved",
        "changes_requested" => "notice.changes_requested",
        "memo" => "notice.memo",
        "task_overdue" => "notice.task_overdue",
        "form_sent" => "notice.form_sent",
        _ => "notice.other",
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i = use_i18n();
    let open = ServerAction::<OpenNotification>::new();
    let read_all = ServerAction::<ReadAllNotifications>::new();
    crate::form_state::reload_on_success(open.value());
    let list = Resource::new_blocking(move || read_all.version().get(), |_| list_notifications(1));
    view! {
        <Title text=i.t("notice.title") />
        <RequireUser let:user>
            <Layout user=user>
                <h1>{i.t("notice.title")}</h1>
                <section class="card">
                    <ActionForm action=read_all attr:class="inline">
                        <button type="submit" class="btn ghost small">{i.t("notice.read_all")}</button>
                    </ActionForm>
                    <Transition fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                        {move || Suspend::new(async move {
                            match list.await {
                                Ok(page) if page.items.is_empty() => view! { <p>{i.t("notice.empty")}</p> }.into_any(),
                                Ok(page) => view! {
                                    <ul class="notices">
                                        {page.items.into_iter().map(|n| view! {
                                            <li class:unread=n.read_at.is_none()>
                                                <ActionForm action=open attr:class="notice">
                                                    <input type="hidden" name="id" value=n.id />
                                                    <button type="submit" class="notice-open">
                                                        <span class="notice-kind">{i.t(notice_key(&n.kind))}</span>
                                                        <span class="notice-subject">{n.subject.clone()}</span>
                                                        <time datetime=n.created_at.to_rfc3339()>{n.created_at.format("%Y-%m-%d %H:%M").to_string()}</time>
                                                        {n.read_at.is_none().then(|| view! { <span class="visually-hidden">{i.t("notice.unread")}</span> })}
                                                    </button>
                                                </ActionForm>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any(),
                                Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                            }
                        })}
                    </Transition>
                </section>
            </Layout>
        </RequireUser>
    }
}
