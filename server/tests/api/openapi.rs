//! The published OpenAPI document against the router that serves it: every route under
//! `/api/v1` is documented and every documented operation is routed, and the document keeps the
//! promises a generated client relies on (ids, parameters, error media type, the answers of the
//! extractors), each checked by sending the request it describes.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::common::*;
use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use entity::Role;
use serde_json::Value;
use service::Registration;

const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];

/// The path templates in the router's table. axum offers no list of routes, but its `Debug`
/// output names every registered path (`RouteId(3): "/api/v1/tasks/{id}"`); nested routers are
/// flattened into it, and axum's own catch-alls carry `__private__` in their names.
fn routed_paths(router: &axum::Router) -> BTreeSet<String> {
    let debug = format!("{router:?}");
    let mut paths = BTreeSet::new();
    for chunk in debug.split("RouteId(").skip(1) {
        let Some((_, rest)) = chunk.split_once("): \"") else {
            continue;
        };
        let path = rest.split('"').next().unwrap_or_default();
        if path.starts_with("/api/v1/") && !path.contains("__private__") {
            paths.insert(path.to_owned());
        }
    }
    assert!(
        paths.contains("/api/v1/tasks/{id}") && paths.contains("/api/v1/auth/login"),
        "could not read the routes from the router's Debug output (did axum change it?): {paths:?}"
    );
    paths
}

