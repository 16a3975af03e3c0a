//! Korean and English text. Keys are plain strings so a missing key shows itself (the key is
//! rendered) instead of failing the build; the test below checks every key has both languages.

use leptos::prelude::*;

use crate::error::AppError;
use crate::prefs::Locale;

mod common;
pub mod forms;
pub mod hosting;
mod mentoring;
pub mod preview;
pub mod upload;
pub mod workspaces;

/// A table of one area's text (`key → (English, Korean)`).
pub type Table = fn(&str) -> Option<(&'static str, &'static str)>;

#[derive(Debug, Clone, Copy)]
pub struct I18n {
    pub locale: Locale,
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or(I18n { locale: Locale::Ko })
}

impl I18n {
    pub fn t(self, key: &'static str) -> &'static str {
        match lookup(key) {
            Some((en, ko)) => match self.locale {
                Locale::En => en,
                Locale::Ko => ko,
            },
            None => key,
        }
    }

    /// The text of `key` in an area's own table, else in the shared ones. An area whose pages are
    /// lazy routes (hosting, workspaces) keeps its table out of `lookup` and reads it through
    /// here: referenced only from those pages, the table (its strings too) travels in their WASM
    /// chunk instead of the first download every page pays for.
    pub fn area(self, table: Table, key: &'static str) -> &'static str {
        match table(key) {
            Some((en, ko)) => match self.locale {
                Locale::En => en,
                Locale::Ko => ko,
            },
            None => self.t(key),
        }
    }

    /// `count` for an area's table.
    pub fn area_count(self, table: Table, key: &'static str, n: u64) -> String {
        let one = format!("{key}.one");
        let text = match self.locale {
            Locale::En if n == 1 => table(&one).map_or(self.area(table, key), |(en, _)| en),
            _ => self.area(table, key),
        };
        text.replace("{n}", &n.to_string())
    }

    /// A count in words: the key's text with `{n}` replaced, or the bare label when the number
    /// is shown apart from it (a stat card). English reads the key's `.one` text for exactly one
    /// ("1 mentor", "56 mentors"); Korean has no plural.
    pub fn count(self, key: &'static str, n: u64) -> String {
        let text = match self.locale {
            Locale::En if n == 1 => lookup(&format!("{key}.one")).map_or(self.t(key), |(en, _)| en),
            _ => self.t(key),
        };
        text.replace("{n}", &n.to_string())
    }

    /// A whole-form error in the reader's language.
    pub fn error(self, err: &AppError) -> String {
        let key = match err.code.as_str() {
            "invalid_credentials" => "error.invalid_credentials",
            "account_disabled" => "error.account_disabled",
            "sign_in_required" => "error.sign_in_required",
            "password_change_required" => "error.password_change_required",
            "setup_token_invalid" => "error.setup_token_invalid",
            "forbidden" => "error.forbidden",
            "not-found" => "error.not_found",
            "rate-limited" => {
                let secs = err.retry_after_secs.unwrap_or(60);
                let minutes = secs.div_ceil(60);
                return match self.locale {
                    Locale::En => format!("Too many attempts. Try again in {minutes} min."),
                    Locale::Ko => {
                        format!("시도가 너무 많습니다. {minutes}분 후에 다시 시도하세요.")
                    }
                };
            }
            "network" | "unavailable" => "error.unavailable",
            "invalid" => "error.invalid",
            "conflict" => match err.fields.first().map(|f| f.code.as_str()) {
                Some("already_set_up") => "error.already_set_up",
                Some("not_empty") => "error.not_empty",
                Some("own_account") => "error.own_account",
                Some("changed_meanwhile") => "error.changed_meanwhile",
                Some("mentorship_closed") => "error.mentorship_closed",
                Some("already_following") => "field_error.already_following",
                Some("form_closed") => "error.form_closed",
                Some("hosting_state") => "error.hosting_state",
                Some("hosting_exists") => "error.hosting_exists",
                Some("run_finished") => "error.run_finished",
                _ => "error.conflict",
            },
            _ => "error.internal",
        };
        self.t(key).to_owned()
    }

    /// A field error in the reader's language: the text of `field_error.<code>`, or the English
    /// text the API sent when this code has none here.
    pub fn field_error(self, code: &str, fallback: &str) -> String {
        match lookup(&format!("field_error.{code}")) {
            Some((en, ko)) => match self.locale {
                Locale::En => en,
                Locale::Ko => ko,
            }
            .to_owned(),
            None => fallback.to_owned(),
        }
    }
}

/// Whether `field_error.<code>` has text here (an error from a URL is believed only then).
pub fn has_field_text(code: &str) -> bool {
    lookup(&format!("field_error.{code}")).is_some()
}

/// (English, Korean) of a key: one table per area of the app, each key in exactly one of them
/// (the tests below check that no table shadows another).
/// The shared tables: what any page (and the main WASM module) may show.
fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    common::lookup(key).or_else(|| mentoring::lookup(key))
}

/// The areas with tables of their own (read through `I18n::area`), with the source files that
/// may use their keys: nowhere else, or the main module would need them.
#[cfg(test)]
const AREAS: [(Table, &[&str]); 3] = [
    (hosting::lookup, &["pages/hosting/", "pages/ssh_keys.rs"]),
    (forms::lookup, &["pages/forms/"]),
    (workspaces::area, &["pages/workspaces/"]),
];

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    use super::*;

