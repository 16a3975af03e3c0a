//! Mentorships: the list the reader may see and, for whoever may create them, the form that pairs
//! a mentor with a mentee on a curriculum from a start date.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::mentorships::{
    list_mentorships, mentorship_choices, Choice, CreateMentorship, MentorshipOptions,
};
use crate::components::form::{Field, FormAlert, Submit};
use crate::components::layout::{Layout, RequireUser};
use crate::components::mentoring::{FieldMessage, ProgressBar};
use crate::form_state::{form_error, kept};
use crate::i18n::use_i18n;

pub fn mentorship_status_key(s: entity::MentorshipStatus) -> &'static str {
    match s {
        entity::MentorshipStatus::Active => "mentorship.active",
        entity::MentorshipStatus::Ended => "mentorship.ended",
        entity::MentorshipStatus::Cancelled => "mentorship.cancelled",
    }
}

#[component]
pub fn MentorshipsPage() -> impl IntoView {
    let i = use_i18n();
    let query = use_query_map();
    let status = move || query.read().get("status").unwrap_or_default();
    let list = Resource::new_blocking(status, |s| list_mentorships(s, 1));
    // Made here, not inside the list's Suspend: a resource created while hydrating a suspended
    // view does not line up with the server's and breaks hydration.
    let choices = Resource::new_blocking(|| (), |_| mentorship_choices());
    view! {
        <Title text=i.t("nav.mentorships") />
        <RequireUser let:user>
            <Layout user=user.clone()>
                <h1>{i.t("nav.mentorships")}</h1>
                <Transition fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                    {move || {
                        let current = status();
                        Suspend::new(async move {
                            let page = match list.await {
                                Ok(page) => page,
                                Err(e) => return view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                            };
                            let form = choices.await.transpose();
                            view! {
                                <div class="split">
                                    <section class="card">
                                        <StatusFilter status=current />
                                        {if page.items.is_empty() {
                                            view! { <p>{i.t("mentorship.empty")}</p> }.into_any()
                                        } else {
                                            view! { <MentorshipTable items=page.items /> }.into_any()
                                        }}
                                    </section>
                                    {form.map(|options| match options {
                                        Ok(options) => view! { <NewMentorship options /> }.into_any(),
                                        Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                                    })}
                                </div>
                            }
                                .into_any()
                        })
                    }}
                </Transition>
            </Layout>
        </RequireUser>
    }
}

/// Narrows the list to one status: a plain GET form, so each filter has its own address.
#[component]
fn StatusFilter(status: String) -> impl IntoView {
    let i = use_i18n();
    view! {
        <form method="get" action="/mentorships" class="filters">
            <label for="filter-status">{i.t("task.status")}</label>
            <select id="filter-status" name="status">
                <option value="" selected=status.is_empty()>{i.t("common.all")}</option>
                {entity::MentorshipStatus::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=status == s.as_str()>{i.t(mentorship_status_key(s))}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="btn ghost small">{i.t("common.apply")}</button>
        </form>
    }
}

#[component]
fn MentorshipTable(items: Vec<entity::mentoring::MentorshipView>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <table class="table">
            <thead><tr>
                <th scope="col">{i.t("role.mentee")}</th>
                <th scope="col">{i.t("role.mentor")}</th>
                <th scope="col">{i.t("mentorship.curriculum")}</th>
                <th scope="col">{i.t("progress.label")}</th>
                <th scope="col">{i.t("task.status")}</th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|m| view! {
                    <tr>
                        <td><a href=format!("/mentorships/{}", m.mentorship.id)>{m.mentee_name.clone()}</a></td>
                        <td>{m.mentor_name.clone()}</td>
                        <td>{m.curriculum_title.clone().unwrap_or_default()}</td>
                        <td><ProgressBar progress=m.progress /></td>
                        <td><span class="badge">{i.t(mentorship_status_key(m.mentorship.status))}</span></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A `<select>` of choices, keeping the previously chosen id.
#[component]
fn Picker(
    label: &'static str,
    name: &'static str,
    choices: Vec<Choice>,
    chosen: String,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let i = use_i18n();
    let id = format!("field-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name required=true>
                <option value="">{i.t("common.choose")}</option>
                {choices.into_iter().map(|c| {
                    let selected = chosen == c.id.to_string();
                    view! { <option value=c.id selected=selected>{c.label}</option> }
                }).collect_view()}
            </select>
            <FieldMessage error name />
        </div>
    }
}

#[component]
fn NewMentorship(options: MentorshipOptions) -> impl IntoView {
    let i = use_i18n();
    let create = ServerAction::<CreateMentorship>::new();
    let error = form_error(create.value());
    // With JavaScript, go to the new mentorship once it exists.
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(m)) = create.value().get() {
            navigate(
                &format!("/mentorships/{}", m.mentorship.id),
                Default::default(),
            );
        }
    });
    let MentorshipOptions {
        mentors,
        mentees,
        curricula,
    } = options;
    view! {
        <section class="card">
            <h2>{i.t("mentorship.create")}</h2>
            <FormAlert error />
            <ActionForm action=create attr:class="stack" attr:novalidate=true>
                <Picker label=i.t("role.mentor") name="mentor_id" choices=mentors chosen=kept("mentor_id") error />
                <Picker label=i.t("role.mentee") name="mentee_id" choices=mentees chosen=kept("mentee_id") error />
                <Picker label=i.t("mentorship.curriculum") name="curriculum_id" choices=curricula chosen=kept("curriculum_id") error />
                <Field label=i.t("mentorship.start_date") name="start_date" kind="date" value=kept("start_date") required=true error />
                <Submit label=i.t("mentorship.create_submit") pending_label=i.t("common.saving") pending=create.pending().into() />
            </ActionForm>
        </section>
    }
}
