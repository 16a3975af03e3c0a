//! The home page, one view per role, leading with what needs attention: what is late, what waits
//! for the reader, what is due next. Every number links to the list it counts.

use entity::mentoring::{
    AdminDashboard, Dashboard, DepartmentCompletion, MenteeDashboard, MentorDashboard,
};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::dashboard::load_dashboard;
use crate::components::avatar::Avatar;
use crate::components::layout::{Layout, RequireUser};
use crate::components::mentoring::{ProgressBar, TaskTable};
use crate::components::ui::{EmptyState, StatCard};
use crate::i18n::use_i18n;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i = use_i18n();
    let data = Resource::new_blocking(|| (), |_| load_dashboard());
    view! {
        <Title text=i.t("dashboard.title") />
        <RequireUser let:user>
            {
                let must_change = user.must_change_password;
                view! {
                    <Layout user=user.clone()>
                        <h1>{i.t("dashboard.title")}</h1>
                        {must_change.then(|| view! {
                            <p class="alert warn"><a href="/account">{i.t("dashboard.must_change")}</a></p>
                        })}
                        <Suspense fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                            {move || Suspend::new(async move {
                                match data.await {
                                    Ok(Dashboard::Mentee(d)) => view! { <MenteeView d /> }.into_any(),
                                    Ok(Dashboard::Mentor(d)) => view! { <MentorView d /> }.into_any(),
                                    Ok(Dashboard::Admin(d)) => view! { <AdminView d /> }.into_any(),
                                    Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                                }
                            })}
                        </Suspense>
                    </Layout>
                }
            }
        </RequireUser>
    }
}

#[component]
fn MenteeView(d: MenteeDashboard) -> impl IntoView {
    let i = use_i18n();
    let p = d.progress;
    let open = p.total - p.done;
    view! {
        <div data-testid="mentee-dashboard">
            <div class="stats">
                <StatCard value=p.overdue label=i.count("stat.overdue", p.overdue) href="/tasks?overdue=true" warn=true />
                <StatCard value=open label=i.count("stat.open", open) href="/tasks" />
                <StatCard value=p.in_review label=i.t("stat.in_review") href="/tasks#col-review" />
                <StatCard value=p.done label=i.t("stat.done") href="/tasks#col-done" testid="tasks-done" />
            </div>
            <section class="card" aria-labelledby="next-due">
                <h2 id="next-due">{i.t("dashboard.next_due")}</h2>
                {if d.next_due.is_empty() {
                    view! { <EmptyState title=i.t("dashboard.nothing_due") /> }.into_any()
                } else {
                    view! { <TaskTable tasks=d.next_due /> }.into_any()
                }}
            </section>
            <section class="card" aria-labelledby="my-progress">
                <h2 id="my-progress">{i.t("dashboard.my_progress")}</h2>
                <ProgressBar progress=p />
                <p class="muted">
                    {i.t("dashboard.tasks_total")}": "<span data-testid="tasks-total">{p.total}</span>
                </p>
                {(!d.mentorships.is_empty()).then(|| view! {
                    <ul class="plain">
                        {d.mentorships.into_iter().map(|m| view! {
                            <li>
                                <a href=format!("/mentorships/{}", m.mentorship.id)>{m.curriculum_title.clone().unwrap_or_default()}</a>
                                " · "{i.t("role.mentor")}": "{m.mentor_name.clone()}
                            </li>
                        }).collect_view()}
                    </ul>
                })}
                <p><a class="btn" href="/tasks">{i.t("dashboard.open_board")}</a></p>
            </section>
        </div>
    }
}