    const TABLES: [&str; 7] = [
        "common.rs",
        "mentoring.rs",
        "forms.rs",
        "workspaces.rs",
        "preview.rs",
        "upload.rs",
        "hosting.rs",
    ];

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    fn sources(crate_dir: &str) -> Vec<(PathBuf, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(crate_dir);
        let mut files = Vec::new();
        rust_files(&root.join("src"), &mut files);
        assert!(!files.is_empty(), "no sources under {}", root.display());
        files
            .into_iter()
            .map(|f| {
                let text = std::fs::read_to_string(&f).unwrap();
                (f, text)
            })
            .collect()
    }

    fn is_table(path: &Path) -> bool {
        path.parent().is_some_and(|d| d.ends_with("i18n"))
            && TABLES.iter().any(|t| path.ends_with(t))
    }

    /// Every `"key" => (` line of the tables, with where it is.
    fn table_keys() -> Vec<(String, String)> {
        let mut keys = Vec::new();
        for (path, text) in sources(".").iter().filter(|(p, _)| is_table(p)) {
            for line in text.lines() {
                let line = line.trim_start();
                if let Some(rest) = line.strip_prefix('"') {
                    if let Some(end) = rest.find("\" => ") {
                        keys.push((rest[..end].to_owned(), path.display().to_string()));
                    }
                }
            }
        }
        keys
    }

    #[test]
    fn no_key_is_defined_twice() {
        let keys = table_keys();
        assert!(
            keys.len() > 300,
            "the tables were not found: {}",
            keys.len()
        );
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        let mut twice = Vec::new();
        for (key, file) in &keys {
            if let Some(first) = seen.insert(key, file) {
                twice.push(format!("{key} ({first} and {file})"));
            }
        }
        assert!(
            twice.is_empty(),
            "keys defined twice (the later is never shown): {twice:?}"
        );
    }

    /// A key in the shared tables or in any area's.
    fn any_lookup(key: &str) -> Option<(&'static str, &'static str)> {
        lookup(key).or_else(|| AREAS.iter().find_map(|(table, _)| table(key)))
    }

