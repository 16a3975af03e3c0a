//! One task: what to do, where it stands, the moves the reader may make, its history and memos.

mod memos;

use entity::mentoring::TaskDetail;
use entity::TaskStatus;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::tasks::{get_task, AddMemo, DeleteMemo, EditMemo, MoveTask};
use crate::components::form::FormAlert;
use crate::components::layout::{Layout, RequireUser};
use crate::components::mentoring::{status_key, FieldMessage, StatusBadge};
use crate::components::toast::use_toasts;
use crate::form_state::{form_error, kept};
use crate::i18n::use_i18n;

#[component]
pub fn TaskPage() -> impl IntoView {
    let i = use_i18n();
    let route = crate::form_state::route_id();
    let id = move || route.get();
    let moves = ServerAction::<MoveTask>::new();
    let add = ServerAction::<AddMemo>::new();
    let edit = ServerAction::<EditMemo>::new();
    let delete = ServerAction::<DeleteMemo>::new();
    let task = Resource::new_blocking(
        move || {
            (
                id(),
                moves.version().get(),
                add.version().get(),
                edit.version().get(),
                delete.version().get(),
            )
        },
        |(id, ..)| get_task(id),
    );
    let toasts = use_toasts();
    Effect::new(move |_| {
        if let Some(Ok(t)) = moves.value().get() {
            toasts.push(i.t(status_key(t.status)));
        }
    });
    view! {
        <RequireUser let:user>
            <Layout user=user.clone()>
                <Transition fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                    {move || Suspend::new(async move {
                        match task.await {
                            Ok(t) => view! { <TaskView t moves add edit delete /> }.into_any(),
                            Err(e) => view! {
                                <Title text=i.t("task.title") />
                                <h1>{i.t("task.title")}</h1>
                                <p class="alert error" role="alert">{i.error(&e)}</p>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </Layout>
        </RequireUser>
    }
}

fn move_label(to: TaskStatus) -> &'static str {
    match to {
        TaskStatus::Todo => "move.todo",
        TaskStatus::InProgress => "move.in_progress",
        TaskStatus::Review => "move.review",
        TaskStatus::ChangesRequested => "move.changes_requested",
        TaskStatus::Done => "move.done",
    }
}

#[component]
fn TaskView(
    t: TaskDetail,
    moves: ServerAction<MoveTask>,
    add: ServerAction<AddMemo>,
    edit: ServerAction<EditMemo>,
    delete: ServerAction<DeleteMemo>,
) -> impl IntoView {
    let i = use_i18n();
    let error = form_error(moves.value());
    let id = t.task.id;
    let (simple, review): (Vec<TaskStatus>, Vec<TaskStatus>) = t
        .allowed_transitions
        .iter()
        .partition(|s| **s != TaskStatus::ChangesRequested);
    let done = kept("done");
    view! {
        <Title text=t.task.title.clone() />
        <p class="crumbs"><a href=format!("/mentorships/{}", t.task.mentorship_id)>{i.t("nav.mentorships")}</a></p>
        <h1>{t.task.title.clone()}</h1>
        {(done == "moved").then(|| view! { <p class="alert success" role="status">{i.t("task.moved")}</p> })}
        <section class="card">
            <dl class="facts">
                <div><dt>{i.t("task.status")}</dt><dd data-testid="task-status"><StatusBadge status=t.task.status /></dd></div>
                <div>
                    <dt>{i.t("task.due")}</dt>
                    <dd>
                        <time datetime=t.task.due_date.to_string()>{t.task.due_date.to_string()}</time>
                        {t.overdue.then(|| view! { " "<span class="badge overdue">{i.t("task.overdue")}</span> })}
                    </dd>
                </div>
                <div><dt>{i.t("role.mentee")}</dt><dd>{t.assignee_name.clone()}</dd></div>
                <div><dt>{i.t("role.mentor")}</dt><dd>{t.mentor_name.clone()}</dd></div>
            </dl>
            <div class="markdown" inner_html=t.description_html.clone()></div>
        </section>
        {(!t.allowed_transitions.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="moves-title">
                <h2 id="moves-title">{i.t("task.next_step")}</h2>
                <FormAlert error />
                <div class="actions">
                    {simple.into_iter().map(|to| view! {
                        <ActionForm action=moves attr:class="inline">
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="to" value=to.as_str() />
                            <button type="submit" class=if to == TaskStatus::Todo { "btn ghost" } else { "btn primary" }>
                                {i.t(move_label(to))}
                            </button>
                        </ActionForm>
                    }).collect_view()}
                </div>
                {(!review.is_empty()).then(|| view! {
                    <ActionForm action=moves attr:class="stack changes-form">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="to" value="changes_requested" />
                        <div class="field">
                            <label for="field-comment">{i.t("task.what_to_change")}</label>
                            <textarea id="field-comment" name="comment" rows="3">{kept("comment")}</textarea>
                            <FieldMessage error name="comment" />
                        </div>
                        <button type="submit" class="btn danger">{i.t("move.changes_requested")}</button>
                    </ActionForm>
                })}
            </section>
        })}
        {(t.allowed_transitions.is_empty() && t.mentorship_status != entity::MentorshipStatus::Active).then(|| view! {
            <p class="alert info">{i.t("task.mentorship_closed")}</p>
        })}
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">{i.t("task.history")}</h2>
            {if t.events.is_empty() {
                view! { <p>{i.t("task.no_history")}</p> }.into_any()
            } else {
                view! {
                    <ol class="timeline">
                        {t.events.into_iter().map(|e| view! {
                            <li>
                                <time datetime=e.event.created_at.to_rfc3339()>{e.event.created_at.format("%Y-%m-%d %H:%M").to_string()}</time>
                                " · "{e.actor_name.clone().unwrap_or_default()}" · "
                                {i.t(status_key(e.event.from_status))}" → "{i.t(status_key(e.event.to_status))}
                                {e.event.comment.clone().map(|c| view! { <blockquote>{c}</blockquote> })}
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <memos::Memos task_id=id memos=t.memos can_comment=t.capabilities.can_comment add edit delete />
    }
}
