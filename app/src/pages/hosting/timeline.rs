//! Every transition of the hosting, newest first: when, from → to, the step, what happened.

use entity::hosting::HostingEvent;
use leptos::prelude::*;

use super::{status_label, step_label};
use crate::i18n::use_i18n;
use crate::pages::hosting::tr;

#[component]
pub fn Timeline(events: Vec<HostingEvent>) -> impl IntoView {
    let i = use_i18n();
    if events.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="card hosting-timeline" aria-labelledby="hosting-timeline-title" data-testid="hosting-timeline">
            <h2 id="hosting-timeline-title">{tr(i, "hosting.timeline")}</h2>
            <ol class="hosting-events">
                {events.into_iter().rev().map(|e| {
                    let change = if e.from == e.to {
                        status_label(i, e.to).to_owned()
                    } else {
                        format!("{} → {}", status_label(i, e.from), status_label(i, e.to))
                    };
                    view! {
                        <li data-step=e.step.clone()>
                            <time datetime=e.at.to_rfc3339()>{e.at.format("%Y-%m-%d %H:%M:%S").to_string()}</time>
                            <span class="timeline-change">{change}</span>
                            <span class="timeline-step">{step_label(i, &e.step)}</span>
                            <span class="timeline-message">{e.message.clone()}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}
