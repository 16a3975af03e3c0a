//! Pieces the mentoring pages share: status badges, progress bars, task tables and field errors
//! for controls other than text inputs.

use entity::mentoring::{Progress, TaskItem};
use entity::TaskStatus;
use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::use_i18n;

pub fn status_key(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::Todo => "status.todo",
        TaskStatus::InProgress => "status.in_progress",
        TaskStatus::Review => "status.review",
        TaskStatus::ChangesRequested => "status.changes_requested",
        TaskStatus::Done => "status.done",
    }
}

#[component]
pub fn StatusBadge(status: TaskStatus) -> impl IntoView {
    let i = use_i18n();
    view! { <span class=format!("badge status-{}", status.as_str())>{i.t(status_key(status))}</span> }
}

/// A labelled progress bar: done of total, and overdue when there is any.
#[component]
pub fn ProgressBar(progress: Progress) -> impl IntoView {
    let i = use_i18n();
    let percent = progress.percent();
    view! {
        <div class="progress-wrap">
            <progress class="progress" max="100" value=percent aria-label=i.t("progress.label")>{percent}"%"</progress>
            <span class="progress-text">
                {format!("{percent}% · {}/{}", progress.done, progress.total)}
                {(progress.overdue > 0).then(|| view! {
                    " · "<span class="overdue">{i.t("task.overdue")}" "{progress.overdue}</span>
                })}
            </span>
        </div>
    }
}

/// The message for `name` in `error`, in the reader's language.
pub fn field_message(
    error: Signal<Option<AppError>>,
    name: &'static str,
) -> Signal<Option<String>> {
    let i = use_i18n();
    Signal::derive(move || {
        error
            .get()
            .and_then(|e| e.field(name).map(|f| i.field_error(&f.code, &f.message)))
    })
}

/// The error line under a select or textarea.
#[component]
pub fn FieldMessage(error: Signal<Option<AppError>>, name: &'static str) -> impl IntoView {
    let message = field_message(error, name);
    let id = format!("field-{name}-error");
    move || {
        message
            .get()
            .map(|m| view! { <p class="field-error" id=id.clone()>{m}</p> })
    }
}

/// Tasks as a table: title (linked), assignee, status, due date.
#[component]
pub fn TaskTable(tasks: Vec<TaskItem>, #[prop(optional)] show_assignee: bool) -> impl IntoView {
    let i = use_i18n();
    view! {
        <table class="table task-table">
            <thead>
                <tr>
                    <th scope="col">{i.t("task.title")}</th>
                    {show_assignee.then(|| view! { <th scope="col">{i.t("role.mentee")}</th> })}
                    <th scope="col">{i.t("task.status")}</th>
                    <th scope="col">{i.t("task.due")}</th>
                </tr>
            </thead>
            <tbody>
                {tasks.into_iter().map(|t| view! {
                    <tr class:overdue=t.overdue>
                        <td><a href=format!("/tasks/{}", t.id)>{t.title.clone()}</a></td>
                        {show_assignee.then(|| view! { <td>{t.assignee_name.clone()}</td> })}
                        <td><StatusBadge status=t.status /></td>
                        <td>
                            <time datetime=t.due_date.to_string()>{t.due_date.to_string()}</time>
                            {t.overdue.then(|| view! { " "<span class="badge overdue">{i.t("task.overdue")}</span> })}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
