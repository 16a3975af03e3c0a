//! REST for curricula and their tasks.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, StatusCode};
use entity::Role;
use serde_json::json;
use service::Registration;

#[tokio::test]
async fn curricula_over_rest() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@example.com", Role::Admin).await;
    app.user("mentee@example.com", Role::Mentee).await;
    let admin = app.tokens("admin@example.com").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mentee = app.tokens("mentee@example.com").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let send = |method: Method, uri: &str, token: &str, body: serde_json::Value| {
        request(method, uri, Auth::Bearer(token))
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };

    let created = app
        .send(send(
            Method::POST,
            "/api/v1/curricula",
            &admin,
            json!({"title": "Onboarding", "description": "Hello *team*"}),
        ))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let refused = app
        .send(send(
            Method::POST,
            "/api/v1/curricula",
            &mentee,
            json!({"title": "Mine"}),
        ))
        .await;
    assert_problem(&refused, 403, "forbidden");

    let tasks_uri = format!("/api/v1/curricula/{id}/tasks");
    let mut ids = Vec::new();
    for (title, week) in [("Laptop", 1), ("Tour", 1), ("First PR", 2)] {
        let t = app
            .send(send(
                Method::POST,
                &tasks_uri,
                &admin,
                json!({"title": title, "week": week, "expected_days": 2}),
            ))
            .await;
        assert_eq!(t.status, StatusCode::CREATED, "{}", t.body);
        ids.push(t.json()["id"].as_i64().unwrap());
    }
    let bad = app
        .send(send(
            Method::POST,
            &tasks_uri,
            &admin,
            json!({"title": "x"}),
        ))
        .await;
    let bad = assert_problem(&bad, 422, "invalid");
    assert_eq!(
        bad["errors"].as_array().unwrap().len(),
        2,
        "week and expected_days"
    );

    let order = app
        .send(send(
            Method::PUT,
            &format!("{tasks_uri}/order"),
            &admin,
            json!({"task_ids": [ids[1], ids[0], ids[2]]}),
        ))
        .await;
    assert_eq!(order.status, StatusCode::OK, "{}", order.body);
    let view = app
        .get(&format!("/api/v1/curricula/{id}"), Auth::Bearer(&mentee))
        .await
        .json();
    let titles: Vec<&str> = view["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Tour", "Laptop", "First PR"]);
    assert_eq!(view["description_html"], "<p>Hello <em>team</em></p>\n");
    assert_eq!(
        view["title"], "Onboarding",
        "the curriculum's own fields sit at the top level"
    );

    let edited = app
        .send(send(
            Method::PATCH,
            &format!("{tasks_uri}/{}", ids[2]),
            &admin,
            json!({"expected_days": 5}),
        ))
        .await;
    assert_eq!(edited.json()["expected_days"], 5);
    let copy = app
        .send(
            request(
                Method::POST,
                &format!("/api/v1/curricula/{id}/copy"),
                Auth::Bearer(&admin),
            )
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(copy.status, StatusCode::CREATED, "{}", copy.body);
    assert_eq!(copy.json()["title"], "Onboarding (copy)");
    let gone = app
        .send(
            request(
                Method::DELETE,
                &format!("{tasks_uri}/{}", ids[0]),
                Auth::Bearer(&admin),
            )
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_problem(
        &app.get("/api/v1/curricula/99999", Auth::Bearer(&admin))
            .await,
        404,
        "not-found",
    );
    let list = app
        .get("/api/v1/curricula", Auth::Bearer(&mentee))
        .await
        .json();
    assert_eq!(list["total"], 2);
    // What each caller may do travels with the records, as the service decides it.
    assert_eq!(list["can_create"], false, "a mentee adds no curricula");
    let admins = app
        .get("/api/v1/curricula", Auth::Bearer(&admin))
        .await
        .json();
    assert_eq!(admins["can_create"], true);
    let one = format!("/api/v1/curricula/{id}");
    for (token, may) in [(&mentee, false), (&admin, true)] {
        let c = app.get(&one, Auth::Bearer(token)).await.json();
        for can in ["can_edit", "can_delete", "can_copy"] {
            assert_eq!(c[can], may, "{can}: {c}");
        }
    }
    app.finish().await;
}

#[tokio::test]
async fn bodies_are_json_objects_and_text_has_no_control_characters() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@example.com", Role::Admin).await;
    let admin = app.tokens("admin@example.com").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let post = |uri: &str, content_type: &str, body: &str| {
        request(Method::POST, uri, Auth::Bearer(&admin))
            .header("content-type", content_type)
            .body(Body::from(body.to_owned()))
            .unwrap()
    };

    // serde would fill `{title, description, is_template}` from an array.
    let r = app
        .send(post(
            "/api/v1/curricula",
            "application/json",
            r#"["Onboarding", "x", true]"#,
        ))
        .await;
    assert_problem(&r, 422, "invalid_body");
    let r = app
        .send(post(
            "/api/v1/curricula",
            "application/json",
            r#"["Onboarding"]"#,
        ))
        .await;
    assert_problem(&r, 422, "invalid_body");
    for title in ["On\u{0}boarding", "On\u{1b}[31mboarding", "On\nboarding"] {
        let body = json!({ "title": title }).to_string();
        let r = app
            .send(post("/api/v1/curricula", "application/json", &body))
            .await;
        let problem = assert_problem(&r, 422, "invalid");
        assert_eq!(problem["errors"][0]["field"], "title", "{title:?}");
        assert_eq!(problem["errors"][0]["code"], "control_characters");
    }
    let body = json!({"title": "Onboarding", "description": "Line one\n\tLine two\r\n"});
    let created = app
        .send(post(
            "/api/v1/curricula",
            "application/json",
            &body.to_string(),
        ))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let body = json!({"title": "Step", "description": "a\u{0}b", "week": 1, "expected_days": 1});
    let r = app
        .send(post(
            &format!("/api/v1/curricula/{id}/tasks"),
            "application/json",
            &body.to_string(),
        ))
        .await;
    let problem = assert_problem(&r, 422, "invalid");
    assert_eq!(problem["errors"][0]["field"], "description");

    // The copy's body is optional, but when there is one it is a JSON object.
    let copy = format!("/api/v1/curricula/{id}/copy");
    let r = app
        .send(post(&copy, "text/plain", r#"{"title": "Second"}"#))
        .await;
    assert_problem(&r, 415, "unsupported_media_type");
    let r = app
        .send(post(&copy, "application/json", r#"["Second"]"#))
        .await;
    assert_problem(&r, 422, "invalid_body");
    let r = app.send(post(&copy, "application/json", "{")).await;
    assert_problem(&r, 400, "malformed_json");
    let r = app
        .send(post(
            &copy,
            "application/json",
            r#"{"title": "Sec\u0000ond"}"#,
        ))
        .await;
    assert_problem(&r, 422, "invalid");
    let r = app
        .send(post(&copy, "application/json", r#"{"title": "Second"}"#))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["title"], "Second");
    let r = app
        .send(post(&copy, "application/json", r#"{"title": ""}"#))
        .await;
    assert_eq!(
        r.json()["title"],
        "Onboarding (copy)",
        "empty means the default"
    );

    // A title at the limit still copies: the default title is shortened to fit.
    let long = "가".repeat(service::curricula::TITLE_MAX);
    let patched = app
        .send(
            request(
                Method::PATCH,
                &format!("/api/v1/curricula/{id}"),
                Auth::Bearer(&admin),
            )
            .header("content-type", "application/json")
            .body(Body::from(json!({ "title": long }).to_string()))
            .unwrap(),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    let r = app
        .send(
            request(Method::POST, &copy, Auth::Bearer(&admin))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let title = r.json()["title"].as_str().unwrap().to_owned();
    assert!(title.ends_with(" (copy)") && title.chars().count() == service::curricula::TITLE_MAX);
    app.finish().await;
}
