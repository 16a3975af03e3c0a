//! The operation in flight as a list of steps: those done ticked, the current one highlighted,
//! the rest to come, with the time since the operation began.

use chrono::{DateTime, Utc};
use entity::hosting::Hosting;
use leptos::prelude::*;

use super::{elapsed, step_label};
use crate::components::icon::{lu, Icon};
use crate::i18n::{use_i18n, I18n};
use crate::pages::hosting::tr;

/// The steps of each operation in order, each named by the code the service records once it is
/// done (`Hosting::step` is the last one done; `queued` before the first).
fn plan(op: &str) -> &'static [(&'static str, &'static str)] {
    match op {
        "create" => &[
            ("allocate", "hosting.step.allocate"),
            ("seed", "hosting.step.seed"),
            ("define", "hosting.step.define"),
            ("start", "hosting.step.start"),
            ("wait", "hosting.step.wait"),
            ("rule", "hosting.step.rule"),
        ],
        "start" => &[
            ("start", "hosting.step.start"),
            ("wait", "hosting.step.wait"),
        ],
        "restart" => &[
            ("stopped", "hosting.step.shutdown"),
            ("start", "hosting.step.start"),
            ("wait", "hosting.step.wait"),
        ],
        "stop" => &[("stopped", "hosting.step.shutdown")],
        "delete" => &[("deleted", "hosting.step.remove")],
        _ => &[],
    }
}

fn op_title(i: I18n, op: &str) -> &'static str {
    match op {
        "create" => tr(i, "hosting.op.create"),
        "start" => tr(i, "hosting.op.start"),
        "stop" => tr(i, "hosting.op.stop"),
        "restart" => tr(i, "hosting.op.restart"),
        _ => tr(i, "hosting.op.delete"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mark {
    Done,
    Current,
    Todo,
}

/// Each planned step with its mark, and a step off the plan (`rollback`) that is under way.
fn marks(
    op: &str,
    step: Option<&str>,
) -> (Vec<(&'static str, &'static str, Mark)>, Option<String>) {
    let plan = plan(op);
    let step = step.unwrap_or("queued");
    let at = plan.iter().position(|(code, _)| *code == step);
    let off_plan = (at.is_none() && step != "queued").then(|| step.to_owned());
    let done = at.map_or(0, |p| p + 1);
    let list = plan
        .iter()
        .enumerate()
        .map(|(n, (code, key))| {
            let mark = match n {
                _ if off_plan.is_some() => Mark::Todo,
                n if n < done => Mark::Done,
                n if n == done => Mark::Current,
                _ => Mark::Todo,
            };
            (*code, *key, mark)
        })
        .collect();
    (list, off_plan)
}

/// The hosting's operation in flight (the caller shows this only while `is_busy()`); `now`
/// ticks in the browser so the elapsed time runs.
#[component]
pub fn StepList(hosting: Hosting, now: Signal<DateTime<Utc>>) -> impl IntoView {
    let i = use_i18n();
    let op = hosting
        .op
        .clone()
        .unwrap_or_else(|| match hosting.status.as_str() {
            "stopping" => "stop".to_owned(),
            "deleting" => "delete".to_owned(),
            _ => "create".to_owned(),
        });
    let (list, off_plan) = marks(&op, hosting.step.as_deref());
    let started = hosting.op_started_at;
    let item = move |code: &'static str, label: String, mark: Mark| {
        let (class, icon) = match mark {
            Mark::Done => ("done", lu::LuCircleCheck),
            Mark::Current => ("current", lu::LuLoader),
            Mark::Todo => ("todo", lu::LuCircle),
        };
        let state = match mark {
            Mark::Done => Some(tr(i, "hosting.step_done")),
            Mark::Current => Some(tr(i, "hosting.step_current")),
            Mark::Todo => None,
        };
        view! {
            <li class=class data-step=code aria-current=(mark == Mark::Current).then_some("step")>
                <Icon icon=icon />
                <span>{label}</span>
                {state.map(|s| view! { <span class="visually-hidden">{format!("({s})")}</span> })}
            </li>
        }
    };
    view! {
        <div class="hosting-progress" data-testid="hosting-steps" data-op=op.clone()>
            <p class="hosting-progress-head">
                <strong>{op_title(i, &op)}</strong>
                {started.map(|t| view! {
                    <time class="elapsed" datetime=t.to_rfc3339() data-testid="hosting-elapsed">
                        {move || tr(i, "hosting.elapsed").replace("{t}", &elapsed(i, t, now.get()))}
                    </time>
                })}
            </p>
            <ol class="hosting-steps" aria-label=tr(i, "hosting.steps")>
                {list.into_iter().map(|(code, key, mark)| item(code, tr(i, key).to_owned(), mark)).collect_view()}
                {off_plan.map(|code| item("other", step_label(i, &code), Mark::Current))}
            </ol>
            <p class="muted">{tr(i, "hosting.wait")}</p>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(op: &str, step: Option<&str>) -> Vec<Mark> {
        marks(op, step).0.into_iter().map(|(_, _, m)| m).collect()
    }

    #[test]
    fn the_last_step_done_ticks_it_and_those_before() {
        use Mark::*;
        assert_eq!(
            shape("create", Some("queued")),
            [Current, Todo, Todo, Todo, Todo, Todo]
        );
        assert_eq!(
            shape("create", Some("seed")),
            [Done, Done, Current, Todo, Todo, Todo]
        );
        assert_eq!(shape("restart", Some("stopped")), [Done, Current, Todo]);
        assert_eq!(shape("stop", None), [Current]);
        // Undoing a failed create: nothing is ticked, the rollback is the current line.
        let (list, other) = marks("create", Some("rollback"));
        assert!(list.iter().all(|(_, _, m)| *m == Todo));
        assert_eq!(other.as_deref(), Some("rollback"));
    }
}
