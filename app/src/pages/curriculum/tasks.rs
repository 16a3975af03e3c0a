//! The tasks of a curriculum grouped by week, in order; for whoever may edit the curriculum each
//! task can move up or down within its week, be edited (its week too) and be deleted.

use leptos::prelude::*;

use super::Actions;
use crate::components::curriculum_form::{scoped_error, TaskFields};
use crate::components::form::{FormAlert, Submit};
use crate::components::ui::Dialog;
use crate::form_state::kept;
use crate::i18n::{use_i18n, I18n};
use entity::curriculum_view::TemplateView;

/// "Week 3" / "3주차".
pub fn week_label(i: I18n, week: i32) -> String {
    i.t("curriculum.week").replace("{n}", &week.to_string())
}

fn days_label(i: I18n, days: i32) -> String {
    i.count("curriculum.expected_days", days.max(0) as u64)
}

/// The whole order with the tasks at `a` and `b` swapped, as the form sends it.
fn swapped(order: &[i32], a: usize, b: usize) -> String {
    let mut order = order.to_vec();
    order.swap(a, b);
    order
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Consecutive tasks of the same week, each with its place in the whole order.
fn by_week(tasks: Vec<TemplateView>) -> Vec<(i32, Vec<(usize, TemplateView)>)> {
    let mut weeks: Vec<(i32, Vec<(usize, TemplateView)>)> = Vec::new();
    for (n, task) in tasks.into_iter().enumerate() {
        match weeks.last_mut() {
            Some((week, list)) if *week == task.task.week => list.push((n, task)),
            _ => weeks.push((task.task.week, vec![(n, task)])),
        }
    }
    weeks
}

#[component]
pub fn TaskWeeks(
    curriculum_id: i32,
    tasks: Vec<TemplateView>,
    can_edit: bool,
    actions: Actions,
) -> impl IntoView {
    let i = use_i18n();
    if tasks.is_empty() {
        return view! { <p>{i.t("curriculum.no_tasks")}</p> }.into_any();
    }
    // Tasks come sorted by week then position, so a task's neighbour in its week is its
    // neighbour in the whole order.
    let order: Vec<i32> = tasks.iter().map(|t| t.task.id).collect();
    by_week(tasks)
        .into_iter()
        .map(|(week, items)| {
            let heading = format!("week-{week}");
            let last = items.len() - 1;
            let items = items
                .into_iter()
                .enumerate()
                .map(|(k, (n, task))| {
                    let up = (k > 0).then(|| swapped(&order, n - 1, n));
                    let down = (k < last).then(|| swapped(&order, n, n + 1));
                    view! { <TaskItem curriculum_id task can_edit up down actions /> }
                })
                .collect_view();
            view! {
                <section class="week" aria-labelledby=heading.clone()>
                    <h3 id=heading.clone()>{week_label(i, week)}</h3>
                    <ol class="tasks">{items}</ol>
                </section>
            }
        })
        .collect_view()
        .into_any()
}

#[component]
fn TaskItem(
    curriculum_id: i32,
    task: TemplateView,
    can_edit: bool,
    up: Option<String>,
    down: Option<String>,
    actions: Actions,
) -> impl IntoView {
    let i = use_i18n();
    let t = task.task;
    let task_id = t.id;
    view! {
        <li class="task" data-task-id=task_id>
            <div class="task-head">
                <h4>{t.title.clone()}</h4>
                <span class="muted">{days_label(i, t.expected_days)}</span>
            </div>
            <div class="markdown" inner_html=task.description_html />
            {can_edit.then(|| {
                let title = t.title.clone();
                let label = move |key: &'static str| format!("{} — {}", i.t(key), title);
                // Both move buttons are always there (disabled at either end), so a row's
                // buttons never shift under the pointer.
                let move_form = |order: Option<String>, key: &'static str| {
                    let aria = label(key);
                    let disabled = order.is_none();
                    view! {
                        <ActionForm action=actions.reorder attr:class="inline">
                            <input type="hidden" name="curriculum_id" value=curriculum_id />
                            <input type="hidden" name="task_ids" value=order.unwrap_or_default() />
                            <button type="submit" class="btn ghost small" aria-label=aria disabled=disabled>{i.t(key)}</button>
                        </ActionForm>
                    }
                };
                let delete_label = label("common.delete");
                let confirm_id = format!("delete-task-{task_id}");
                let confirm_title = format!("{} — {}", i.t("curriculum.delete_task_title"), t.title);
                let edit_label = label("curriculum.edit_task");
                let scope = format!("task-{task_id}");
                // A failed no-JS edit of this task comes back with its form open.
                let reopen = kept("form") == scope;
                let pending = actions.update_task.pending();
                let saving = Signal::derive(move || {
                    pending.get() && actions.edited_task.get() == Some(task_id)
                });
                let error = scoped_error(actions.update_task.value(), &scope, move || {
                    actions.edited_task.get() == Some(task_id)
                });
                view! {
                    <div class="row-actions">
                        {move_form(up, "curriculum.move_up")}
                        {move_form(down, "curriculum.move_down")}
                        // Deleting asks first, in a dialog (the browser's popover: no script).
                        <button type="button" class="btn quiet-danger small" popovertarget=confirm_id.clone() aria-label=delete_label>
                            {i.t("common.delete")}
                        </button>
                    </div>
                    <Dialog id=confirm_id.clone() title=confirm_title close_label=i.t("common.close")>
                        <p>{i.t("curriculum.delete_task_lead")}</p>
                        <ActionForm action=actions.delete_task attr:class="actions">
                            <input type="hidden" name="curriculum_id" value=curriculum_id />
                            <input type="hidden" name="task_id" value=task_id />
                            <button type="submit" class="btn danger">{i.t("curriculum.delete_task_confirm")}</button>
                            <button type="button" class="btn ghost" popovertarget=confirm_id popovertargetaction="hide">
                                {i.t("common.cancel")}
                            </button>
                        </ActionForm>
                    </Dialog>
                    <details class="edit" open=reopen>
                        <summary aria-label=edit_label>{i.t("curriculum.edit_task")}</summary>
                        <FormAlert error />
                        <ActionForm action=actions.update_task attr:class="stack" attr:novalidate=true>
                            <input type="hidden" name="curriculum_id" value=curriculum_id />
                            <input type="hidden" name="task_id" value=task_id />
                            <TaskFields
                                scope=scope.clone()
                                error
                                title=t.title.clone()
                                description=t.description.clone()
                                week=t.week
                                expected_days=t.expected_days
                            />
                            <Submit label=i.t("common.save") pending_label=i.t("common.saving") pending=saving />
                        </ActionForm>
                    </details>
                }
            })}
        </li>
    }
}
