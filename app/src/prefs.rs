//! Language and theme: chosen by the person (a cookie), defaulting to the browser's
//! Accept-Language. The server renders them into `<html lang data-theme>`; the client reads them
//! back from there when it hydrates.

use serde::{Deserialize, Serialize};

pub const LOCALE_COOKIE: &str = "nuri_lang";
pub const THEME_COOKIE: &str = "nuri_theme";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    Ko,
    En,
}

impl Locale {
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Ko => "ko",
            Locale::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ko" => Some(Locale::Ko),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The best match in an Accept-Language header, by q-value; Korean when nothing matches.
    pub fn from_accept_language(header: &str) -> Locale {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut bits = part.split(';');
            let tag = bits.next().unwrap_or("").trim();
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(locale) = Locale::parse(primary) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, locale));
                }
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Theme {
    /// Follow the operating system.
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(s: &str) -> Option<Theme> {
        match s.trim() {
            "system" => Some(Theme::System),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Prefs {
    pub locale: Locale,
    pub theme: Theme,
}

impl Prefs {
    pub fn from_headers(cookie: Option<&str>, accept_language: Option<&str>) -> Prefs {
        let cookie_value = |name: &str| {
            cookie.and_then(|c| {
                c.split(';')
                    .filter_map(|kv| kv.trim().split_once('='))
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_owned())
            })
        };
        let locale = cookie_value(LOCALE_COOKIE)
            .and_then(|v| Locale::parse(&v))
            .or_else(|| accept_language.map(Locale::from_accept_language))
            .unwrap_or_default();
        let theme = cookie_value(THEME_COOKIE)
            .and_then(|v| Theme::parse(&v))
            .unwrap_or_default();
        Prefs { locale, theme }
    }

    /// On the server: what the request carried (provided as context). In the browser: what the
    /// server rendered into `<html>`.
    pub fn current() -> Prefs {
        #[cfg(feature = "ssr")]
        {
            leptos::prelude::use_context::<Prefs>().unwrap_or_default()
        }
        #[cfg(not(feature = "ssr"))]
        {
            let root = leptos::prelude::document().document_element();
            let attr = |name: &str| root.as_ref().and_then(|r| r.get_attribute(name));
            Prefs {
                locale: attr("lang")
                    .and_then(|l| Locale::parse(&l))
                    .unwrap_or_default(),
                theme: attr("data-theme")
                    .and_then(|t| Theme::parse(&t))
                    .unwrap_or_default(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_best_supported() {
        assert_eq!(
            Locale::from_accept_language("en-US,en;q=0.9,ko;q=0.8"),
            Locale::En
        );
        assert_eq!(
            Locale::from_accept_language("ko-KR,ko;q=0.9,en;q=0.8"),
            Locale::Ko
        );
        assert_eq!(
            Locale::from_accept_language("fr-FR,en;q=0.5,ko;q=0.7"),
            Locale::Ko
        );
        assert_eq!(Locale::from_accept_language("fr"), Locale::Ko);
    }

    #[test]
    fn cookie_beats_header() {
        let p = Prefs::from_headers(Some("a=b; nuri_lang=en; nuri_theme=dark"), Some("ko"));
        assert_eq!(
            p,
            Prefs {
                locale: Locale::En,
                theme: Theme::Dark
            }
        );
        let p = Prefs::from_headers(Some("nuri_lang=xx"), Some("en"));
        assert_eq!(p.locale, Locale::En);
        assert_eq!(p.theme, Theme::System);
    }
}
