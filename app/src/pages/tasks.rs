//! The task board: the reader's tasks in columns by status (mentees: their own; mentors: their
//! mentees'; admins: the company's), optionally for one mentorship or only the overdue ones.

use entity::mentoring::TaskItem;
use entity::TaskStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::tasks::{list_tasks, TaskFilter};
use crate::components::layout::{Layout, RequireUser};
use crate::components::mentoring::{status_key, StatusBadge};
use crate::i18n::use_i18n;

#[component]
pub fn TasksPage() -> impl IntoView {
    let i = use_i18n();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        TaskFilter {
            mentorship_id: q.get("mentorship_id").and_then(|v| v.parse().ok()),
            status: String::new(),
            overdue: q.get("overdue").as_deref() == Some("true"),
        }
    };
    let tasks = Resource::new_blocking(filter, list_tasks);
    view! {
        <Title text=i.t("board.title") />
        <RequireUser let:user>
            <Layout user=user>
                <h1>{i.t("board.title")}</h1>
                <form method="get" action="/tasks" class="filters">
                    {move || filter().mentorship_id.map(|m| view! { <input type="hidden" name="mentorship_id" value=m /> })}
                    <label class="check">
                        <input type="checkbox" name="overdue" value="true" checked=move || filter().overdue />
                        {i.t("board.only_overdue")}
                    </label>
                    <button type="submit" class="btn ghost small">{i.t("common.apply")}</button>
                </form>
                <Transition fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                    {move || Suspend::new(async move {
                        match tasks.await {
                            Ok(page) if page.items.is_empty() => view! { <p class="card">{i.t("board.empty")}</p> }.into_any(),
                            Ok(page) => view! { <Board tasks=page.items /> }.into_any(),
                            Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </Layout>
        </RequireUser>
    }
}

#[component]
fn Board(tasks: Vec<TaskItem>) -> impl IntoView {
    let i = use_i18n();
    let many_people = tasks.iter().any(|t| t.assignee_id != tasks[0].assignee_id);
    view! {
        <div class="board">
            {TaskStatus::ALL.into_iter().map(|status| {
                let column: Vec<TaskItem> = tasks.iter().filter(|t| t.status == status).cloned().collect();
                let heading = format!("col-{}", status.as_str());
                let labelled_by = heading.clone();
                view! {
                    <section class="board-col" aria-labelledby=labelled_by data-status=status.as_str()>
                        <h2 id=heading>{i.t(status_key(status))}" "<span class="badge">{column.len()}</span></h2>
                        <ul class="cards">
                            {column.into_iter().map(|t| view! {
                                <li class="task-card" class:overdue=t.overdue>
                                    <a href=format!("/tasks/{}", t.id)>{t.title.clone()}</a>
                                    <p class="task-meta">
                                        <StatusBadge status=t.status />
                                        " "<time datetime=t.due_date.to_string()>{t.due_date.to_string()}</time>
                                        {t.overdue.then(|| view! { " "<span class="badge overdue">{i.t("task.overdue")}</span> })}
                                        {many_people.then(|| view! { <span class="task-who">{t.assignee_name.clone()}</span> })}
                                    </p>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }
            }).collect_view()}
        </div>
    }
}
