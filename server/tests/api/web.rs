//! The browser's door: server-rendered pages, the session cookie (the same Actor as a bearer
//! token), forms without JavaScript, preferences and security headers.

use crate::common::*;
use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use entity::Role;
use service::Registration;

#[tokio::test]
async fn pages_are_rendered_in_the_visitors_language_with_a_nonce_csp() {
    let app = TestApp::new(Registration::Invite).await;
    let ko = app.get("/login", Auth::None).await;
    assert_eq!(ko.status, StatusCode::OK);
    assert!(
        ko.body.contains(r#"<html lang="ko""#) && ko.body.contains("<h1>로그인</h1>"),
        "{}",
        ko.body
    );

    let en = app
        .send(
            request(Method::GET, "/login", Auth::None)
                .header(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(en.body.contains(r#"<html lang="en""#) && en.body.contains("<h1>Log in</h1>"));

    let csp = ko.header("content-security-policy");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce in CSP");
    assert!(
        ko.body.contains(&format!("nonce=\"{nonce}\"")),
        "hydration scripts carry the nonce"
    );
    assert!(
        csp.contains("frame-ancestors 'none'")
            && csp.contains("'wasm-unsafe-eval'")
            && !csp.contains("unsafe-inline")
    );
    assert_eq!(ko.header("x-content-type-options"), "nosniff");
    assert_eq!(ko.header("referrer-policy"), "same-origin");
    assert!(!ko.header("x-request-id").is_empty());

    let missing = app.get("/no-such-page", Auth::None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("페이지를 찾을 수 없습니다"));
    app.finish().await;
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_login_and_back() {
    let app = TestApp::new(Registration::Invite).await;
    let r = app.get("/account", Auth::None).await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert_eq!(r.header("location"), "/login?next=%2Faccount");
    app.finish().await;
}

#[tokio::test]
async fn a_session_cookie_is_the_same_actor_as_a_bearer_token() {
    let app = TestApp::new(Registration::Invite).await;
    let user = app.user("mentor@example.com", Role::Mentor).await;
    let login = app
        .post_form(
            "/api/fn/login",
            Auth::None,
            &[
                ("email", "mentor@example.com"),
                ("password", PASSWORD),
                ("next", "/account"),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::FOUND);
    assert_eq!(login.header("location"), "/account");
    let set_cookie = login.header("set-cookie");
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    let cookie = login.cookie("nuri_session").unwrap();

    let me = app.get("/api/v1/auth/me", Auth::Cookie(&cookie)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.json()["id"], user.id);
    assert_eq!(
        app.get("/api/v1/auth/check", Auth::Cookie(&cookie))
            .await
            .json()["via"],
        "session"
    );

    let dashboard = app.get("/", Auth::Cookie(&cookie)).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.body.contains("<h1>대시보드</h1>") && dashboard.body.contains("멘토"));

    // Logging in again issues a new session id (no fixation).
    let again = app.session("mentor@example.com").await;
    assert_ne!(again, cookie);

    let out = app
        .post_form("/api/fn/logout", Auth::Cookie(&cookie), &[])
        .await;
    assert_eq!(out.header("location"), "/login");
    assert_problem(
        &app.get("/api/v1/auth/me", Auth::Cookie(&cookie)).await,
        401,
        "sign_in_required",
    );
    assert_eq!(
        app.get("/api/v1/auth/me", Auth::Cookie(&again))
            .await
            .status,
        StatusCode::OK
    );
    app.finish().await;
}

#[tokio::test]
async fn logout_everywhere_and_password_change_end_sessions_and_tokens() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("me@example.com", Role::Mentee).await;
    let here = app.session("me@example.com").await;
    let elsewhere = app.session("me@example.com").await;
    let tokens = app.tokens("me@example.com").await;
    let access = tokens["access_token"].as_str().unwrap();

    let changed = app
        .post_form(
            "/api/fn/change_password",
            Auth::Cookie(&here),
            &[
                ("current_password", PASSWORD),
                ("new_password", "another long secret"),
            ],
        )
        .await;
    assert_eq!(
        changed.header("location"),
        "/account?done=password",
        "{}",
        changed.body
    );
    // The session id rotates with the new password; the browser takes the new cookie.
    let here = changed
        .cookie("nuri_session")
        .expect("a rotated session cookie");
    assert_eq!(
        app.get("/api/v1/auth/me", Auth::Cookie(&here)).await.status,
        StatusCode::OK,
        "this browser stays in"
    );
    assert_problem(
        &app.get("/api/v1/auth/me", Auth::Cookie(&elsewhere)).await,
        401,
        "sign_in_required",
    );
    assert_problem(
        &app.get("/api/v1/auth/me", Auth::Bearer(access)).await,
        401,
        "token_revoked",
    );

    let out = app
        .post_form("/api/fn/logout_everywhere", Auth::Cookie(&here), &[])
        .await;
    assert_eq!(out.header("location"), "/login");
    assert_problem(
        &app.get("/api/v1/auth/me", Auth::Cookie(&here)).await,
        401,
        "sign_in_required",
    );
    app.finish().await;
}

#[tokio::test]
async fn a_failed_sign_in_without_javascript_comes_back_with_the_error_and_the_email_kept_private()
{
    let app = TestApp::new(Registration::Invite).await;
    app.user("a@example.com", Role::Mentee).await;
    let r = app
        .post_form(
            "/api/fn/login",
            Auth::None,
            &[
                ("email", "a@example.com"),
                ("password", "not the password"),
                ("next", "/tasks"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    // Neither the address nor the error travels in the URL (history, logs, Referer): they wait
    // in the session, and only the page's own `next` path stays.
    assert_eq!(r.header("location"), "/login?next=%2Ftasks");
    let cookie = r
        .cookie(server::router::SESSION_COOKIE)
        .expect("the refused sign-in is kept in a session");

    let page = app.get("/login?next=%2Ftasks", Auth::Cookie(&cookie)).await;
    assert!(
        page.body
            .contains("이메일 또는 비밀번호가 올바르지 않습니다."),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"value="a@example.com""#));
    assert!(
        !page.body.contains("not the password"),
        "passwords never travel back"
    );
    // Shown once: a reload is a clean form.
    let again = app.get("/login", Auth::Cookie(&cookie)).await;
    assert!(!again.body.contains(r#"value="a@example.com""#));
    assert!(!again
        .body
        .contains("이메일 또는 비밀번호가 올바르지 않습니다."));

    // With JavaScript the server function answers with the error's own status.
    let js = app
        .send(
            request(Method::POST, "/api/fn/login", Auth::None)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("email=a%40example.com&password=nope+nope+nope"))
                .unwrap(),
        )
        .await;
    assert_eq!(js.status, StatusCode::UNAUTHORIZED);
    assert_eq!(js.json()["code"], "invalid_credentials");
    app.finish().await;
}

#[tokio::test]
async fn cross_origin_posts_are_refused() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("a@example.com", Role::Mentee).await;
    let r = app
        .send(
            request(Method::POST, "/api/fn/login", Auth::None)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ORIGIN, "https://evil.example")
                .body(Body::from(format!(
                    "email=a%40example.com&password={}",
                    PASSWORD.replace(' ', "+")
                )))
                .unwrap(),
        )
        .await;
    assert_problem(&r, 403, "cross_origin");
    assert!(r.cookie("nuri_session").is_none());
    app.finish().await;
}

#[tokio::test]
async fn setup_creates_the_first_admin_once() {
    let app = TestApp::new(Registration::Invite).await;
    let token = service::setup::issue_token(&app.ctx)
        .await
        .unwrap()
        .unwrap();
    let page = app.get(&format!("/setup?token={token}"), Auth::None).await;
    assert!(page.body.contains("첫 번째 관리자 계정을 만드세요."));

    let fields = |t: &'static str| {
        [
            ("token", t),
            ("email", "boss@example.com"),
            ("name", "Boss"),
            ("password", PASSWORD),
        ]
    };
    let bad = app
        .post_form("/api/fn/setup", Auth::None, &fields("wrong"))
        .await;
    assert!(bad.header("location").starts_with("/setup?e="));
    let token: &'static str = Box::leak(token.into_boxed_str());
    let ok = app
        .post_form("/api/fn/setup", Auth::None, &fields(token))
        .await;
    assert_eq!(ok.header("location"), "/");
    let cookie = ok.cookie("nuri_session").unwrap();
    assert_eq!(
        app.get("/api/v1/auth/me", Auth::Cookie(&cookie))
            .await
            .json()["role"],
        "admin"
    );

    let done = app.get(&format!("/setup?token={token}"), Auth::None).await;
    assert!(
        done.body.contains("누리는 이미 설정되었습니다.") && !done.body.contains("field-password")
    );
    app.finish().await;
}

#[tokio::test]
async fn preferences_are_remembered_in_cookies() {
    let app = TestApp::new(Registration::Invite).await;
    let r = app
        .post_form(
            "/preferences",
            Auth::None,
            &[("locale", "en"), ("back", "/login")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/login");
    let cookie = r.cookie("nuri_lang").unwrap();
    assert_eq!(cookie, "nuri_lang=en");
    let page = app
        .get("/login", Auth::Cookie("nuri_lang=en; nuri_theme=dark"))
        .await;
    assert!(page.body.contains(r#"<html lang="en" data-theme="dark""#));

    let away = app
        .post_form(
            "/preferences",
            Auth::None,
            &[("theme", "dark"), ("back", "//evil.example")],
        )
        .await;
    assert_eq!(away.header("location"), "/", "no open redirect");
    let junk = app
        .post_form("/preferences", Auth::None, &[("locale", "xx")])
        .await;
    assert_eq!(junk.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.finish().await;
}

#[tokio::test]
async fn admins_see_people_and_others_are_refused() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@example.com", Role::Admin).await;
    app.user("mentee@example.com", Role::Mentee).await;
    let admin = app.session("admin@example.com").await;
    let page = app.get("/admin/users", Auth::Cookie(&admin)).await;
    assert!(page.body.contains("mentee@example.com"), "{}", page.body);

    let created = app
        .post_form(
            "/api/fn/create_user",
            Auth::Cookie(&admin),
            &[
                ("email", "new@example.com"),
                ("name", "New"),
                ("role", "mentor"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(created.header("location"), "/admin/users?done=created");

    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("field-password"), "the add-member form");

    // Everyone else gets the admin pages as a whole 403: no list, no add-member form.
    let mentee = app.session("mentee@example.com").await;
    for path in ["/admin/users", "/admin/departments", "/admin/users/import"] {
        let page = app.get(path, Auth::Cookie(&mentee)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            page.body.contains("data-testid=\"forbidden\""),
            "{path}: {}",
            page.body
        );
        for leaked in [
            "admin@example.com",
            "field-password",
            "field-name",
            "field-csv",
        ] {
            assert!(!page.body.contains(leaked), "{path} shows {leaked}");
        }
    }
    // Nor do the admin links appear in the mentee's navigation.
    let home = app.get("/", Auth::Cookie(&mentee)).await;
    assert!(
        !home.body.contains("href=\"/admin/users\""),
        "{}",
        home.body
    );
    app.finish().await;
}

#[tokio::test]
async fn open_registration_works_as_a_plain_form() {
    let app = TestApp::new(Registration::Open).await;
    let page = app.get("/register", Auth::None).await;
    assert!(page.body.contains("field-password"), "the form is offered");
    let short = app
        .post_form(
            "/api/fn/register",
            Auth::None,
            &[
                ("email", "new@example.com"),
                ("name", "New"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(
        short.header("location"),
        "/register",
        "nothing typed in the URL"
    );
    let cookie = short.cookie(server::router::SESSION_COOKIE).unwrap();
    let back = app.get("/register", Auth::Cookie(&cookie)).await.body;
    assert!(back.contains("10자 이상 입력하세요."), "{back}");
    assert!(back.contains(r#"value="New""#) && back.contains(r#"value="new@example.com""#));

    let ok = app
        .post_form(
            "/api/fn/register",
            Auth::None,
            &[
                ("email", "new@example.com"),
                ("name", "New"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(ok.header("location"), "/");
    let cookie = ok.cookie("nuri_session").unwrap();
    assert_eq!(
        app.get("/api/v1/auth/me", Auth::Cookie(&cookie))
            .await
            .json()["role"],
        "mentee"
    );
    app.finish().await;

    let closed = TestApp::new(Registration::Invite).await;
    let page = closed.get("/register", Auth::None).await;
    assert!(
        page.body.contains("가입은 초대로만 가능합니다.") && !page.body.contains("field-password")
    );
    closed.finish().await;
}

#[tokio::test]
async fn behind_tls_cookies_are_secure_and_hsts_is_sent() {
    let app = TestApp::with(Registration::Invite, true).await;
    app.user("a@example.com", Role::Mentee).await;
    let login = app
        .post_form(
            "/api/fn/login",
            Auth::None,
            &[("email", "a@example.com"), ("password", PASSWORD)],
        )
        .await;
    let set_cookie = login.header("set-cookie");
    assert!(
        set_cookie.contains("Secure") && set_cookie.contains("HttpOnly"),
        "{set_cookie}"
    );
    assert!(login
        .header("strict-transport-security")
        .starts_with("max-age="));
    let prefs = app
        .post_form("/preferences", Auth::None, &[("locale", "en")])
        .await;
    assert!(prefs.header("set-cookie").contains("Secure"));
    app.finish().await;
}

#[tokio::test]
async fn a_reset_without_javascript_shows_the_temporary_password_once() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@example.com", Role::Admin).await;
    let mentee = app.user("mentee@example.com", Role::Mentee).await;
    let admin = app.session("admin@example.com").await;
    let r = app
        .post_form(
            "/api/fn/reset_password",
            Auth::Cookie(&admin),
            &[("id", &mentee.id.to_string())],
        )
        .await;
    assert_eq!(
        r.header("location"),
        "/admin/users?done=reset",
        "{}",
        r.body
    );
    assert!(
        !r.header("location").contains("password="),
        "never in a URL"
    );
    let page = app
        .get("/admin/users?done=reset", Auth::Cookie(&admin))
        .await;
    let shown = page
        .body
        .split(r#"data-testid="temporary-password">"#)
        .nth(1)
        .expect("the password is shown");
    let temporary = &shown[..shown.find('<').unwrap()];
    let again = app.get("/admin/users", Auth::Cookie(&admin)).await;
    assert!(!again.body.contains(temporary), "shown only once");

    // The person signs in with it and is sent to change it before anything else.
    let login = app
        .post_form(
            "/api/fn/login",
            Auth::None,
            &[("email", "mentee@example.com"), ("password", temporary)],
        )
        .await;
    let cookie = login.cookie("nuri_session").unwrap();
    let dashboard = app.get("/", Auth::Cookie(&cookie)).await;
    assert_eq!(
        (dashboard.status, dashboard.header("location")),
        (StatusCode::FOUND, "/account")
    );
    app.finish().await;
}

#[tokio::test]
async fn a_crafted_error_in_the_url_is_shown_as_nuris_own_words() {
    use base64::Engine;
    let app = TestApp::new(Registration::Invite).await;
    let crafted = serde_json::json!({
        "kind": "invalid",
        "code": "account_suspended",
        "message": "SUSPENDED-CALL-555-0100",
        "fields": [
            {"field": "email", "code": "suspended", "message": "EMAIL-CALL-555-0100"},
            {"field": "name", "code": "required", "message": "NAME-CALL-555-0100"},
        ],
        "retry_after_secs": null,
    });
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(crafted.to_string());
    // Sign-in keeps its errors in the session; the other forms still come back through `?e=`.
    app.user("admin@example.com", Role::Admin).await;
    let session = app.session("admin@example.com").await;
    let page = app
        .get(
            &format!("/admin/departments?e={e}"),
            Auth::Cookie(&format!("{session}; nuri_lang=en")),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("CALL-555"), "{}", page.body);
    // The page still says something is wrong, in its own text (this form shows errors at its
    // fields; the sign-in form's summary line no longer reads `?e=`).
    assert!(
        page.body.contains("This field is required."),
        "{}",
        page.body
    );
    app.finish().await;
}
