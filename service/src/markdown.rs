//! Markdown to HTML that is safe to put in a page: raw HTML is shown as text, and links and
//! images may only point at http(s), mailto or this site.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

pub fn to_safe_html(source: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(source, options).map(|event| match event {
        // Raw HTML (blocks and inline) becomes visible text, never markup.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let has_scheme = lower.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    let allowed = !has_scheme
        || lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:");
    if allowed {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn renders_markdown() {
        assert_eq!(
            to_safe_html("**hi** _there_"),
            "<p><strong>hi</strong> <em>there</em></p>\n"
        );
        assert!(to_safe_html("- a\n- b").contains("<li>a</li>"));
        assert!(to_safe_html("[docs](https://example.com/x)")
            .contains(r#"<a href="https://example.com/x">docs</a>"#));
        assert!(to_safe_html("[page](/account)").contains(r#"href="/account""#));
    }

    #[test]
    fn raw_html_and_script_urls_are_neutralised() {
        let out = to_safe_html("<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)>");
        assert!(!out.contains("<script") && !out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        for evil in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " data:text/html,x",
            "vbscript:x",
        ] {
            let out = to_safe_html(&format!("[x]({evil}) ![y]({evil})"));
            assert!(
                !out.to_lowercase().contains("script:") && !out.contains("data:"),
                "{evil}: {out}"
            );
        }
    }
}
