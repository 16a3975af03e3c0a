//! One curriculum: its description and tasks by week for everyone in the company; for admins also
//! the forms that shape it. Every form is an `ActionForm`, so it all works without JavaScript;
//! with JavaScript a successful change reloads the curriculum in place and shows a toast.

mod manage;
mod tasks;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use entity::curriculum_view::CurriculumView;

use crate::api::curricula::{
    curriculum_path, get_curriculum, AddTask, CopyCurriculum, DeleteCurriculum, DeleteTask,
    ReorderTasks, UpdateCurriculum, UpdateTask,
};
use crate::components::curriculum_form::{scoped_error, ActionAlert};
use crate::components::layout::{Layout, RequireUser};
use crate::components::toast::use_toasts;
use crate::error::AppError;
use crate::form_state::kept;
use crate::i18n::use_i18n;

use self::manage::{AddTaskForm, DangerZone, EditCurriculumForm};
use self::tasks::TaskWeeks;

/// Everything that changes a curriculum, shared by the page's parts.
#[derive(Clone, Copy)]
pub(crate) struct Actions {
    pub update: ServerAction<UpdateCurriculum>,
    pub delete: ServerAction<DeleteCurriculum>,
    pub copy: ServerAction<CopyCurriculum>,
    pub add_task: ServerAction<AddTask>,
    pub update_task: ServerAction<UpdateTask>,
    pub delete_task: ServerAction<DeleteTask>,
    pub reorder: ServerAction<ReorderTasks>,
    /// The task the latest edit was for: its error belongs in that task's form only.
    pub edited_task: RwSignal<Option<i32>>,
}

impl Actions {
    fn new() -> Self {
        let actions = Actions {
            update: ServerAction::new(),
            delete: ServerAction::new(),
            copy: ServerAction::new(),
            add_task: ServerAction::new(),
            update_task: ServerAction::new(),
            delete_task: ServerAction::new(),
            reorder: ServerAction::new(),
            edited_task: RwSignal::new(None),
        };
        let input = actions.update_task.input();
        Effect::new(move |_| {
            if let Some(sent) = input.get() {
                actions.edited_task.set(Some(sent.task_id));
            }
        });
        actions
    }
}

/// Counts successful changes; the curriculum reloads on each. Failures leave the page as it is,
/// so what was typed stays in the form next to its error.
fn reload_after_success<T, S>(value: S, message: &'static str, changed: RwSignal<u32>)
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    let toasts = use_toasts();
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.get() {
            changed.update(|n| *n += 1);
            toasts.push(message);
        }
    });
}

#[component]
pub fn CurriculumPage() -> impl IntoView {
    let i = use_i18n();
    let id = crate::form_state::route_id();
    let actions = Actions::new();
    let changed = RwSignal::new(0u32);
    reload_after_success(actions.update.value(), i.t("curriculum.updated"), changed);
    reload_after_success(
        actions.add_task.value(),
        i.t("curriculum.task_added"),
        changed,
    );
    reload_after_success(
        actions.update_task.value(),
        i.t("curriculum.task_updated"),
        changed,
    );
    reload_after_success(
        actions.delete_task.value(),
        i.t("curriculum.task_deleted"),
        changed,
    );
    reload_after_success(
        actions.reorder.value(),
        i.t("curriculum.reordered"),
        changed,
    );
    let curriculum = Resource::new_blocking(
        move || (id.get(), changed.get()),
        |(id, _)| get_curriculum(id),
    );
    let toasts = use_toasts();
    let navigate = use_navigate();
    Effect::new({
        let navigate = navigate.clone();
        move |_| {
            if let Some(Ok(())) = actions.delete.value().get() {
                toasts.push(i.t("curricula.deleted"));
                navigate("/curricula", NavigateOptions::default());
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(copy)) = actions.copy.value().get() {
            toasts.push(i.t("curricula.copied"));
            navigate(&curriculum_path(copy), NavigateOptions::default());
        }
    });
    // Moves, deletions and copies name no form; their errors show above the tasks.
    let row_error = Signal::derive({
        let errors = [
            scoped_error(actions.reorder.value(), "", || true),
            scoped_error(actions.delete_task.value(), "", || true),
            scoped_error(actions.delete.value(), "", || true),
            scoped_error(actions.copy.value(), "", || true),
        ];
        move || errors.iter().find_map(|e| e.get())
    });
    view! {
        <Title text=i.t("curricula.title") />
        <RequireUser let:user>
            {
                view! {
                    <Layout user=user.clone()>
                        <p><a href="/curricula">{i.t("curriculum.back")}</a></p>
                        {match kept("done").as_str() {
                            "updated" => Some(i.t("curriculum.updated")),
                            "copied" => Some(i.t("curricula.copied")),
                            "task_added" => Some(i.t("curriculum.task_added")),
                            "task_updated" => Some(i.t("curriculum.task_updated")),
                            "task_deleted" => Some(i.t("curriculum.task_deleted")),
                            "reordered" => Some(i.t("curriculum.reordered")),
                            _ => None,
                        }
                            .map(|m| view! { <p class="alert success" role="status">{m}</p> })}
                        <ActionAlert error=row_error />
                        <Transition fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                            {move || Suspend::new(async move {
                                match curriculum.await {
                                    Ok(detail) => view! { <CurriculumBody detail actions /> }.into_any(),
                                    Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                                }
                            })}
                        </Transition>
                    </Layout>
                }
            }
        </RequireUser>
    }
}

#[component]
fn CurriculumBody(detail: CurriculumView, actions: Actions) -> impl IntoView {
    let i = use_i18n();
    let can = detail.capabilities;
    let c = detail.curriculum;
    let id = c.id;
    view! {
        <article class="curriculum stack">
            <header class="curriculum-head">
                <h1>{c.title.clone()}</h1>
                {c.is_template.then(|| view! { <span class="badge">{i.t("curricula.template")}</span> })}
            </header>
            <div class="markdown" data-testid="curriculum-description" inner_html=detail.description_html />
            <section class="card" aria-labelledby="tasks-heading">
                <h2 id="tasks-heading">{i.t("curriculum.tasks")}</h2>
                <TaskWeeks curriculum_id=id tasks=detail.tasks can_edit=can.can_edit actions />
            </section>
            {can.can_edit.then(|| view! {
                <div class="split">
                    <AddTaskForm curriculum_id=id actions />
                    <EditCurriculumForm curriculum=c.clone() actions />
                </div>
            })}
            {(can.can_copy || can.can_delete).then(|| view! {
                <DangerZone curriculum_id=id can_copy=can.can_copy can_delete=can.can_delete actions />
            })}
        </article>
    }
}
