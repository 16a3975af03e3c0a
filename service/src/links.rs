//! The pages notifications point at. The app's routes (`app/src/routes.rs`) serve these paths;
//! every link the service stores is built here, so the scheme is written once.

/// The caller's task board.
pub fn task_board() -> String {
    "/tasks".into()
}

pub fn task(id: i32) -> String {
    format!("/tasks/{id}")
}

pub fn mentorship(id: i32) -> String {
    format!("/mentorships/{id}")
}

pub fn form(id: i32) -> String {
    format!("/forms/{id}")
}

/// Longer than any path nuri serves; a longer `next` is not one of ours.
const NEXT_MAX: usize = 2048;

/// Where to continue after signing in (or after a preference form): `next` when it is a path
/// inside nuri, else the dashboard. Browsers drop tabs and line breaks from URLs, read `\` as
/// `/` and skip leading spaces, so `/\t/evil.example` or `/\evil.example` would leave the site:
/// any control character or backslash is refused outright, and what is left must start with one
/// `/` and not two.
pub fn safe_next(next: Option<&str>) -> String {
    let same_origin = |p: &str| {
        p.len() <= NEXT_MAX
            && p.starts_with('/')
            && !p.starts_with("//")
            && !p.chars().any(|c| c.is_control() || c == '\\')
    };
    match next {
        Some(p) if same_origin(p) => p.to_owned(),
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site_whatever_it_is_sent() {
        for kept in [
            "/",
            "/tasks",
            "/tasks/7?tab=memo#top",
            "/forms/3?e=x%2Fy",
            "/검색",
        ] {
            assert_eq!(safe_next(Some(kept)), kept);
        }
        let hostile = [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            " //evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "\\\\evil.example",
            "/\u{0}/evil.example",
            "/\u{1b}/evil.example",
            "/\u{7f}/evil.example",
            "/\u{85}/evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "///evil.example",
        ];
        for bad in hostile {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some(&format!("/{}", "a".repeat(5000)))), "/");
        // Never panics, whatever the bytes: every char boundary of a mixed string.
        let mixed = "/가\t/\u{10ffff}\\é//";
        for i in (0..=mixed.len()).filter(|i| mixed.is_char_boundary(*i)) {
            let _ = safe_next(Some(&mixed[..i]));
            let _ = safe_next(Some(&mixed[i..]));
        }
    }
}
