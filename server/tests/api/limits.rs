//! What every route shares: one body limit (refused before reading when declared, cut off while
//! reading when not), and panics answered as 500 problems.

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use axum::routing::get;
use axum::Router;
use serde_json::json;
use server::limits::BODY_MAX;
use service::Registration;

use crate::common::*;

fn form_post(uri: &str, body: Body, declared: Option<usize>) -> axum::http::Request<Body> {
    let mut req = request(Method::POST, uri, Auth::None)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, format!("http://{HOST}"));
    if let Some(n) = declared {
        req = req.header(header::CONTENT_LENGTH, n);
    }
    req.body(body).unwrap()
}

#[tokio::test]
async fn bodies_over_the_limit_are_413_problems_on_every_door() {
    let app = TestApp::new(Registration::Open).await;
    let over = || format!("email=a%40b.c&password={}", "x".repeat(BODY_MAX));

    // Declared too large: refused before a byte is read (the body here is tiny).
    let r = app
        .send(form_post(
            "/api/fn/login",
            Body::from("email=a"),
            Some(BODY_MAX + 1),
        ))
        .await;
    assert_problem(&r, 413, "too_large");

    // Not declared (as a chunked upload): cut off while the server function reads it.
    let r = app
        .send(form_post("/api/fn/login", Body::from(over()), None))
        .await;
    assert_problem(&r, 413, "too_large");

    // The same for REST, declared or not.
    let big = json!({"email": "a@b.c", "password": "x".repeat(BODY_MAX)}).to_string();
    for declared in [Some(big.len()), None] {
        let mut req = request(Method::POST, "/api/v1/auth/login", Auth::None)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(n) = declared {
            req = req.header(header::CONTENT_LENGTH, n);
        }
        let r = app.send(req.body(Body::from(big.clone())).unwrap()).await;
        assert_problem(&r, 413, "too_large");
    }

    // A body under the limit still reaches the handler.
    let r = app
        .post_json(
            "/api/v1/auth/login",
            Auth::None,
            json!({"email": "nobody@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    app.finish().await;
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_problem_not_a_dropped_connection() {
    let app = TestApp::new(Registration::Invite).await;
    async fn boom() -> &'static str {
        panic!("a bug in a handler")
    }
    let router = server::router::layered(Router::new().route("/boom", get(boom)), app.state());
    let r = TestApp::send_to(
        &router,
        request(Method::GET, "/boom", Auth::None)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let problem = assert_problem(&r, 500, "internal");
    assert!(!r.body.contains("a bug in a handler"), "{problem}");
    app.finish().await;
}

#[tokio::test]
async fn junk_methods_share_one_metrics_label() {
    let app = TestApp::new(Registration::Invite).await;
    for junk in ["FOO", "BAR", "X-ANYTHING-1"] {
        let method = Method::from_bytes(junk.as_bytes()).unwrap();
        let r = app
            .send(
                request(method, "/api/v1/health", Auth::None)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(r.status.is_client_error(), "{junk}: {}", r.status);
    }
    let metrics = app.get("/metrics", Auth::None).await.body;
    assert!(metrics.contains("method=\"other\""), "{metrics}");
    for junk in ["FOO", "BAR", "X-ANYTHING-1"] {
        assert!(!metrics.contains(junk), "{junk} became a label: {metrics}");
    }
    app.finish().await;
}

#[tokio::test]
async fn metrics_are_public_only_on_loopback_else_behind_a_token_or_another_listener() {
    let app = TestApp::new(Registration::Invite).await;
    let get = |router: Router, auth: Auth<'static>| async move {
        TestApp::send_to(
            &router,
            request(Method::GET, "/metrics", auth)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    };
    // The tests' own configuration listens on loopback: open.
    assert_eq!(
        get(app.router.clone(), Auth::None).await.status,
        StatusCode::OK
    );

    let public = |c: &mut server::config::Config| c.listen = "0.0.0.0:3000".parse().unwrap();
    let r = get(app.router_with(public), Auth::None).await;
    assert_problem(&r, 404, "not-found");

    let token = "a-long-metrics-token";
    let with_token = |c: &mut server::config::Config| {
        public(c);
        c.metrics_token = Some(token.to_owned());
    };
    assert_problem(
        &get(app.router_with(with_token), Auth::None).await,
        401,
        "metrics_token",
    );
    assert_problem(
        &get(
            app.router_with(with_token),
            Auth::Bearer("a-wrong-metrics-token"),
        )
        .await,
        401,
        "metrics_token",
    );
    let r = get(app.router_with(with_token), Auth::Bearer(token)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("nuri_uptime_seconds"), "{}", r.body);

    // On a listener of their own, the main one does not serve them, even on loopback.
    let separate = |c: &mut server::config::Config| {
        c.metrics_listen = Some("127.0.0.1:9100".parse().unwrap());
    };
    assert_problem(
        &get(app.router_with(separate), Auth::None).await,
        404,
        "not-found",
    );
    app.finish().await;
}

#[tokio::test]
async fn page_numbers_out_of_range_are_422_problems_never_a_panic() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@example.com", entity::Role::Admin).await;
    let token = app.access_token("admin@example.com").await;
    for list in [
        "users",
        "tasks",
        "mentorships",
        "curricula",
        "forms",
        "notifications",
        "departments",
    ] {
        let get = |query: &'static str| {
            let uri = format!("/api/v1/{list}?{query}");
            let token = token.clone();
            let app = &app;
            async move { app.call(Method::GET, &uri, &token, None).await }
        };
        // Past any offset a database takes (this one used to panic inside the SQL binder).
        let problem = assert_problem(&get("page=461168601842738792").await, 422, "invalid");
        assert_eq!(problem["errors"][0]["field"], "page", "{list}: {problem}");
        assert_eq!(
            problem["errors"][0]["code"], "out_of_range",
            "{list}: {problem}"
        );
        let problem = assert_problem(&get("page=0&per_page=101").await, 422, "invalid");
        assert_eq!(
            problem["errors"].as_array().map(Vec::len),
            Some(2),
            "{list}: {problem}"
        );
        // Not a number a query can hold at all.
        assert_problem(
            &get("page=99999999999999999999").await,
            400,
            "invalid_query",
        );
        // The far end of the range is an empty page.
        let r = get("page=2147483647&per_page=100").await;
        assert_eq!(r.status, StatusCode::OK, "{list}: {}", r.body);
        let page = r.json();
        assert_eq!(page["per_page"], 100, "{list}: {page}");
        assert_eq!(
            page["items"].as_array().map(Vec::len),
            Some(0),
            "{list}: {page}"
        );
    }
    app.finish().await;
}