/// `/tasks/{id}/memos/{memo_id}` → `/tasks/1/memos/1`.
fn concrete(template: &str, value: &str) -> String {
    template
        .split('/')
        .map(|seg| {
            if seg.starts_with('{') && seg.ends_with('}') {
                value
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn template_params(template: &str) -> BTreeSet<String> {
    template
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .map(str::to_owned)
        .collect()
}

/// Routed unless axum says the method is not allowed or the API fallback says nothing is there.
async fn is_routed(app: &TestApp, method: &Method, path: &str) -> bool {
    let r = app
        .send(
            request(method.clone(), &concrete(path, "1"), Auth::None)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let fallback = r.status == StatusCode::NOT_FOUND
        && serde_json::from_str::<Value>(&r.body).is_ok_and(|b| b["code"] == "no_such_endpoint");
    r.status != StatusCode::METHOD_NOT_ALLOWED && !fallback
}

type Operations = BTreeMap<(String, String), Value>;

fn operations(doc: &Value) -> Operations {
    let mut ops = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            ops.insert((method.to_uppercase(), path.clone()), op.clone());
        }
    }
    ops
}

fn params_in<'a>(op: &'a Value, place: &str) -> Vec<&'a Value> {
    op["parameters"]
        .as_array()
        .map(|ps| ps.iter().filter(|p| p["in"] == place).collect())
        .unwrap_or_default()
}

fn has_json_body(op: &Value) -> bool {
    op.pointer("/requestBody/content/application~1json")
        .is_some()
}

#[tokio::test]
async fn the_document_describes_exactly_the_routes_and_keeps_its_promises() {
    let app = TestApp::new(Registration::Invite).await;
    let doc = app.get("/api/openapi.json", Auth::None).await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let ops = operations(&doc);

    // Both ways: what the router serves is documented, what is documented is served.
    let mut routed = BTreeSet::new();
    for path in routed_paths(&app.router) {
        for method in &METHODS {
            if is_routed(&app, method, &path).await {
                routed.insert((method.to_string(), path.clone()));
            }
        }
    }
    let documented: BTreeSet<_> = ops.keys().cloned().collect();
    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from the document: {undocumented:?}"
    );
    assert!(
        unrouted.is_empty(),
        "documented but not routed: {unrouted:?}"
    );
    assert!(ops.len() >= 60, "only {} operations", ops.len());

    let mut ids = HashSet::new();
    for ((method, path), op) in &ops {
        let at = format!("{method} {path}");
        let id = op["operationId"].as_str().unwrap_or_default();
        assert!(!id.is_empty(), "{at} has no operationId");
        assert!(
            ids.insert(id.to_owned()),
            "{at}: operationId `{id}` repeats"
        );
        assert!(
            op["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{at} has no tag"
        );

        // Path parameters: exactly the template's, each required.
        let declared: BTreeSet<String> = params_in(op, "path")
            .iter()
            .map(|p| {
                assert_eq!(p["required"], true, "{at}: path parameter {p}");
                assert_eq!(p["schema"]["type"], "integer", "{at}: path parameter {p}");
                p["name"].as_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(declared, template_params(path), "{at}: path parameters");
        // Query parameters are filters: all optional.
        for p in params_in(op, "query") {
            assert_eq!(p["required"], false, "{at}: query parameter {p}");
        }

        // Every error is a problem document; every success says what it returns.
        let responses = op["responses"].as_object().expect("responses");
        for (status, response) in responses {
            let content = response["content"].as_object();
            if status.starts_with('4') || status.starts_with('5') {
                let content = content.unwrap_or_else(|| panic!("{at} {status}: no content"));
                assert_eq!(
                    content.keys().collect::<Vec<_>>(),
                    ["application/problem+json"],
                    "{at} {status}"
                );
                assert_eq!(
                    content["application/problem+json"]["schema"]["$ref"],
                    "#/components/schemas/Problem",
                    "{at} {status}"
                );
            } else if status != "204" {
                let content = content.unwrap_or_else(|| panic!("{at} {status}: no content"));
                assert!(
                    content.values().all(|c| c["schema"].is_object()),
                    "{at} {status}: no schema"
                );
            }
        }
        let documents = |status: &str| responses.contains_key(status);
        let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
        if secured {
            assert!(documents("401"), "{at}: a secured operation answers 401");
        }
        if !declared.is_empty() {
            assert!(documents("404"), "{at}: a path that names nothing is 404");
        }
        if !params_in(op, "query").is_empty() {
            assert!(documents("400"), "{at}: a malformed query is 400");
        }
        let bounded = params_in(op, "query")
            .iter()
            .any(|p| p["schema"].get("minimum").is_some() || p["schema"].get("maximum").is_some());
        if bounded {
            assert!(
                documents("422"),
                "{at}: a query value out of its bounds is 422"
            );
        }
        if has_json_body(op) {
            for status in ["400", "415", "422"] {
                assert!(
                    documents(status),
                    "{at}: a JSON body can be refused with {status}"
                );
            }
        }
        if let Some(required) = op.pointer("/requestBody/content/application~1json/schema/$ref") {
            let name = required.as_str().unwrap().rsplit('/').next().unwrap();
            let schema = &doc["components"]["schemas"][name];
            for field in schema["required"].as_array().into_iter().flatten() {
                assert!(
                    schema["properties"].get(field.as_str().unwrap()).is_some(),
                    "{at}: {name} requires {field}, which it does not have"
                );
            }
        }
    }
    assert!(doc["components"]["schemas"].get("Problem").is_some());
    assert!(doc["components"]["securitySchemes"].get("bearer").is_some());

    // The answers promised above are the answers given, for every operation.
    app.user("admin@example.com", Role::Admin).await;
    let token = app.tokens("admin@example.com").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    for ((method, path), op) in &ops {
        let at = format!("{method} {path}");
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
        let send = |uri: String, auth: Auth<'_>, content_type: Option<&str>, body: &str| {
            let mut req = request(method.clone(), &uri, auth);
            if let Some(ct) = content_type {
                req = req.header(header::CONTENT_TYPE, ct);
            }
            app.send(req.body(Body::from(body.to_owned())).unwrap())
        };
        let uri = concrete(path, "1");
        if secured {
            let r = send(uri.clone(), Auth::None, None, "").await;
            assert_problem(&r, 401, "sign_in_required");
            let r = send(uri.clone(), Auth::Bearer("not-a-token"), None, "").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{at}: {}", r.body);
        }
        if !params_in(op, "path").is_empty() {
            let r = send(concrete(path, "abc"), Auth::Bearer(&token), None, "").await;
            assert_problem(&r, 404, "not-found");
        }
        if !params_in(op, "query").is_empty() {
            let first = params_in(op, "query")[0]["name"].as_str().unwrap();
            let r = send(
                format!("{uri}?{first}=%00not-a-number"),
                Auth::Bearer(&token),
                None,
                "",
            )
            .await;
            assert!(
                [400, 422].contains(&r.status.as_u16()),
                "{at}: a malformed query: {} {}",
                r.status,
                r.body
            );
            assert_eq!(r.header("content-type"), "application/problem+json", "{at}");
        }
        if has_json_body(op) {
            let r = send(uri.clone(), Auth::Bearer(&token), Some("text/plain"), "{}").await;
            assert_problem(&r, 415, "unsupported_media_type");
            let r = send(
                uri.clone(),
                Auth::Bearer(&token),
                Some("application/json"),
                "{",
            )
            .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{at}: {}", r.body);
            for not_an_object in [r#"["a", "b", "c", "d", "e", "f"]"#, "[]", "\"x\"", "1"] {
                let r = send(
                    uri.clone(),
                    Auth::Bearer(&token),
                    Some("application/json"),
                    not_an_object,
                )
                .await;
                assert_problem(&r, 422, "invalid_body");
            }
        }
    }
    app.finish().await;
}
