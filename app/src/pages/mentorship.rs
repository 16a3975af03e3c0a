//! One mentorship: who, which curriculum, progress, its tasks; the mentor and admins add tasks by
//! hand and end or cancel it.

use leptos::html::Form;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::mentorships::{get_mentorship, AddMentorshipTask, SetMentorshipStatus};
use crate::api::tasks::{list_tasks, TaskFilter};
use crate::components::form::{Field, FormAlert, Submit};
use crate::components::layout::{Layout, RequireUser};
use crate::components::mentoring::{FieldMessage, ProgressBar, TaskTable};
use crate::components::toast::use_toasts;
use crate::form_state::{form_error, kept};
use crate::i18n::use_i18n;
use crate::pages::mentorships::mentorship_status_key;

#[component]
pub fn MentorshipPage() -> impl IntoView {
    let i = use_i18n();
    let route = crate::form_state::route_id();
    let id = move || route.get();
    let add = ServerAction::<AddMentorshipTask>::new();
    let status = ServerAction::<SetMentorshipStatus>::new();
    let mentorship = Resource::new_blocking(
        move || (id(), status.version().get(), add.version().get()),
        |(id, ..)| get_mentorship(id),
    );
    let tasks = Resource::new_blocking(
        move || (id(), add.version().get()),
        |(id, _)| {
            list_tasks(TaskFilter {
                mentorship_id: Some(id),
                ..Default::default()
            })
        },
    );
    let status_error = form_error(status.value());
    let toasts = use_toasts();
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            toasts.push(i.t("mentorship.task_added"));
        }
    });
    view! {
        <Title text=i.t("nav.mentorships") />
        <RequireUser let:user>
            <Layout user=user.clone()>
                <p class="crumbs"><a href="/mentorships">{i.t("nav.mentorships")}</a></p>
                <Transition fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                    // Both resources are awaited in this one Suspend: a second Suspend nested
                    // inside it made the client's tree differ from the server's now and then,
                    // and hydration panicked.
                    {move || Suspend::new(async move {
                        let tasks = tasks.await;
                        let m = match mentorship.await {
                            Ok(m) => m,
                            Err(e) => return view! {
                                <h1>{i.t("nav.mentorships")}</h1>
                                <p class="alert error" role="alert">{i.error(&e)}</p>
                            }.into_any(),
                        };
                        let can = m.capabilities;
                        let mid = m.mentorship.id;
                        view! {
                            <h1>{m.mentee_name.clone()}" · "{m.curriculum_title.clone().unwrap_or_default()}</h1>
                            <section class="card">
                                <dl class="facts">
                                    <div><dt>{i.t("role.mentor")}</dt><dd>{m.mentor_name.clone()}</dd></div>
                                    <div><dt>{i.t("role.mentee")}</dt><dd>{m.mentee_name.clone()}</dd></div>
                                    <div><dt>{i.t("mentorship.start_date")}</dt><dd>{m.mentorship.start_date.to_string()}</dd></div>
                                    <div><dt>{i.t("task.status")}</dt><dd data-testid="mentorship-status">{i.t(mentorship_status_key(m.mentorship.status))}</dd></div>
                                </dl>
                                <ProgressBar progress=m.progress />
                                <p><a href=format!("/tasks?mentorship_id={mid}")>{i.t("dashboard.open_board")}</a></p>
                                <FormAlert error=status_error />
                                {can.can_end.then(|| view! {
                                    <div class="actions">
                                        <ActionForm action=status attr:class="inline">
                                            <input type="hidden" name="id" value=mid />
                                            <input type="hidden" name="status" value="ended" />
                                            <button type="submit" class="btn ghost">{i.t("mentorship.end")}</button>
                                        </ActionForm>
                                        <ActionForm action=status attr:class="inline">
                                            <input type="hidden" name="id" value=mid />
                                            <input type="hidden" name="status" value="cancelled" />
                                            <button type="submit" class="btn danger">{i.t("mentorship.cancel")}</button>
                                        </ActionForm>
                                    </div>
                                })}
                            </section>
                            <div class="split">
                                <section class="card">
                                    <h2>{i.t("board.title")}</h2>
                                    {match tasks {
                                        Ok(page) if page.items.is_empty() => view! { <p>{i.t("board.empty")}</p> }.into_any(),
                                        Ok(page) => view! { <TaskTable tasks=page.items /> }.into_any(),
                                        Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                                    }}
                                </section>
                                {can.can_add_task.then(|| view! { <AddMentorshipTaskForm mentorship_id=mid add /> })}
                            </div>
                        }.into_any()
                    })}
                </Transition>
            </Layout>
        </RequireUser>
    }
}

#[component]
fn AddMentorshipTaskForm(
    mentorship_id: i32,
    add: ServerAction<AddMentorshipTask>,
) -> impl IntoView {
    let i = use_i18n();
    let error = form_error(add.value());
    let form_ref = NodeRef::<Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            if let Some(form) = form_ref.get_untracked() {
                form.reset();
            }
        }
    });
    view! {
        <section class="card">
            <h2>{i.t("mentorship.add_task")}</h2>
            <FormAlert error />
            <ActionForm action=add node_ref=form_ref attr:class="stack" attr:novalidate=true>
                <input type="hidden" name="mentorship_id" value=mentorship_id />
                <Field label=i.t("task.title") name="title" value=kept("title") required=true error />
                <div class="field">
                    <label for="field-description">{i.t("field.description")}</label>
                    <textarea id="field-description" name="description" rows="3">{kept("description")}</textarea>
                    <FieldMessage error name="description" />
                </div>
                <Field label=i.t("task.due") name="due_date" kind="date" value=kept("due_date") required=true error />
                <Submit label=i.t("mentorship.add_task") pending_label=i.t("common.saving") pending=add.pending().into() />
            </ActionForm>
        </section>
    }
}
