//! A person's workspaces: the list, one workspace's files and Jupyter, previews.

pub mod admin;
pub mod files;
pub mod jupyter;
pub mod list;
pub mod picker;
pub mod preview;
pub mod runs;
pub mod upload;
pub mod view;

use crate::i18n::I18n;

/// This area's text (its own table, then the shared ones).
pub(crate) fn tr(i: I18n, key: &'static str) -> &'static str {
    i.area(crate::i18n::workspaces::area, key)
}

/// This area's counted text.
pub(crate) fn tr_count(i: I18n, key: &'static str, n: u64) -> String {
    i.area_count(crate::i18n::workspaces::area, key, n)
}

/// Bytes as people read them (KB, MB, GB: powers of 1024, one decimal under 10).
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// The Jupyter state in the reader's language.
pub fn state_label(i: I18n, state: &str) -> &'static str {
    match state {
        "starting" => tr(i, "jupyter.starting"),
        "running" => tr(i, "jupyter.running"),
        "stopping" => tr(i, "jupyter.stopping"),
        "failed" => tr(i, "jupyter.failed"),
        _ => tr(i, "jupyter.stopped"),
    }
}

/// The state of a run or of one of its notebooks in the reader's language.
pub fn state_label_run(i: I18n, status: &str) -> &'static str {
    match status {
        "queued" => tr(i, "runs.queued"),
        "running" => tr(i, "runs.running"),
        "succeeded" => tr(i, "runs.succeeded"),
        "skipped" => tr(i, "runs.skipped"),
        "cancelled" => tr(i, "runs.cancelled"),
        _ => tr(i, "runs.failed"),
    }
}

/// A badge class for a state of Jupyter or of a run.
pub fn state_badge(state: &str) -> &'static str {
    match state {
        "running" | "succeeded" => "badge ok",
        "starting" | "stopping" | "queued" => "badge state-busy",
        "failed" => "badge state-failed",
        "cancelled" => "badge warn",
        _ => "badge muted-badge",
    }
}

/// The usage of the quota as a bar and in words.
pub fn usage_bar(i: I18n, usage: &entity::workspace::Usage) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let text = tr(i, "workspaces.usage")
        .replace("{used}", &size(usage.used_bytes))
        .replace("{quota}", &size(usage.quota_bytes));
    let full = usage.quota_bytes > 0 && usage.used_bytes * 10 >= usage.quota_bytes * 9;
    view! {
        <div class="usage" class:warn=full>
            <meter min="0" max=usage.quota_bytes.to_string() value=usage.used_bytes.to_string()
                high=(usage.quota_bytes / 10 * 9).to_string() aria-label=tr(i, "workspaces.usage_label")>
            </meter>
            <span data-testid="usage">{text}</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_naturally() {
        assert_eq!(super::size(0), "0 B");
        assert_eq!(super::size(1023), "1023 B");
        assert_eq!(super::size(1536), "1.5 KB");
        assert_eq!(super::size(20 * 1024 * 1024), "20 MB");
        assert_eq!(super::size(2048 * 1024 * 1024), "2.0 GB");
    }
}