    /// Whether `text` calls `i.t(` or `i.count(` (however rustfmt broke the line).
    fn reads_shared_text(text: &str) -> bool {
        let squeezed: String = text.split_whitespace().collect();
        ["i.t(", "i.count("].iter().any(|call| {
            squeezed.match_indices(call).any(|(at, _)| {
                squeezed[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'))
            })
        })
    }

    /// An area's keys are used only by its pages, and those read them through `I18n::area`
    /// (`tr`): `i.t` would miss them, since the shared lookup does not hold them.
    #[test]
    fn area_keys_stay_in_their_area() {
        let mut wrong = Vec::new();
        for (path, text) in sources(".").iter().filter(|(p, _)| !is_table(p)) {
            let shown = path.display().to_string();
            for (table, allowed) in AREAS {
                let inside = allowed.iter().any(|a| shown.contains(a));
                let reads_shared = reads_shared_text(text);
                if inside && reads_shared {
                    wrong.push(format!(
                        "{shown}: reads its area's text with i.t/i.count, not tr"
                    ));
                }
                for (i, _) in text.match_indices('"') {
                    let rest = &text[i + 1..];
                    let Some(end) = rest.find('"') else { continue };
                    let lit = &rest[..end];
                    // The i18n module's own tests name keys as examples.
                    let own = path.parent().is_some_and(|d| d.ends_with("i18n"));
                    let area_only = table(lit).is_some() && lookup(lit).is_none();
                    if !inside && !own && lit.contains('.') && area_only {
                        wrong.push(format!("{lit} used in {shown}, outside its area"));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "{wrong:?}");
    }

    #[test]
    fn every_key_used_in_the_source_has_both_languages() {
        let namespaces: BTreeSet<String> = table_keys()
            .into_iter()
            .filter_map(|(k, _)| k.split_once('.').map(|(ns, _)| ns.to_owned()))
            .collect();
        let mut missing = BTreeSet::new();
        let mut used = 0;
        for (path, text) in sources(".").iter().filter(|(p, _)| !is_table(p)) {
            // `i.t("key")`, and keys chosen in code (`=> "error.forbidden"`, `Some("forms.open")`).
            for (i, _) in text.match_indices('"') {
                let rest = &text[i + 1..];
                let Some(end) = rest.find('"') else { continue };
                let lit = &rest[..end];
                let Some((ns, name)) = lit.split_once('.') else {
                    continue;
                };
                let is_key = namespaces.contains(ns)
                    && !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.".contains(c));
                if !is_key || name.ends_with('.') || name == "rs" {
                    continue;
                }
                used += 1;
                match any_lookup(lit) {
                    Some((en, ko)) if !en.is_empty() && !ko.is_empty() => {}
                    _ => {
                        missing.insert(format!("{lit} ({})", path.display()));
                    }
                }
            }
        }
        assert!(
            used > 300,
            "too few keys found ({used}): is the scan broken?"
        );
        assert!(missing.is_empty(), "keys without text: {missing:?}");
    }

    /// Every field-error code the service (or the shared entity types) can send has a Korean and
    /// an English text, so a form never shows the API's English to a Korean reader.
    #[test]
    fn every_error_code_the_service_sends_has_text() {
        let mut codes = BTreeSet::new();
        for dir in ["../service", "../entity"] {
            for (_, text) in sources(dir) {
                // Unit tests (at the end of a file) make up codes of their own.
                let text = text.split("#[cfg(test)]").next().unwrap_or_default();
                for call in ["add(", "FieldError::new(", "invalid("] {
                    for (i, _) in text.match_indices(call) {
                        // The code is the second argument: skip the field expression.
                        let args = &text[i + call.len()..];
                        let Some(comma) = args.find(',') else {
                            continue;
                        };
                        if args[..comma].contains(['(', ')', ';']) {
                            continue;
                        }
                        let rest = args[comma + 1..].trim_start();
                        if let Some(rest) = rest.strip_prefix('"') {
                            codes.insert(rest[..rest.find('"').unwrap()].to_owned());
                        }
                    }
                }
            }
        }
        assert!(
            codes.len() > 30,
            "too few codes found ({}): is the scan broken?",
            codes.len()
        );
        let missing: Vec<_> = codes
            .iter()
            .filter(|c| {
                lookup(&format!("field_error.{c}")).is_none()
                    && lookup(&format!("error.{c}")).is_none()
            })
            .collect();
        assert!(
            missing.is_empty(),
            "codes without field_error.<code> text: {missing:?}"
        );
    }

    #[test]
    fn the_form_kinds_have_text() {
        for key in entity::FormKind::ALL.map(crate::pages::forms::kind_key) {
            assert!(forms::lookup(key).is_some(), "{key}");
        }
    }

    #[test]
    fn field_errors_fall_back_to_the_api_text() {
        let ko = I18n { locale: Locale::Ko };
        assert_eq!(ko.field_error("required", "x"), "필수 항목입니다.");
        assert_eq!(ko.field_error("no_such_code", "as sent"), "as sent");
    }

    #[test]
    fn english_counts_take_the_singular_for_one() {
        let (en, ko) = (I18n { locale: Locale::En }, I18n { locale: Locale::Ko });
        assert_eq!(en.count("curriculum.expected_days", 1), "1 day expected");
        assert_eq!(en.count("curriculum.expected_days", 3), "3 days expected");
        assert_eq!(en.count("curriculum.expected_days", 0), "0 days expected");
        assert_eq!(ko.count("curriculum.expected_days", 1), "예상 1일");
        assert_eq!(en.count("stat.mentors", 1), "mentor");
        assert_eq!(en.count("stat.mentors", 56), "mentors");
        // A key without a singular reads the same for one.
        assert_eq!(en.count("board.title", 1), "Task board");
    }

    #[test]
    fn korean_is_the_default() {
        let i = I18n { locale: Locale::Ko };
        assert_eq!(i.t("nav.dashboard"), "대시보드");
        assert_eq!(I18n { locale: Locale::En }.t("nav.dashboard"), "Dashboard");
    }
}