#[component]
fn MentorView(d: MentorDashboard) -> impl IntoView {
    let i = use_i18n();
    let mentees = d.mentees.len() as u64;
    view! {
        <div data-testid="mentor-dashboard">
            <div class="stats">
                <StatCard value=d.awaiting_review_total label=i.t("stat.awaiting_review") href="/tasks#col-review" warn=true testid="awaiting-review" />
                <StatCard value=d.tasks.overdue label=i.count("stat.overdue", d.tasks.overdue) href="/tasks?overdue=true" warn=true />
                <StatCard value=mentees label=i.count("stat.mentees", mentees) href="/mentorships" />
            </div>
            <section class="card" aria-labelledby="review-queue">
                <h2 id="review-queue">{i.t("dashboard.awaiting_review")}</h2>
                {if d.awaiting_review.is_empty() {
                    view! { <EmptyState title=i.t("dashboard.nothing_to_review") /> }.into_any()
                } else {
                    view! { <TaskTable tasks=d.awaiting_review show_assignee=true /> }.into_any()
                }}
            </section>
            <section class="card" aria-labelledby="my-mentees">
                <h2 id="my-mentees">{i.t("dashboard.my_mentees")}</h2>
                {if d.mentees.is_empty() {
                    view! { <EmptyState title=i.t("dashboard.no_mentees") /> }.into_any()
                } else {
                    view! {
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{i.t("role.mentee")}</th>
                                <th scope="col">{i.t("mentorship.curriculum")}</th>
                                <th scope="col">{i.t("progress.label")}</th>
                            </tr></thead>
                            <tbody>
                                {d.mentees.into_iter().map(|m| view! {
                                    <tr>
                                        <td>
                                            <a class="person" href=format!("/mentorships/{}", m.mentorship.id)>
                                                <Avatar id=m.mentorship.mentee_id name=m.mentee_name.clone() size="small" />
                                                {m.mentee_name.clone()}
                                            </a>
                                        </td>
                                        <td>{m.curriculum_title.clone().unwrap_or_default()}</td>
                                        <td><ProgressBar progress=m.progress /></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>
        </div>
    }
}

#[component]
fn AdminView(d: AdminDashboard) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div data-testid="admin-dashboard">
            <div class="stats">
                <StatCard value=d.tasks.overdue label=i.count("stat.overdue", d.tasks.overdue) href="/tasks?overdue=true" warn=true testid="count-overdue" />
                <StatCard value=d.active_mentorships label=i.count("stat.active_mentorships", d.active_mentorships) href="/mentorships" testid="count-mentorships" />
                <StatCard value=d.mentors label=i.count("stat.mentors", d.mentors) href="/admin/users?role=mentor" testid="count-mentors" />
                <StatCard value=d.mentees label=i.count("stat.mentees", d.mentees) href="/admin/users?role=mentee" testid="count-mentees" />
                <StatCard value=d.tasks.percent() unit="%" label=i.t("stat.completion") href="/mentorships" testid="completion" />
            </div>
            <section class="card" aria-labelledby="overdue-list">
                <h2 id="overdue-list">{i.t("dashboard.overdue_list")}</h2>
                {if d.overdue.is_empty() {
                    view! { <EmptyState title=i.t("dashboard.nothing_overdue") /> }.into_any()
                } else {
                    view! {
                        <TaskTable tasks=d.overdue show_assignee=true />
                        <p><a href="/tasks?overdue=true">{i.t("board.all_overdue")}</a></p>
                    }.into_any()
                }}
            </section>
            <Departments departments=d.departments />
        </div>
    }
}

/// Completion per department as bars, the least complete first: the one to ask about leads.
#[component]
fn Departments(departments: Vec<DepartmentCompletion>) -> impl IntoView {
    let i = use_i18n();
    let mut departments = departments;
    departments.sort_by_key(|d| d.percent);
    view! {
        <section class="card" aria-labelledby="by-department">
            <h2 id="by-department">{i.t("dashboard.by_department")}</h2>
            {if departments.is_empty() {
                view! { <EmptyState title=i.t("dashboard.no_tasks") /> }.into_any()
            } else {
                view! {
                    <ul class="bars" aria-labelledby="by-department">
                        {departments.into_iter().map(|dep| {
                            let name = dep.name.clone().unwrap_or_else(|| i.t("dashboard.no_department").to_owned());
                            view! {
                                <li>
                                    <span class="bar-label">{name.clone()}</span>
                                    <meter class="progress wide" min="0" max="100" value=dep.percent aria-label=name></meter>
                                    <span class="bar-value">
                                        <strong>{format!("{}%", dep.percent)}</strong>
                                        " "<span class="muted">{format!("({}/{})", dep.done, dep.total)}</span>
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
