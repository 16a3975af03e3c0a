//! 100 writes of several kinds sent at once: none may fail with a 5xx ("database is locked" on
//! SQLite was the classic) and every one must be stored. Runs on every configured backend.

use std::sync::Arc;

use crate::common::*;
use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use entity::Role;
use http_body_util::BodyExt;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use service::Registration;
use tower::ServiceExt;

const EACH: usize = 20;
const FAILED_LOGINS: usize = 15;
const TOKEN_LOGINS: usize = 15;
const SESSION_LOGINS: usize = 10;

/// What one concurrent request should do, and the answer it must get.
enum Write {
    CreateUser(usize),
    StartTask(i64),
    AddMemo(i64, usize),
    FailedLogin(usize),
    TokenLogin,
    SessionLogin,
}

/// A mentor and a mentee paired over a curriculum of `EACH * 2` tasks: the first half to start,
/// the second half to write memos on.
async fn mentoring(app: &TestApp, admin: &str) -> (String, Vec<i64>) {
    let mut ids = Vec::new();
    for (email, role) in [("mentor@x.test", "mentor"), ("mentee@x.test", "mentee")] {
        let r = app
            .call(
                Method::POST,
                "/api/v1/users",
                admin,
                Some(json!({"email": email, "name": email, "role": role, "password": PASSWORD})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    let r = app
        .call(
            Method::POST,
            "/api/v1/curricula",
            admin,
            Some(json!({"title": "Onboarding"})),
        )
        .await;
    let curriculum = r.json()["id"].as_i64().unwrap();
    for n in 0..EACH * 2 {
        let r = app
            .call(
                Method::POST,
                &format!("/api/v1/curricula/{curriculum}/tasks"),
                admin,
                Some(json!({"title": format!("Task {n}"), "week": 1, "expected_days": 1})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let r = app.call(Method::POST, "/api/v1/mentorships", admin, Some(json!({"mentor_id": ids[0], "mentee_id": ids[1], "curriculum_id": curriculum, "start_date": "2026-12-01"})))
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let mentee = app.access_token("mentee@x.test").await;
    let list = app
        .call(Method::GET, "/api/v1/tasks?per_page=100", &mentee, None)
        .await;
    let tasks = list.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(tasks.len(), EACH * 2);
    (mentee, tasks)
}

fn build(write: &Write, admin: &str, mentee: &str) -> axum::http::Request<Body> {
    let json_req = |uri: &str, auth: Auth<'_>, body: Value| {
        request(Method::POST, uri, auth)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    match write {
        Write::CreateUser(n) => json_req(
            "/api/v1/users",
            Auth::Bearer(admin),
            json!({"email": format!("new{n}@x.test"), "name": format!("New {n}"), "role": "mentee", "password": PASSWORD}),
        ),
        Write::StartTask(id) => json_req(
            &format!("/api/v1/tasks/{id}/transition"),
            Auth::Bearer(mentee),
            json!({"to": "in_progress"}),
        ),
        Write::AddMemo(id, n) => json_req(
            &format!("/api/v1/tasks/{id}/memos"),
            Auth::Bearer(mentee),
            json!({"body": format!("memo {n}")}),
        ),
        Write::FailedLogin(n) => json_req(
            "/api/v1/auth/login",
            Auth::None,
            json!({"email": format!("nobody{n}@x.test"), "password": "not the password"}),
        ),
        Write::TokenLogin => json_req(
            "/api/v1/auth/login",
            Auth::None,
            json!({"email": "mentor@x.test", "password": PASSWORD}),
        ),
        Write::SessionLogin => request(Method::POST, "/api/fn/login", Auth::None)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::ORIGIN, format!("http://{HOST}"))
            .body(Body::from(
                serde_urlencoded::to_string([("email", "mentor@x.test"), ("password", PASSWORD)])
                    .unwrap(),
            ))
            .unwrap(),
    }
}

fn expected(write: &Write) -> StatusCode {
    match write {
        Write::CreateUser(_) | Write::AddMemo(..) => StatusCode::CREATED,
        Write::StartTask(_) | Write::TokenLogin => StatusCode::OK,
        Write::FailedLogin(_) => StatusCode::UNAUTHORIZED,
        Write::SessionLogin => StatusCode::FOUND,
    }
}

async fn hundred_writes_at_once(backend: &'static str) {
    let app = TestApp::on(backend, Registration::Invite).await;
    app.user("admin@x.test", Role::Admin).await;
    let admin = app.access_token("admin@x.test").await;
    let (mentee, tasks) = mentoring(&app, &admin).await;
    let db = app.ctx.db.clone();
    let users_before = entity::user::Entity::find().count(&db).await.unwrap();
    let families_before = entity::token_family::Entity::find()
        .count(&db)
        .await
        .unwrap();
    let sessions_before = entity::session::Entity::find().count(&db).await.unwrap();

    let mut writes: Vec<Write> = Vec::new();
    for n in 0..EACH {
        writes.push(Write::CreateUser(n));
        writes.push(Write::StartTask(tasks[n]));
        writes.push(Write::AddMemo(tasks[EACH + n], n));
    }
    writes.extend((0..FAILED_LOGINS).map(Write::FailedLogin));
    writes.extend((0..TOKEN_LOGINS).map(|_| Write::TokenLogin));
    writes.extend((0..SESSION_LOGINS).map(|_| Write::SessionLogin));
    assert_eq!(writes.len(), 100);

    // Every request waits at the barrier so they hit the database together.
    let barrier = Arc::new(tokio::sync::Barrier::new(writes.len()));
    let mut running = tokio::task::JoinSet::new();
    for write in writes {
        let req = build(&write, &admin, &mentee);
        let router = app.router.clone();
        let barrier = barrier.clone();
        running.spawn(async move {
            barrier.wait().await;
            let res = router.oneshot(req).await.unwrap();
            let status = res.status();
            let body = res.into_body().collect().await.unwrap().to_bytes();
            (write, status, String::from_utf8_lossy(&body).into_owned())
        });
    }
    let mut wrong = Vec::new();
    while let Some(done) = running.join_next().await {
        let (write, status, body) = done.unwrap();
        if status != expected(&write) {
            wrong.push(format!("{status}: {body}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{backend}: {} of 100 writes answered wrongly:\n{}",
        wrong.len(),
        wrong.join("\n")
    );

    // Every write is stored.
    let users = entity::user::Entity::find().count(&db).await.unwrap();
    assert_eq!(users, users_before + EACH as u64, "{backend}: users");
    let started = entity::task::Entity::find()
        .filter(entity::task::Column::Id.is_in(tasks[..EACH].to_vec()))
        .filter(entity::task::Column::Status.eq(entity::TaskStatus::InProgress))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(started, EACH as u64, "{backend}: tasks started");
    let events = entity::task_event::Entity::find().count(&db).await.unwrap();
    assert_eq!(events, EACH as u64, "{backend}: task events");
    let memos = entity::memo::Entity::find()
        .filter(entity::memo::Column::TaskId.is_in(tasks[EACH..].to_vec()))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(memos, EACH as u64, "{backend}: memos");
    let throttled = entity::login_throttle::Entity::find()
        .filter(entity::login_throttle::Column::Failures.eq(1))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(throttled, FAILED_LOGINS as u64, "{backend}: throttle rows");
    let families = entity::token_family::Entity::find()
        .count(&db)
        .await
        .unwrap();
    assert_eq!(
        families,
        families_before + TOKEN_LOGINS as u64,
        "{backend}: token families"
    );
    let sessions = entity::session::Entity::find().count(&db).await.unwrap();
    assert_eq!(
        sessions,
        sessions_before + SESSION_LOGINS as u64,
        "{backend}: sessions"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_writes_all_succeed_on_every_backend() {
    for backend in service::testing::backends() {
        hundred_writes_at_once(backend).await;
    }
}
