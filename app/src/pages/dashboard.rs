use entity::mentoring::{AdminDashboard, Dashboard, MenteeDashboard, MentorDashboard};
use entity::Role;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::dashboard::load_dashboard;
use crate::components::layout::{role_key, Layout, RequireUser};
use crate::components::mentoring::{ProgressBar, TaskTable};
use crate::i18n::use_i18n;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i = use_i18n();
    let data = Resource::new_blocking(|| (), |_| load_dashboard());
    view! {
        <Title text=i.t("dashboard.title") />
        <RequireUser let:user>
            {
                let lead = match user.role {
                    Role::Admin => "dashboard.admin_lead",
                    Role::Mentor => "dashboard.mentor_lead",
                    Role::Mentee => "dashboard.mentee_lead",
                };
                let since = user.created_at.format("%Y-%m-%d").to_string();
                let must_change = user.must_change_password;
                view! {
                    <Layout user=user.clone()>
                        <h1>{i.t("dashboard.title")}</h1>
                        {must_change.then(|| view! {
                            <p class="alert warn"><a href="/account">{i.t("dashboard.must_change")}</a></p>
                        })}
                        <section class="card welcome">
                            <h2>{i.t("dashboard.welcome")}", "{user.name.clone()}</h2>
                            <p>{i.t(lead)}</p>
                            <dl class="facts">
                                <div><dt>{i.t("dashboard.role")}</dt><dd>{i.t(role_key(user.role))}</dd></div>
                                <div><dt>{i.t("field.email")}</dt><dd>{user.email.clone()}</dd></div>
                                <div><dt>{i.t("dashboard.member_since")}</dt><dd>{since}</dd></div>
                            </dl>
                        </section>
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
    view! {
        <section class="card" data-testid="mentee-dashboard">
            <h2>{i.t("dashboard.my_progress")}</h2>
            <ProgressBar progress=d.progress />
            <dl class="facts">
                <div><dt>{i.t("dashboard.tasks_total")}</dt><dd data-testid="tasks-total">{d.progress.total}</dd></div>
                <div><dt>{i.t("status.done")}</dt><dd data-testid="tasks-done">{d.progress.done}</dd></div>
                <div><dt>{i.t("status.review")}</dt><dd>{d.progress.in_review}</dd></div>
                <div><dt>{i.t("task.overdue")}</dt><dd>{d.progress.overdue}</dd></div>
            </dl>
            <p><a class="btn primary" href="/tasks">{i.t("dashboard.open_board")}</a></p>
        </section>
        <section class="card">
            <h2>{i.t("dashboard.next_due")}</h2>
            {if d.next_due.is_empty() {
                view! { <p>{i.t("dashboard.nothing_due")}</p> }.into_any()
            } else {
                view! { <TaskTable tasks=d.next_due /> }.into_any()
            }}
        </section>
        {(!d.mentorships.is_empty()).then(|| view! {
            <section class="card">
                <h2>{i.t("nav.mentorships")}</h2>
                <ul class="plain">
                    {d.mentorships.into_iter().map(|m| view! {
                        <li>
                            <a href=format!("/mentorships/{}", m.mentorship.id)>{m.curriculum_title.clone().unwrap_or_default()}</a>
                            " · "{i.t("role.mentor")}": "{m.mentor_name.clone()}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

#[component]
fn MentorView(d: MentorDashboard) -> impl IntoView {
    let i = use_i18n();
    view! {
        <section class="card" data-testid="mentor-dashboard">
            <h2>{i.t("dashboard.my_mentees")}</h2>
            {if d.mentees.is_empty() {
                view! { <p>{i.t("dashboard.no_mentees")}</p> }.into_any()
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
                                    <td><a href=format!("/mentorships/{}", m.mentorship.id)>{m.mentee_name.clone()}</a></td>
                                    <td>{m.curriculum_title.clone().unwrap_or_default()}</td>
                                    <td><ProgressBar progress=m.progress /></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="card">
            <h2>{i.t("dashboard.awaiting_review")}" "<span class="badge" data-testid="awaiting-review">{d.awaiting_review_total}</span></h2>
            {if d.awaiting_review.is_empty() {
                view! { <p>{i.t("dashboard.nothing_to_review")}</p> }.into_any()
            } else {
                view! { <TaskTable tasks=d.awaiting_review show_assignee=true /> }.into_any()
            }}
        </section>
    }
}

#[component]
fn AdminView(d: AdminDashboard) -> impl IntoView {
    let i = use_i18n();
    view! {
        <section class="card" data-testid="admin-dashboard">
            <h2>{i.t("dashboard.company")}</h2>
            <dl class="facts">
                <div><dt>{i.t("role.mentor")}</dt><dd data-testid="count-mentors">{d.mentors}</dd></div>
                <div><dt>{i.t("role.mentee")}</dt><dd data-testid="count-mentees">{d.mentees}</dd></div>
                <div><dt>{i.t("dashboard.active_mentorships")}</dt><dd data-testid="count-mentorships">{d.active_mentorships}</dd></div>
                <div><dt>{i.t("dashboard.completion")}</dt><dd data-testid="completion">{d.tasks.percent()}"%"</dd></div>
                <div><dt>{i.t("task.overdue")}</dt><dd data-testid="count-overdue">{d.tasks.overdue}</dd></div>
            </dl>
        </section>
        <section class="card">
            <h2 id="by-department">{i.t("dashboard.by_department")}</h2>
            {if d.departments.is_empty() {
                view! { <p>{i.t("dashboard.no_tasks")}</p> }.into_any()
            } else {
                view! {
                    <ul class="bars" aria-labelledby="by-department">
                        {d.departments.into_iter().map(|dep| {
                            let name = dep.name.clone().unwrap_or_else(|| i.t("dashboard.no_department").to_owned());
                            view! {
                                <li>
                                    <span class="bar-label">{name.clone()}</span>
                                    <meter class="progress wide" min="0" max="100" value=dep.percent aria-label=name.clone()></meter>
                                    <span class="bar-value">{format!("{}% ({}/{})", dep.percent, dep.done, dep.total)}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card">
            <h2>{i.t("dashboard.overdue_list")}</h2>
            {if d.overdue.is_empty() {
                view! { <p>{i.t("dashboard.nothing_overdue")}</p> }.into_any()
            } else {
                view! { <TaskTable tasks=d.overdue show_assignee=true /> }.into_any()
            }}
        </section>
    }
}
