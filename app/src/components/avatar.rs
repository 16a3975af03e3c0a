//! A person's initials in a coloured circle, beside their name wherever a person is listed. The
//! colour comes from the person's id, so one person has one colour on every page and in both themes.

use leptos::prelude::*;

/// How many colours `style/main.css` defines (`.avatar.c0` … `.avatar.c7`).
const COLOURS: i32 = 8;

#[component]
pub fn Avatar(
    id: i32,
    #[prop(into)] name: String,
    /// `small` for dense tables, `large` for a person's own header; medium otherwise.
    #[prop(optional)]
    size: &'static str,
) -> impl IntoView {
    let class = format!("avatar c{} {size}", id.rem_euclid(COLOURS));
    // Decoration: the name is always written beside it.
    view! { <span class=class aria-hidden="true">{initials(&name)}</span> }
}

/// Korean names show their given name (the last two syllables: 김민수 → 민수), as Korean apps
/// do; other names the first letters of their first two words (Test Admin → TA).
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [] => "?".into(),
        [one] if one.chars().all(is_hangul) => {
            let syllables: Vec<char> = one.chars().collect();
            let keep = if syllables.len() >= 3 {
                2
            } else {
                syllables.len()
            };
            syllables[syllables.len() - keep..].iter().collect()
        }
        [one] => one.chars().take(1).flat_map(char::to_uppercase).collect(),
        [first, second, ..] => [first, second]
            .iter()
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
            .collect(),
    }
}

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_read_like_the_name() {
        assert_eq!(initials("김민수"), "민수");
        assert_eq!(initials("남궁민수"), "민수");
        assert_eq!(initials("이솔"), "이솔");
        assert_eq!(initials("Test Admin"), "TA");
        assert_eq!(initials("ada lovelace byron"), "AL");
        assert_eq!(initials("Prince"), "P");
        assert_eq!(initials("멘티 2"), "멘2");
        assert_eq!(initials("  "), "?");
    }
}
