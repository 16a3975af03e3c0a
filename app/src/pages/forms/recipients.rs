//! Whom a form goes to: whole departments, people one by one and a mentorship. Without
//! JavaScript it is a list of boxes; in the page a search narrows the list, "select all shown"
//! and "clear" act on it, and the chosen people show as chips that can be removed.

use std::collections::BTreeSet;

use entity::form_view::{Addressee, Audience};
use leptos::prelude::*;

use crate::components::icon::{lu, Icon};
use crate::error::AppError;
use crate::form_state::running_in_browser;
use crate::i18n::use_i18n;

use super::builder::FieldMessage;
use crate::pages::forms::{tr, tr_count};

/// What the draft had chosen already (after a refused post or a revision without JavaScript).
#[derive(Debug, Clone, Default)]
pub struct Chosen {
    pub people: Vec<i32>,
    pub departments: Vec<i32>,
    pub mentorship: String,
}

fn matches(p: &Addressee, q: &str) -> bool {
    q.is_empty() || p.name.to_lowercase().contains(q) || p.email.to_lowercase().contains(q)
}

#[component]
pub fn Recipients(
    audience: Audience,
    chosen: Chosen,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i = use_i18n();
    let live = running_in_browser();
    let kept_people = chosen.people.clone();
    let people = StoredValue::new(audience.people);
    let picked: RwSignal<BTreeSet<i32>> = RwSignal::new(chosen.people.iter().copied().collect());
    let search = RwSignal::new(String::new());
    let query = Memo::new(move |_| search.get().trim().to_lowercase());
    let select_shown = move |_| {
        let q = query.get_untracked();
        people.with_value(|all| {
            picked.update(|set| set.extend(all.iter().filter(|p| matches(p, &q)).map(|p| p.id)))
        });
    };
    let shown = move || {
        let q = query.get();
        people.with_value(|all| all.iter().filter(|p| matches(p, &q)).count())
    };
    let departments = (!audience.departments.is_empty()).then(|| {
        let kept = chosen.departments.clone();
        view! {
            <fieldset class="recipients">
                <legend>{tr(i, "forms.departments")}</legend>
                <ul class="checklist">
                    {audience.departments.into_iter().map(|d| view! {
                        <li>
                            <label class="check">
                                <input type="checkbox" name="draft[department_ids][]" value=d.id.to_string()
                                    checked=kept.contains(&d.id) />
                                " "{d.name}" "<span class="muted small">{tr_count(i, "forms.members", d.members)}</span>
                            </label>
                        </li>
                    }).collect_view()}
                </ul>
                <FieldMessage error field="department_ids" />
            </fieldset>
        }
    });
    let mentorships = (!audience.mentorships.is_empty()).then(|| {
        let kept = chosen.mentorship.clone();
        view! {
            <div class="field">
                <label for="field-mentorship">{tr(i, "forms.field.mentorship")}</label>
                <select id="field-mentorship" name="draft[mentorship_id]">
                    <option value="">{tr(i, "forms.no_mentorship")}</option>
                    {audience.mentorships.into_iter().map(|m| {
                        let id = m.id.to_string();
                        let selected = id == kept;
                        view! { <option value=id selected=selected>{format!("{} → {}", m.mentor_name, m.mentee_name)}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage error field="mentorship_id" />
            </div>
        }
    });
    view! {
        {departments}
        <fieldset class="recipients picker" aria-describedby="error-recipient_ids">
            <legend>{tr(i, "forms.people")}</legend>
            {move || live.get().then(|| view! {
                <div class="picker-tools">
                    <label for="recipient-search" class="visually-hidden">{tr(i, "forms.search_people")}</label>
                    <input id="recipient-search" type="search" placeholder=tr(i, "forms.search_people")
                        prop:value=move || search.get()
                        on:input=move |ev| search.set(event_target_value(&ev)) />
                    <button type="button" class="btn ghost small" on:click=select_shown>
                        {move || format!("{} ({})", tr(i, "forms.select_shown"), shown())}
                    </button>
                    <button type="button" class="btn ghost small" on:click=move |_| picked.set(BTreeSet::new())
                        disabled=move || picked.with(BTreeSet::is_empty)>
                        {tr(i, "forms.clear_choice")}
                    </button>
                </div>
                <p class="muted small" aria-live="polite" data-testid="picked-count">
                    {move || tr_count(i, "forms.people_chosen", picked.with(BTreeSet::len) as u64)}
                </p>
                <ul class="picked" aria-label=tr(i, "forms.people_chosen_list")>
                    {move || people.with_value(|all| {
                        picked.with(|set| all.iter().filter(|p| set.contains(&p.id)).map(|p| {
                            let id = p.id;
                            let label = format!("{} {}", tr(i, "forms.unpick"), p.name);
                            view! {
                                <li class="pick">
                                    {p.name.clone()}
                                    <button type="button" class="pick-remove" aria-label=label
                                        on:click=move |_| picked.update(|s| { s.remove(&id); })>
                                        <Icon icon=lu::LuX />
                                    </button>
                                </li>
                            }
                        }).collect_view())
                    })}
                </ul>
            })}
            <ul class="checklist picker-list">
                {people.get_value().into_iter().map(|p| {
                    let id = p.id;
                    let visible = p.clone();
                    view! {
                        <li hidden=move || !matches(&visible, &query.get())>
                            <label class="check">
                                <input type="checkbox" name="draft[recipient_ids][]" value=id.to_string()
                                    checked=kept_people.contains(&id)
                                    prop:checked=move || picked.with(|s| s.contains(&id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        picked.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                                    } />
                                " "{p.name}" "<span class="muted small">{p.email}</span>
                            </label>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <FieldMessage error field="recipient_ids" />
        </fieldset>
        {mentorships}
    }
}
