//! The OpenAPI document (generated from the handlers' annotations) and a readable page of it that
//! nuri serves itself, so the docs work offline and need no third-party script.

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use serde_json::Value;

use crate::state::AppState;

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

pub async fn docs_page(State(state): State<AppState>, spec: Arc<Value>) -> Html<String> {
    Html(render(&spec, &state.leptos.site_pkg_dir))
}

/// `pkg_dir`: where this build's stylesheet lives (`pkg/HASH`).
pub fn render(spec: &Value, pkg_dir: &str) -> String {
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
                let _ = write!(
                    toc,
                    "<li><a href=\"#{anchor}\"><span class=\"method {method}\">{}</span> <code>{}</code></a></li>",
                    method.to_uppercase(),
                    esc(path)
                );
                let _ = write!(
                    ops,
                    "<section class=\"op\" id=\"{anchor}\"><h2><span class=\"method {method}\">{}</span> <code class=\"path\">{}</code></h2><p>{}</p>",
                    method.to_uppercase(),
                    esc(path),
                    esc(summary)
                );
                if op.get("security").is_some() {
                    ops.push_str("<p><small>Requires <code>Authorization: Bearer &lt;access_token&gt;</code> or a session cookie.</small></p>");
                }
                if let Some(body) = op.get("requestBody") {
                    let name = schema_name(body).unwrap_or_else(|| "—".into());
                    let desc = body
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    let _ = write!(
                        ops,
                        "<p>Request body: <a href=\"#schema-{0}\"><code>{0}</code></a> {1}</p>",
                        esc(&name),
                        esc(desc)
                    );
                }
                ops.push_str("<table class=\"table\"><thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Meaning</th><th scope=\"col\">Body</th></tr></thead><tbody>");
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
        "<!DOCTYPE html><html lang=\"en\" data-theme=\"system\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · nuri</title><link rel=\"stylesheet\" href=\"/{pkg_dir}/nuri.css\"></head>\
         <body class=\"docs\"><main class=\"docs-main\" id=\"main\"><h1>{title} <small>{version}</small></h1>\
         <p class=\"lead\">{}</p><p><a href=\"/api/openapi.json\">openapi.json</a> · <a href=\"/\">nuri</a></p>\
         <p>Errors are <code>application/problem+json</code> (RFC 9457) with a stable <code>code</code> and per-field <code>errors</code>.</p>\
         <nav class=\"docs-toc\" aria-label=\"Endpoints\"><ul>{toc}</ul></nav>{ops}<h2>Schemas</h2>{schemas}</main></body></html>",
        esc(description),
        title = esc(title),
        version = esc(version),
        pkg_dir = esc(pkg_dir),
    )
}
