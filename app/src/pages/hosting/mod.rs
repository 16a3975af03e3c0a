//! Hosting: a person's own small VM (`/hosting`: create it, watch each step, its web address and
//! SSH/SFTP commands, start/stop/restart/delete, its timeline) and the admins' overview of
//! everyone's (`/admin/hosting`). Every button is a plain form posting a server function, so the
//! pages work without JavaScript; with it they poll and answer with toasts.

pub mod admin;
mod card;
mod clipboard;
pub mod page;
mod steps;
mod timeline;

use chrono::{DateTime, Utc};
use entity::hosting::{Hosting, HostingStatus};

use crate::error::AppError;
use crate::i18n::I18n;

/// This area's text (its own table, then the shared ones).
pub(crate) fn tr(i: I18n, key: &'static str) -> &'static str {
    i.area(crate::i18n::hosting::lookup, key)
}

/// A state in the reader's language.
pub fn status_label(i: I18n, status: HostingStatus) -> &'static str {
    match status {
        HostingStatus::Creating => tr(i, "hosting.status.creating"),
        HostingStatus::Running => tr(i, "hosting.status.running"),
        HostingStatus::Stopping => tr(i, "hosting.status.stopping"),
        HostingStatus::Stopped => tr(i, "hosting.status.stopped"),
        HostingStatus::Deleting => tr(i, "hosting.status.deleting"),
        HostingStatus::Deleted => tr(i, "hosting.status.deleted"),
        HostingStatus::Error => tr(i, "hosting.status.error"),
    }
}

/// The badge's words for a hosting: its state, or what it is doing when the state stays put
/// meanwhile (a start from `stopped` or `error`, the second half of a restart).
pub fn badge_label(i: I18n, h: &Hosting) -> &'static str {
    match (h.op.as_deref(), h.status) {
        (Some("start"), s) if !s.is_transitional() => tr(i, "hosting.status.starting"),
        (Some("restart"), _) => tr(i, "hosting.status.restarting"),
        (Some("create"), HostingStatus::Error) => tr(i, "hosting.status.creating"),
        _ => status_label(i, h.status),
    }
}

/// An operation in flight, in the reader's language ("Starting"); an unknown one as it is.
pub fn op_label(i: I18n, op: &str) -> String {
    let key = match op {
        "create" => "hosting.status.creating",
        "start" => "hosting.status.starting",
        "stop" => "hosting.status.stopping",
        "restart" => "hosting.status.restarting",
        "delete" => "hosting.status.deleting",
        other => return other.to_owned(),
    };
    tr(i, key).to_owned()
}

/// The badge's class for a state (shared with the workspaces' badges).
pub fn status_class(status: HostingStatus, busy: bool) -> &'static str {
    match status {
        _ if busy => "badge state-busy",
        HostingStatus::Running => "badge ok",
        HostingStatus::Creating | HostingStatus::Stopping | HostingStatus::Deleting => {
            "badge state-busy"
        }
        HostingStatus::Error => "badge state-failed",
        HostingStatus::Stopped | HostingStatus::Deleted => "badge muted-badge",
    }
}

/// A step code of the timeline or of the operation in flight, in the reader's language (an
/// unknown code shows as it is).
pub fn step_label(i: I18n, step: &str) -> String {
    let key = match step {
        "queued" => "hosting.step.queued",
        "allocate" => "hosting.step.allocate",
        "seed" => "hosting.step.seed",
        "define" => "hosting.step.define",
        "start" => "hosting.step.start",
        "wait" => "hosting.step.wait",
        "rule" => "hosting.step.rule",
        "ready" => "hosting.step.ready",
        "stopped" => "hosting.step.stopped",
        "deleted" => "hosting.step.deleted",
        "rollback" => "hosting.step.rollback",
        "stop" => "hosting.step.stop",
        "delete" => "hosting.step.delete",
        "recovered" => "hosting.step.recovered",
        "abandoned" => "hosting.step.abandoned",
        "lost" => "hosting.step.lost",
        "found_stopped" => "hosting.step.found_stopped",
        "forced_stop" => "hosting.step.forced_stop",
        other => return other.to_owned(),
    };
    tr(i, key).to_owned()
}

/// The current time: the browser's clock in the browser (chrono's clock has no source on
/// wasm32-unknown-unknown), the system's on the server.
pub fn now() -> DateTime<Utc> {
    #[cfg(target_arch = "wasm32")]
    {
        let ms = web_sys::js_sys::Date::now() as i64;
        DateTime::from_timestamp_millis(ms).unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Utc::now()
    }
}

/// A duration to the second: "42 s", "3 min 5 s", "2 h 10 min" (never empty).
pub fn elapsed(i: I18n, since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - since).num_seconds().max(0);
    if secs < 60 {
        tr(i, "hosting.seconds").replace("{n}", &secs.to_string())
    } else if secs < 3600 {
        tr(i, "hosting.minutes")
            .replace("{m}", &(secs / 60).to_string())
            .replace("{s}", &(secs % 60).to_string())
    } else {
        tr(i, "hosting.hours")
            .replace("{h}", &(secs / 3600).to_string())
            .replace("{m}", &(secs % 3600 / 60).to_string())
    }
}

/// How long ago, roughly: "just now", "12 min", "5 h", "3 d" (never empty).
pub fn age(i: I18n, since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let mins = (now - since).num_minutes().max(0);
    let (key, n) = match mins {
        0 => return tr(i, "hosting.age_now").to_owned(),
        m if m < 60 => ("hosting.age_minutes", m),
        m if m < 24 * 60 => ("hosting.age_hours", m / 60),
        m => ("hosting.age_days", m / (24 * 60)),
    };
    tr(i, key).replace("{n}", &n.to_string())
}

/// What a toast says when a hosting action was refused: the translated reason, and for a
/// missing hypervisor what the server said about it.
pub fn action_error(i: I18n, e: &AppError) -> String {
    match e.kind {
        entity::ErrorKind::Unavailable if e.code == "unavailable" && !e.message.is_empty() => {
            format!("{}: {}", tr(i, "hosting.unavailable_title"), e.message)
        }
        _ => i.error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefs::Locale;

    #[test]
    fn durations_read_naturally() {
        let en = I18n { locale: Locale::En };
        let ko = I18n { locale: Locale::Ko };
        let t0 = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let at = |s: i64| t0 + chrono::Duration::seconds(s);
        assert_eq!(elapsed(en, t0, at(7)), "7 s");
        assert_eq!(elapsed(en, t0, at(65)), "1 min 5 s");
        assert_eq!(elapsed(ko, t0, at(3 * 3600 + 120)), "3시간 2분");
        assert_eq!(elapsed(en, at(5), t0), "0 s", "a clock behind the server's");
        assert_eq!(age(en, t0, at(30)), "just now");
        assert_eq!(age(en, t0, at(3 * 86_400)), "3 d");
        assert_eq!(age(ko, t0, at(7200)), "2시간");
    }

    #[test]
    fn unknown_steps_show_their_code() {
        let en = I18n { locale: Locale::En };
        assert_eq!(step_label(en, "allocate"), "Reserving ports");
        assert_eq!(step_label(en, "mystery"), "mystery");
    }
}
