//! Identity hardening (issue #10): the password-change gate for bearer tokens and sessions, and
//! token answers no cache keeps.

use crate::common::*;
use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use entity::Role;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::json;
use service::Registration;

const NEW_PASSWORD: &str = "a brand new passphrase";

/// An account whose password an admin reset: it must change it before anything else.
async fn must_change(app: &TestApp, email: &str) -> entity::user::Model {
    let user = app.user(email, Role::Mentor).await;
    let mut active: entity::user::ActiveModel = user.into();
    active.must_change_password = Set(true);
    active.update(&app.ctx.db).await.unwrap()
}

/// A server function called as the page's JavaScript calls it (no HTML wanted back).
async fn server_fn(app: &TestApp, name: &str, cookie: &str, body: &str) -> Reply {
    app.send(
        request(
            Method::POST,
            &format!("/api/fn/{name}"),
            Auth::Cookie(cookie),
        )
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, format!("http://{HOST}"))
        .body(Body::from(body.to_owned()))
        .unwrap(),
    )
    .await
}

fn assert_no_store(r: &Reply) {
    assert_eq!(r.header("cache-control"), "no-store", "{}", r.body);
    assert_eq!(r.header("pragma"), "no-cache", "{}", r.body);
}

#[tokio::test]
async fn until_the_password_changes_a_bearer_token_may_only_read_me_change_it_and_log_out() {
    let app = TestApp::new(Registration::Invite).await;
    must_change(&app, "kim@example.com").await;
    let tokens = app.tokens("kim@example.com").await;
    let bearer = tokens["access_token"].as_str().unwrap().to_owned();

    let me = app.get("/api/v1/auth/me", Auth::Bearer(&bearer)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.json()["must_change_password"], true);
    for uri in ["/api/v1/tasks", "/api/v1/auth/check", "/api/v1/dashboard"] {
        let r = app.get(uri, Auth::Bearer(&bearer)).await;
        assert_problem(&r, 403, "password_change_required");
    }
    let write = app
        .call(
            Method::POST,
            "/api/v1/curricula",
            &bearer,
            Some(json!({"title": "Sneaky"})),
        )
        .await;
    assert_problem(&write, 403, "password_change_required");

    let wrong = app
        .call(
            Method::POST,
            "/api/v1/auth/password",
            &bearer,
            Some(json!({"current_password": "not it at all", "new_password": NEW_PASSWORD})),
        )
        .await;
    assert_eq!(
        assert_problem(&wrong, 422, "invalid")["errors"][0]["code"],
        "wrong_password"
    );
    let changed = app
        .call(
            Method::POST,
            "/api/v1/auth/password",
            &bearer,
            Some(json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_no_store(&changed);
    let fresh = changed.json();
    assert_eq!(fresh["token_type"], "bearer");
    let fresh_access = fresh["access_token"].as_str().unwrap();

    // The old pair is over; the new one may do everything the role allows.
    assert_problem(
        &app.get("/api/v1/tasks", Auth::Bearer(&bearer)).await,
        401,
        "token_revoked",
    );
    let refresh = app
        .post_json(
            "/api/v1/auth/refresh",
            Auth::None,
            json!({"refresh_token": tokens["refresh_token"]}),
        )
        .await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED, "{}", refresh.body);
    let tasks = app.get("/api/v1/tasks", Auth::Bearer(fresh_access)).await;
    assert_eq!(tasks.status, StatusCode::OK, "{}", tasks.body);
    let me = app.get("/api/v1/auth/me", Auth::Bearer(fresh_access)).await;
    assert_eq!(me.json()["must_change_password"], false);

    // Logging out stays possible while the gate is closed.
    must_change(&app, "lee@example.com").await;
    let lee = app.access_token("lee@example.com").await;
    let out = app
        .call(Method::POST, "/api/v1/auth/logout", &lee, None)
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{}", out.body);
    app.finish().await;
}

#[tokio::test]
async fn until_the_password_changes_a_session_may_only_read_me_change_it_and_log_out() {
    let app = TestApp::new(Registration::Invite).await;
    must_change(&app, "kim@example.com").await;
    let cookie = app.session("kim@example.com").await;

    // REST with the session cookie meets the same gate as a bearer token.
    let me = app.get("/api/v1/auth/me", Auth::Cookie(&cookie)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_problem(
        &app.get("/api/v1/tasks", Auth::Cookie(&cookie)).await,
        403,
        "password_change_required",
    );

    // Server functions: refused in their own encoding, so the page can say why.
    let refused = server_fn(&app, "unread_notifications", &cookie, "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(refused.json()["code"], "password_change_required");
    let no_js = app
        .post_form("/api/fn/read_all_notifications", Auth::Cookie(&cookie), &[])
        .await;
    assert_eq!(no_js.status, StatusCode::SEE_OTHER, "{}", no_js.body);
    assert_eq!(no_js.header("location"), "/account");
    let current = server_fn(&app, "current_user", &cookie, "").await;
    assert_eq!(current.status, StatusCode::OK, "{}", current.body);
    assert_eq!(current.json()["must_change_password"], true);

    // The account page's password change works and the session carries on, now ungated.
    let changed = app
        .post_form(
            "/api/fn/change_password",
            Auth::Cookie(&cookie),
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::FOUND, "{}", changed.body);
    assert_eq!(changed.header("location"), "/account?done=password");
    let renewed = changed
        .cookie(server::router::SESSION_COOKIE)
        .expect("a fresh session id");
    let tasks = app.get("/api/v1/tasks", Auth::Cookie(&renewed)).await;
    assert_eq!(tasks.status, StatusCode::OK, "{}", tasks.body);

    // Another gated session can still log out through the page's button.
    must_change(&app, "lee@example.com").await;
    let lee = app.session("lee@example.com").await;
    let out = app
        .post_form("/api/fn/logout", Auth::Cookie(&lee), &[])
        .await;
    assert_eq!(out.status, StatusCode::FOUND, "{}", out.body);
    assert_eq!(out.header("location"), "/login");
    app.finish().await;
}

#[tokio::test]
async fn the_rest_password_change_keeps_a_session_signed_in() {
    let app = TestApp::new(Registration::Invite).await;
    must_change(&app, "kim@example.com").await;
    let cookie = app.session("kim@example.com").await;
    let changed = app
        .send(
            request(Method::POST, "/api/v1/auth/password", Auth::Cookie(&cookie))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ORIGIN, format!("http://{HOST}"))
                .body(Body::from(
                    json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_no_store(&changed);
    let renewed = changed
        .cookie(server::router::SESSION_COOKIE)
        .expect("a fresh session id");
    assert_ne!(renewed, cookie);
    let me = app.get("/api/v1/auth/me", Auth::Cookie(&renewed)).await;
    assert_eq!(me.json()["must_change_password"], false, "{}", me.body);
    assert_eq!(
        app.get("/api/v1/auth/me", Auth::Cookie(&cookie))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    app.finish().await;
}

#[tokio::test]
async fn token_answers_are_never_cached() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("kim@example.com", Role::Mentee).await;
    let login = app
        .post_json(
            "/api/v1/auth/login",
            Auth::None,
            json!({"email": "kim@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    assert_no_store(&login);
    let refreshed = app
        .post_json(
            "/api/v1/auth/refresh",
            Auth::None,
            json!({"refresh_token": login.json()["refresh_token"]}),
        )
        .await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}", refreshed.body);
    assert_no_store(&refreshed);
    app.finish().await;
}

#[tokio::test]
async fn sign_in_and_preferences_never_send_the_browser_off_site() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("kim@example.com", Role::Mentee).await;
    for next in [
        "/\t/evil.example",
        "/\\evil.example",
        "//evil.example",
        "\n//evil.example",
    ] {
        let login = app
            .post_form(
                "/api/fn/login",
                Auth::None,
                &[
                    ("email", "kim@example.com"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(login.status, StatusCode::FOUND, "{}", login.body);
        assert_eq!(login.header("location"), "/", "{next:?}");
        let prefs = app
            .post_form(
                "/preferences",
                Auth::None,
                &[("theme", "dark"), ("back", next)],
            )
            .await;
        assert_eq!(prefs.header("location"), "/", "{next:?}");
    }
    let kept = app
        .post_form(
            "/api/fn/login",
            Auth::None,
            &[
                ("email", "kim@example.com"),
                ("password", PASSWORD),
                ("next", "/tasks?tab=mine"),
            ],
        )
        .await;
    assert_eq!(kept.header("location"), "/tasks?tab=mine");
    app.finish().await;
}

#[tokio::test]
async fn an_overlong_sign_in_is_a_422_not_a_500() {
    let app = TestApp::new(Registration::Invite).await;
    let email = format!("{}@example.com", "a".repeat(300));
    let r = app
        .post_json(
            "/api/v1/auth/login",
            Auth::None,
            json!({"email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, "invalid")["errors"][0]["code"],
        "too_long"
    );
    let r = app
        .post_json(
            "/api/v1/auth/login",
            Auth::None,
            json!({"email": "kim@example.com", "password": "x".repeat(10_000)}),
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, "invalid")["errors"][0]["field"],
        "password"
    );
    app.finish().await;
}

#[tokio::test]
async fn an_admin_unlocks_a_locked_out_account() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@example.com", Role::Admin).await;
    let kim = app.user("kim@example.com", Role::Mentee).await;
    app.user("lee@example.com", Role::Mentee).await;
    let lock_out = || async {
        for _ in 0..service::auth::throttle::ACCOUNT_LIMIT {
            let r = app
                .post_json(
                    "/api/v1/auth/login",
                    Auth::None,
                    json!({"email": "kim@example.com", "password": "a wrong guess"}),
                )
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
        }
        let r = app
            .post_json(
                "/api/v1/auth/login",
                Auth::None,
                json!({"email": "kim@example.com", "password": PASSWORD}),
            )
            .await;
        assert_problem(&r, 429, "rate-limited");
    };
    lock_out().await;
    let unlock = format!("/api/v1/users/{}/unlock", kim.id);
    let lee = app.access_token("lee@example.com").await;
    assert_problem(
        &app.call(Method::POST, &unlock, &lee, None).await,
        403,
        "forbidden",
    );
    let admin = app.access_token("admin@example.com").await;
    // The people list says whose sign-in is locked, and until when.
    let locks = || async {
        let people = app
            .call(Method::GET, "/api/v1/users", &admin, None)
            .await
            .json();
        let lock_of = |email: &str| {
            people["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["email"] == email)
                .unwrap()["locked_until"]
                .clone()
        };
        (lock_of("kim@example.com"), lock_of("lee@example.com"))
    };
    let (kim_lock, lee_lock) = locks().await;
    assert!(
        kim_lock.is_string() && lee_lock.is_null(),
        "{kim_lock} {lee_lock}"
    );
    let r = app.call(Method::POST, &unlock, &admin, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert!(locks().await.0.is_null());
    app.access_token("kim@example.com").await;
    assert_problem(
        &app.call(Method::POST, "/api/v1/users/999999/unlock", &admin, None)
            .await,
        404,
        "not-found",
    );

    // The people page's badge and button (here without JavaScript).
    lock_out().await;
    let session = app.session("admin@example.com").await;
    let page = app.get("/admin/users", Auth::Cookie(&session)).await;
    assert_eq!(
        page.body.matches(r#"data-testid="locked""#).count(),
        1,
        "{}",
        page.body
    );
    let r = app
        .post_form(
            "/api/fn/unlock_user",
            Auth::Cookie(&session),
            &[("id", &kim.id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert_eq!(r.header("location"), "/admin/users?done=unlocked");
    app.access_token("kim@example.com").await;
    app.finish().await;
}

/// The stored session records that hold `key`, as (id, data).
async fn sessions_holding(app: &TestApp, key: &str) -> Vec<(String, serde_json::Value)> {
    use sea_orm::EntityTrait;
    entity::session::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| {
            (
                s.id,
                serde_json::from_str::<serde_json::Value>(&s.data).unwrap(),
            )
        })
        .filter(|(_, data)| data.get(key).is_some())
        .collect()
}

#[tokio::test]
async fn a_flash_with_a_temporary_password_expires_within_minutes() {
    use sea_orm::{EntityTrait, IntoActiveModel};
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@example.com", Role::Admin).await;
    let mentee = app.user("mentee@example.com", Role::Mentee).await;
    let admin = app.session("admin@example.com").await;
    let id = mentee.id.to_string();
    let fields = [("id", id.as_str())];
    let reset = || app.post_form("/api/fn/reset_password", Auth::Cookie(&admin), &fields);
    assert_eq!(reset().await.status, StatusCode::FOUND);
    let held = sessions_holding(&app, "flash_reset").await;
    assert_eq!(held.len(), 1);
    let expires_at = held[0].1["flash_reset"]["expires_at"].as_i64().unwrap();
    let in_secs = expires_at - chrono::Utc::now().timestamp();
    assert!((1..=600).contains(&in_secs), "{in_secs}");

    // Shown once, then gone from the store.
    let page = app
        .get("/admin/users?done=reset", Auth::Cookie(&admin))
        .await;
    assert!(page.body.contains(r#"data-testid="temporary-password""#));
    assert!(sessions_holding(&app, "flash_reset").await.is_empty());

    // Never shown within ten minutes: neither shown later nor kept.
    assert_eq!(reset().await.status, StatusCode::FOUND);
    let (id, mut data) = sessions_holding(&app, "flash_reset").await.remove(0);
    data["flash_reset"]["expires_at"] = json!(chrono::Utc::now().timestamp() - 1);
    let row = entity::session::Entity::find_by_id(id)
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    let mut row = row.into_active_model();
    row.data = sea_orm::Set(data.to_string());
    sea_orm::ActiveModelTrait::update(row, &app.ctx.db)
        .await
        .unwrap();
    let page = app.get("/admin/departments", Auth::Cookie(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(sessions_holding(&app, "flash_reset").await.is_empty());
    let page = app
        .get("/admin/users?done=reset", Auth::Cookie(&admin))
        .await;
    assert!(!page.body.contains(r#"data-testid="temporary-password""#));
    app.finish().await;
}
