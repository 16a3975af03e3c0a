//! REST identity: every way in, and every way of being refused, answered as problem+json.

use crate::common::*;
use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use entity::Role;
use serde_json::json;
use service::Registration;

#[tokio::test]
async fn login_with_json_or_oauth2_form_then_me_and_check() {
    let app = TestApp::new(Registration::Invite).await;
    let admin = app.user("admin@example.com", Role::Admin).await;

    let tokens = app.tokens("ADMIN@example.com").await;
    assert_eq!(tokens["token_type"], "bearer");
    assert_eq!(tokens["expires_in"], 900);
    let access = tokens["access_token"].as_str().unwrap();
    assert!(!tokens["refresh_token"].as_str().unwrap().is_empty());

    let me = app.get("/api/v1/auth/me", Auth::Bearer(access)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    let me = me.json();
    assert_eq!(me["id"], admin.id);
    assert_eq!(me["email"], "admin@example.com");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["can_manage_company"], true, "{me}");
    assert!(
        me.get("token_version").is_none() && me.get("password_hash").is_none(),
        "{me}"
    );

    let check = app
        .get("/api/v1/auth/check", Auth::Bearer(access))
        .await
        .json();
    assert_eq!(
        check,
        json!({"active": true, "user_id": admin.id, "role": "admin", "via": "bearer"})
    );

    let form = app
        .send(
            request(Method::POST, "/api/v1/auth/login", Auth::None)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "grant_type=password&username=admin%40example.com&password={}",
                    PASSWORD.replace(' ', "+")
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert_eq!(form.json()["token_type"], "bearer");
    app.finish().await;
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_401() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("a@example.com", Role::Mentee).await;
    let wrong = app
        .post_json(
            "/api/v1/auth/login",
            Auth::None,
            json!({"email": "a@example.com", "password": "wrong wrong wrong"}),
        )
        .await;
    let unknown = app
        .post_json(
            "/api/v1/auth/login",
            Auth::None,
            json!({"email": "b@example.com", "password": "wrong wrong wrong"}),
        )
        .await;
    let a = assert_problem(&wrong, 401, "invalid_credentials");
    let b = assert_problem(&unknown, 401, "invalid_credentials");
    assert_eq!(a, b);
    assert!(wrong.header("www-authenticate").starts_with("Bearer"));
    app.finish().await;
}

#[tokio::test]
async fn malformed_requests_are_4xx_never_5xx() {
    let app = TestApp::new(Registration::Invite).await;
    let raw = |ct: &'static str, body: &'static str| {
        request(Method::POST, "/api/v1/auth/login", Auth::None)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap()
    };
    assert_problem(
        &app.send(raw("application/json", "{not json")).await,
        400,
        "malformed_json",
    );
    assert_problem(
        &app.send(raw("text/plain", "hello")).await,
        415,
        "unsupported_media_type",
    );
    let missing = assert_problem(
        &app.send(raw("application/json", "{}")).await,
        422,
        "invalid",
    );
    let fields: Vec<&str> = missing["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "password"]);
    // Well-formed JSON of the wrong shape: 422, as for every other JSON body.
    assert_problem(
        &app.send(raw("application/json", r#"{"email": 5}"#)).await,
        422,
        "invalid_body",
    );
    assert_problem(
        &app.send(raw(
            "application/json",
            r#"["a@example.com", "a password"]"#,
        ))
        .await,
        422,
        "invalid_body",
    );

    let refresh = |body: &'static str| {
        request(Method::POST, "/api/v1/auth/refresh", Auth::None)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    assert_problem(
        &app.send(refresh(r#"{"refresh_token": 5}"#)).await,
        422,
        "invalid_body",
    );
    assert_problem(&app.send(refresh("{}")).await, 422, "invalid");
    assert_problem(
        &app.get("/api/v1/no-such-thing", Auth::None).await,
        404,
        "no_such_endpoint",
    );
    app.finish().await;
}

#[tokio::test]
async fn bad_tokens_are_refused_with_a_reason() {
    let app = TestApp::new(Registration::Invite).await;
    let user = app.user("a@example.com", Role::Mentor).await;
    assert_problem(
        &app.get("/api/v1/auth/me", Auth::None).await,
        401,
        "sign_in_required",
    );
    assert_problem(
        &app.get("/api/v1/auth/me", Auth::Bearer("not.a.jwt")).await,
        401,
        "token_invalid",
    );
    assert_problem(
        &app.get("/api/v1/auth/me", Auth::Raw("Basic YTpi")).await,
        401,
        "token_invalid",
    );
    assert_problem(
        &app.get("/api/v1/auth/me", Auth::Raw("Bearer ")).await,
        401,
        "token_invalid",
    );

    // Signed with another instance's key.
    let foreign = service::testing::ctx(app.ctx.db.clone(), Registration::Invite);
    let forged =
        service::auth::tokens::mint_access(&foreign, &user, "x", chrono::Duration::minutes(5))
            .unwrap();
    assert_problem(
        &app.get("/api/v1/auth/me", Auth::Bearer(&forged)).await,
        401,
        "token_invalid",
    );

    let tokens = app.tokens("a@example.com").await;
    let access = tokens["access_token"].as_str().unwrap();
    let actor = service::auth::authenticate_bearer(&app.ctx, access)
        .await
        .unwrap();
    let service::AuthMethod::Bearer { family_id } = actor.via else {
        panic!()
    };
    let expired = service::auth::tokens::mint_access(
        &app.ctx,
        &user,
        &family_id,
        chrono::Duration::seconds(-120),
    )
    .unwrap();
    assert_problem(
        &app.get("/api/v1/auth/me", Auth::Bearer(&expired)).await,
        401,
        "token_expired",
    );
    app.finish().await;
}

#[tokio::test]
async fn refresh_rotates_and_logout_revokes() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("a@example.com", Role::Mentee).await;
    let first = app.tokens("a@example.com").await;
    let refresh = |t: &serde_json::Value| json!({"refresh_token": t["refresh_token"]});

    let second = app
        .post_json("/api/v1/auth/refresh", Auth::None, refresh(&first))
        .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    let second = second.json();
    assert_ne!(second["refresh_token"], first["refresh_token"]);

    let replay = app
        .post_json("/api/v1/auth/refresh", Auth::None, refresh(&first))
        .await;
    assert_problem(&replay, 401, "token_revoked");
    let after = app
        .get(
            "/api/v1/auth/me",
            Auth::Bearer(second["access_token"].as_str().unwrap()),
        )
        .await;
    assert_problem(&after, 401, "token_revoked");

    let fresh = app.tokens("a@example.com").await;
    let access = fresh["access_token"].as_str().unwrap();
    let out = app
        .send(
            request(Method::POST, "/api/v1/auth/logout", Auth::Bearer(access))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_problem(
        &app.get("/api/v1/auth/me", Auth::Bearer(access)).await,
        401,
        "token_revoked",
    );
    assert_problem(
        &app.post_json("/api/v1/auth/refresh", Auth::None, refresh(&fresh))
            .await,
        401,
        "token_revoked",
    );
    app.finish().await;
}

#[tokio::test]
async fn failed_logins_answer_429_with_retry_after() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("a@example.com", Role::Mentee).await;
    let attempt = || {
        app.post_json(
            "/api/v1/auth/login",
            Auth::None,
            json!({"email": "a@example.com", "password": "guess guess guess"}),
        )
    };
    for _ in 0..service::auth::throttle::ACCOUNT_LIMIT {
        assert_eq!(attempt().await.status, StatusCode::UNAUTHORIZED);
    }
    let blocked = attempt().await;
    assert_problem(&blocked, 429, "rate-limited");
    let retry: u64 = blocked.header("retry-after").parse().unwrap();
    assert!(retry > 0 && retry <= 900);
    app.finish().await;
}

#[tokio::test]
async fn only_admins_create_users_over_rest() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@example.com", Role::Admin).await;
    app.user("mentee@example.com", Role::Mentee).await;
    let admin = app.tokens("admin@example.com").await;
    let admin = admin["access_token"].as_str().unwrap();
    let mentee = app.tokens("mentee@example.com").await;
    let mentee = mentee["access_token"].as_str().unwrap();
    let body = json!({"email": "new@example.com", "name": "New Mentor", "role": "mentor", "password": PASSWORD});

    assert_problem(
        &app.post_json("/api/v1/users", Auth::None, body.clone())
            .await,
        401,
        "sign_in_required",
    );
    assert_problem(
        &app.post_json("/api/v1/users", Auth::Bearer(mentee), body.clone())
            .await,
        403,
        "forbidden",
    );

    let created = app
        .post_json("/api/v1/users", Auth::Bearer(admin), body.clone())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let created = created.json();
    assert!(created["id"].as_i64().unwrap() > 0);
    assert_eq!(created["role"], "mentor");

    let dup = assert_problem(
        &app.post_json("/api/v1/users", Auth::Bearer(admin), body)
            .await,
        409,
        "conflict",
    );
    assert_eq!(dup["errors"][0]["field"], "email");
    let bad = json!({"email": "x", "name": "", "role": "boss", "password": "1"});
    let bad = assert_problem(
        &app.post_json("/api/v1/users", Auth::Bearer(admin), bad)
            .await,
        422,
        "invalid",
    );
    assert_eq!(bad["errors"][0]["field"], "role");
    app.finish().await;
}

#[tokio::test]
async fn registration_is_closed_unless_open() {
    let body = json!({"email": "me@example.com", "name": "Me", "password": PASSWORD});
    let app = TestApp::new(Registration::Invite).await;
    assert_problem(
        &app.post_json("/api/v1/auth/register", Auth::None, body.clone())
            .await,
        403,
        "forbidden",
    );
    app.finish().await;

    let app = TestApp::new(Registration::Open).await;
    let r = app
        .post_json("/api/v1/auth/register", Auth::None, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["role"], "mentee");
    app.tokens("me@example.com").await;
    app.finish().await;
}

#[tokio::test]
async fn health_version_docs_and_metrics() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@example.com", Role::Admin).await;
    app.user("mentor@example.com", Role::Mentor).await;
    assert_eq!(
        app.get("/api/v1/health", Auth::None).await.json(),
        json!({"status": "ok"})
    );
    assert_eq!(
        app.get("/api/v1/version", Auth::None).await.json()["name"],
        "nuri"
    );

    assert_problem(
        &app.get("/api/v1/health/detailed", Auth::None).await,
        401,
        "sign_in_required",
    );
    let mentor = app.tokens("mentor@example.com").await;
    assert_problem(
        &app.get(
            "/api/v1/health/detailed",
            Auth::Bearer(mentor["access_token"].as_str().unwrap()),
        )
        .await,
        403,
        "forbidden",
    );
    let admin = app.tokens("admin@example.com").await;
    let detail = app
        .get(
            "/api/v1/health/detailed",
            Auth::Bearer(admin["access_token"].as_str().unwrap()),
        )
        .await
        .json();
    assert_eq!(detail["status"], "ok");
    assert_eq!(detail["database"]["backend"], "sqlite");
    assert!(detail["database"]["round_trip_ms"].as_f64().unwrap() >= 0.0);
    assert!(detail["disk"]["free_bytes"].as_u64().unwrap() > 0);

    // What /api/openapi.json says is checked in tests/openapi.rs.
    let docs = app.get("/api/docs", Auth::None).await;
    assert_eq!(docs.status, StatusCode::OK);
    assert!(docs.body.contains("/api/v1/auth/refresh") && docs.body.contains("TokenPair"));
    assert!(
        !docs.header("content-security-policy").contains("http"),
        "docs load nothing external"
    );
    // In the reader's language and theme (the app's cookies), descriptions rendered as Markdown.
    assert!(
        docs.body.contains("<code>POST /api/v1/auth/login</code>"),
        "{}",
        docs.body
    );
    let korean = app
        .get("/api/docs", Auth::Cookie("nuri_lang=ko; nuri_theme=dark"))
        .await;
    assert!(korean
        .body
        .contains(r#"<html lang="ko" data-theme="dark">"#));
    assert!(korean.body.contains("엔드포인트") && !korean.body.contains(">Endpoints<"));

    let metrics = app.get("/metrics", Auth::None).await;
    assert!(metrics
        .header("content-type")
        .starts_with("text/plain; version=0.0.4"));
    assert!(
        metrics.body.contains(
            "nuri_http_requests_total{method=\"GET\",route=\"/api/v1/health\",status=\"200\"} 1"
        ),
        "{}",
        metrics.body
    );
    assert!(metrics.body.contains(
        "nuri_http_request_duration_seconds_bucket{route=\"/api/v1/health\",le=\"+Inf\"} 1"
    ));
    app.finish().await;
}
