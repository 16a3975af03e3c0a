//! The OpenAPI document (generated from the handlers' annotations) and a readable page of it that
//! nuri serves itself, so the docs work offline and need no third-party script. The page speaks
//! the reader's language and wears their theme (the same cookies as the app); the descriptions
//! are Markdown, rendered safe.

use std::fmt::Write;
use std::sync::Arc;

use app::prefs::{Locale, Prefs};
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse};
use serde_json::Value;
use service::markdown::to_safe_html;

use crate::state::AppState;

/// The page's own words (the API's descriptions stay as written, in English).
struct Words {
    lead: &'static str,
    endpoints: &'static str,
    schemas: &'static str,
    request_body: &'static str,
    status: &'static str,
    meaning: &'static str,
    body: &'static str,
    auth: &'static str,
    back: &'static str,
}

const EN: Words = Words {
    lead: "Errors are <code>application/problem+json</code> (RFC 9457) with a stable <code>code</code> and per-field <code>errors</code>.",
    endpoints: "Endpoints",
    schemas: "Schemas",
    request_body: "Request body",
    status: "Status",
    meaning: "Meaning",
    body: "Body",
    auth: "Requires <code>Authorization: Bearer &lt;access_token&gt;</code> or a session cookie.",
    back: "Back to nuri",
};

const KO: Words = Words {
    lead: "오류는 <code>application/problem+json</code>(RFC 9457) 형식이며, 바뀌지 않는 <code>code</code>와 필드별 <code>errors</code>를 담습니다. 아래 설명은 영어로 되어 있습니다.",
    endpoints: "엔드포인트",
    schemas: "스키마",
    request_body: "요청 본문",
    status: "상태",
    meaning: "의미",
    body: "본문",
    auth: "<code>Authorization: Bearer &lt;access_token&gt;</code> 헤더나 세션 쿠키가 필요합니다.",
    back: "nuri로 돌아가기",
};

/// `spec`: the document `api::router` built from its routes.
pub async fn openapi_json(spec: Arc<Value>) -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "no-cache")],
        axum::Json(Value::clone(&spec)),
    )
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn schema_name(v: &Value) -> Option<String> {
    let r = v
        .pointer("/content/application~1json/schema")
        .or_else(|| v.pointer("/content/application~1problem+json/schema"))?;
    let reference = r
        .get("$ref")
        .or_else(|| r.pointer("/items/$ref"))?
        .as_str()?;
    Some(reference.rsplit('/').next()?.to_owned())
}

pub async fn docs_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    spec: Arc<Value>,
) -> Html<String> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let prefs = Prefs::from_headers(header(header::COOKIE), header(header::ACCEPT_LANGUAGE));
    Html(render(&spec, &state.leptos.site_pkg_dir, prefs))
}

/// `pkg_dir`: where this build's stylesheet lives (`pkg/HASH`).
pub fn render(spec: &Value, pkg_dir: &str, prefs: Prefs) -> String {
    let words = match prefs.locale {
        Locale::Ko => &KO,
        Locale::En => &EN,
    };
    let title = spec
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("API");
    let version = spec
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or("");
    let description = spec
        .pointer("/info/description")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut toc = String::new();
    let mut ops = String::new();
    if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in ["get", "post", "put", "patch", "delete"] {
                let Some(op) = item.get(method) else { continue };
                let anchor = format!("{method}-{}", path.replace(['/', '{', '}'], "-"));
                let summary = op.get("summary").and_then(Value::as_str).unwrap_or("");
                let more = op.get("description").and_then(Value::as_str).unwrap_or("");
                let _ = write!(
                    toc,
                    "<li><a href=\"#{anchor}\"><span class=\"method {method}\">{}</span> <code>{}</code></a></li>",
                    method.to_uppercase(),
                    esc(path)
                );
                let _ = write!(
                    ops,
                    "<section class=\"op\" id=\"{anchor}\"><h2><span class=\"method {method}\">{}</span> <code class=\"path\">{}</code></h2><div class=\"markdown\">{}{}</div>",
                    method.to_uppercase(),
                    esc(path),
                    to_safe_html(summary),
                    to_safe_html(more)
                );
                if op.get("security").is_some() {
                    let _ = write!(ops, "<p><small>{}</small></p>", words.auth);
                }
                if let Some(body) = op.get("requestBody") {
                    let name = schema_name(body).unwrap_or_else(|| "—".into());
                    let desc = body
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    let _ = write!(
                        ops,
                        "<p>{2}: <a href=\"#schema-{0}\"><code>{0}</code></a> {1}</p>",
                        esc(&name),
                        esc(desc),
                        words.request_body
                    );
                }
                let _ = write!(
                    ops,
                    "<table class=\"table\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
                    words.status, words.meaning, words.body
                );
                if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                    for (status, response) in responses {
                        let desc = response
                            .get("description")
                            .and_then(Value::as_str)
                            .unwrap_or("");
                        let body = schema_name(response)
                            .map(|n| {
                                format!("<a href=\"#schema-{0}\"><code>{0}</code></a>", esc(&n))
                            })
                            .unwrap_or_default();
                        let _ = write!(
                            ops,
                            "<tr><td>{}</td><td>{}</td><td>{body}</td></tr>",
                            esc(status),
                            esc(desc)
                        );
                    }
                }
                ops.push_str("</tbody></table></section>");
            }
        }
    }
    let mut schemas = String::new();
    if let Some(map) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in map {
            let pretty = serde_json::to_string_pretty(schema).unwrap_or_default();
            let _ = write!(schemas, "<section class=\"op\" id=\"schema-{0}\"><h3><code>{0}</code></h3><pre>{1}</pre></section>", esc(name), esc(&pretty));
        }
    }
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\" data-theme=\"{theme}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · nuri</title><link rel=\"stylesheet\" href=\"/{pkg_dir}/nuri.css\"></head>\
         <body class=\"docs\"><main class=\"docs-main\" id=\"main\"><h1>{title} <small>{version}</small></h1>\
         <div class=\"lead markdown\">{}</div><p><a href=\"/api/openapi.json\">openapi.json</a> · <a href=\"/\">{back}</a></p>\
         <p>{lead}</p>\
         <nav class=\"docs-toc\" aria-label=\"{endpoints}\"><h2>{endpoints}</h2><ul>{toc}</ul></nav>{ops}<h2>{schemas_title}</h2>{schemas}</main></body></html>",
        to_safe_html(description),
        lang = prefs.locale.tag(),
        theme = prefs.theme.as_str(),
        title = esc(title),
        version = esc(version),
        pkg_dir = esc(pkg_dir),
        back = words.back,
        lead = words.lead,
        endpoints = words.endpoints,
        schemas_title = words.schemas,
    )
}
