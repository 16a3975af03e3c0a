//! Admins' forms on a curriculum: add a task, edit the curriculum, copy it, delete it.

use entity::curriculum;
use leptos::prelude::*;

use super::Actions;
use crate::components::curriculum_form::{scoped_error, CurriculumFields, TaskFields};
use crate::components::form::{FormAlert, Submit};
use crate::i18n::use_i18n;

#[component]
pub fn AddTaskForm(curriculum_id: i32, actions: Actions) -> impl IntoView {
    let i = use_i18n();
    let error = scoped_error(actions.add_task.value(), "task-new", || true);
    view! {
        <section class="card" aria-labelledby="add-task-heading">
            <h2 id="add-task-heading">{i.t("curriculum.add_task")}</h2>
            <FormAlert error />
            <ActionForm action=actions.add_task attr:class="stack" attr:novalidate=true>
                <input type="hidden" name="curriculum_id" value=curriculum_id />
                <TaskFields scope="task-new" error week=1 expected_days=1 />
                <Submit
                    label=i.t("curriculum.add_task_submit")
                    pending_label=i.t("common.saving")
                    pending=actions.add_task.pending().into()
                />
            </ActionForm>
        </section>
    }
}

#[component]
pub fn EditCurriculumForm(curriculum: curriculum::Model, actions: Actions) -> impl IntoView {
    let i = use_i18n();
    let error = scoped_error(actions.update.value(), "edit", || true);
    view! {
        <section class="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading">{i.t("curriculum.edit")}</h2>
            <FormAlert error />
            <ActionForm action=actions.update attr:class="stack" attr:novalidate=true>
                <input type="hidden" name="id" value=curriculum.id />
                <CurriculumFields
                    scope="edit"
                    error
                    title=curriculum.title.clone()
                    description=curriculum.description.clone()
                    is_template=curriculum.is_template
                />
                <Submit label=i.t("common.save") pending_label=i.t("common.saving") pending=actions.update.pending().into() />
            </ActionForm>
        </section>
    }
}

/// Copy, and delete behind a second step: the delete button sits inside a closed disclosure.
#[component]
pub fn DangerZone(
    curriculum_id: i32,
    can_copy: bool,
    can_delete: bool,
    actions: Actions,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <section class="card" aria-labelledby="more-heading">
            <h2 id="more-heading">{i.t("curriculum.more")}</h2>
            {can_copy.then(|| view! {
                <div class="row-actions">
                    <ActionForm action=actions.copy attr:class="inline">
                        <input type="hidden" name="id" value=curriculum_id />
                        <button type="submit" class="btn ghost">{i.t("curriculum.copy")}</button>
                    </ActionForm>
                </div>
            })}
            {can_delete.then(|| view! {
                <details class="danger-zone">
                    <summary>{i.t("curriculum.delete")}</summary>
                    <p>{i.t("curriculum.delete_warning")}</p>
                    <ActionForm action=actions.delete attr:class="inline">
                        <input type="hidden" name="id" value=curriculum_id />
                        <button type="submit" class="btn danger">{i.t("curriculum.delete_confirm")}</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}
