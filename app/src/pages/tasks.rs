//! The task board: the reader's tasks in columns by status (mentees: their own; mentors: their
//! mentees'), each column with its true count and its own pages. Admins first choose whose
//! board to open, or look at everything overdue.

use entity::form_view::MentorshipChoice;
use entity::mentoring::{Board, BoardColumn, TaskItem};
use entity::TaskStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::tasks::{load_board, BoardFilter};
use crate::components::avatar::Avatar;
use crate::components::layout::{Layout, RequireUser};
use crate::components::mentoring::status_key;
use crate::components::ui::EmptyState;
use crate::i18n::use_i18n;

#[component]
pub fn TasksPage() -> impl IntoView {
    let i = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let page = |status: TaskStatus| {
            q.get(&format!("{}_page", status.as_str()))
                .and_then(|v| v.parse().ok())
        };
        BoardFilter {
            mentorship_id: q.get("mentorship_id").and_then(|v| v.parse().ok()),
            assignee_id: q.get("assignee_id").and_then(|v| v.parse().ok()),
            overdue: q.get("overdue").as_deref() == Some("true"),
            q: q.get("q").unwrap_or_default(),
            todo_page: page(TaskStatus::Todo),
            in_progress_page: page(TaskStatus::InProgress),
            changes_requested_page: page(TaskStatus::ChangesRequested),
            review_page: page(TaskStatus::Review),
            done_page: page(TaskStatus::Done),
        }
    });
    let board = Resource::new_blocking(move || filter.get(), load_board);
    view! {
        <Title text=i.t("board.title") />
        <RequireUser let:user>
            <Layout user=user>
                <h1>{i.t("board.title")}</h1>
                <form method="get" action="/tasks" class="filters">
                    {move || filter.get().mentorship_id.map(|m| view! { <input type="hidden" name="mentorship_id" value=m /> })}
                    {move || filter.get().assignee_id.map(|a| view! { <input type="hidden" name="assignee_id" value=a /> })}
                    <label class="check">
                        <input type="checkbox" name="overdue" value="true" checked=move || filter.get().overdue />
                        {i.t("board.only_overdue")}
                    </label>
                    <button type="submit" class="btn ghost small">{i.t("common.apply")}</button>
                </form>
                <Transition fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                    {move || Suspend::new(async move {
                        match board.await {
                            Ok(Board { choose: Some(choices), .. }) => view! {
                                <Chooser choices q=filter.get_untracked().q />
                            }.into_any(),
                            Ok(b) => view! { <Columns board=b filter=filter.get_untracked() /> }.into_any(),
                            Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </Layout>
        </RequireUser>
    }
}

/// Whose board to open: a search over the company's active mentorships, and the company-wide
/// overdue view.
#[component]
fn Chooser(choices: Vec<MentorshipChoice>, q: String) -> impl IntoView {
    let i = use_i18n();
    let searched = !q.is_empty();
    view! {
        <section class="card chooser" aria-labelledby="choose-heading" data-testid="board-chooser">
            <h2 id="choose-heading">{i.t("board.choose")}</h2>
            <p class="muted">{i.t("board.choose_lead")}</p>
            <form method="get" action="/tasks" class="filters" role="search">
                <label for="board-q" class="visually-hidden">{i.t("board.search")}</label>
                <input id="board-q" type="search" name="q" value=q placeholder=i.t("board.search") />
                <button type="submit" class="btn ghost">{i.t("users.search_submit")}</button>
            </form>
            {if choices.is_empty() {
                let title = if searched { i.t("board.no_match") } else { i.t("dashboard.no_mentees") };
                view! { <EmptyState title=title /> }.into_any()
            } else {
                view! {
                    <ul class="board-choices">
                        {choices.into_iter().map(|c| view! {
                            <li>
                                <a href=format!("/tasks?mentorship_id={}", c.id)>
                                    <Avatar id=c.mentee_id name=c.mentee_name.clone() size="small" />
                                    <span>{c.mentee_name.clone()}</span>
                                </a>
                                <span class="muted">{i.t("role.mentor")}": "{c.mentor_name}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p><a href="/tasks?overdue=true">{i.t("board.all_overdue")}</a></p>
        </section>
    }
}

#[component]
fn Columns(board: Board, filter: BoardFilter) -> impl IntoView {
    let i = use_i18n();
    let first = board
        .columns
        .iter()
        .flat_map(|c| c.tasks.items.first())
        .map(|t| t.assignee_id)
        .next();
    let many_people = board
        .columns
        .iter()
        .flat_map(|c| &c.tasks.items)
        .any(|t| Some(t.assignee_id) != first);
    let empty = board.columns.iter().all(|c| c.tasks.total == 0);
    view! {
        {board.subject.map(|who| view! {
            <p class="board-subject">
                <span data-testid="board-subject">{who}</span>
                {(filter.mentorship_id.is_some() || filter.assignee_id.is_some()).then(|| view! {
                    " · "<a href="/tasks">{i.t("board.change")}</a>
                })}
            </p>
        })}
        {empty.then(|| view! { <EmptyState title=i.t("board.empty") /> })}
        <div class="board">
            {board.columns.into_iter().enumerate().map(|(n, column)| view! {
                <Column column n filter=filter.clone() many_people />
            }).collect_view()}
        </div>
    }
}

#[component]
fn Column(column: BoardColumn, n: usize, filter: BoardFilter, many_people: bool) -> impl IntoView {
    let i = use_i18n();
    let status = column.status;
    let heading = format!("col-{}", status.as_str());
    let labelled_by = heading.clone();
    let page = column.tasks;
    let pages = page.total.div_ceil(page.per_page).max(1);
    let current = page.page.min(pages);
    let href = move |to: u64| column_href(&filter, n, to);
    let from = (current - 1) * page.per_page + 1;
    let to = (from + page.items.len() as u64).saturating_sub(1);
    view! {
        <section class="board-col" aria-labelledby=labelled_by data-status=status.as_str()>
            <h2 id=heading>
                {i.t(status_key(status))}" "
                <span class="badge" data-testid="column-count">{page.total}</span>
            </h2>
            <ul class="cards">
                {page.items.into_iter().map(|t| view! { <Card t many_people /> }).collect_view()}
            </ul>
            {(pages > 1).then(|| view! {
                <nav class="pager column-pager" aria-label=format!("{} · {}", i.t(status_key(status)), i.t("users.pages"))>
                    <span>{format!("{from}–{to} / {}", page.total)}</span>
                    {(current > 1).then(|| view! { <a href=href(current - 1) rel="prev">{i.t("users.previous")}</a> })}
                    {(current < pages).then(|| view! { <a href=href(current + 1) rel="next">{i.t("users.next")}</a> })}
                </nav>
            })}
        </section>
    }
}

/// A card says what its column does not: the title, the due date, whether it is late, and whose
/// it is when the board holds more than one person's tasks.
#[component]
fn Card(t: TaskItem, many_people: bool) -> impl IntoView {
    let i = use_i18n();
    view! {
        <li class="task-card" class:overdue=t.overdue>
            <a href=format!("/tasks/{}", t.id)>{t.title.clone()}</a>
            <p class="task-meta">
                <time datetime=t.due_date.to_string()>{t.due_date.to_string()}</time>
                {t.overdue.then(|| view! { " "<span class="badge overdue">{i.t("task.overdue")}</span> })}
                {many_people.then(|| view! {
                    <span class="task-who">
                        <Avatar id=t.assignee_id name=t.assignee_name.clone() size="small" />
                        {t.assignee_name.clone()}
                    </span>
                })}
            </p>
        </li>
    }
}

/// The board as it is, with column `n` turned to page `to`.
fn column_href(filter: &BoardFilter, n: usize, to: u64) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    if let Some(m) = filter.mentorship_id {
        q.append_pair("mentorship_id", &m.to_string());
    }
    if let Some(a) = filter.assignee_id {
        q.append_pair("assignee_id", &a.to_string());
    }
    if filter.overdue {
        q.append_pair("overdue", "true");
    }
    for (k, (status, page)) in TaskStatus::ALL.into_iter().zip(filter.pages()).enumerate() {
        let page = if k == n { Some(to as i64) } else { page };
        if let Some(page) = page.filter(|p| *p > 1) {
            q.append_pair(&format!("{}_page", status.as_str()), &page.to_string());
        }
    }
    format!("/tasks?{}", q.finish())
}
