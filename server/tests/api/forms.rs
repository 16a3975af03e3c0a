//! REST and server functions for forms: create, answer, results, CSV, and the walls between
//! companies.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, StatusCode};
use entity::Role;
use serde_json::{json, Value};
use service::Registration;

fn questions() -> Value {
    json!([
        {"kind": "short_text", "label": "이름", "required": true},
        {"kind": "single_choice", "label": "Team", "required": true, "options": ["Platform", "Data"]},
        {"kind": "multiple_choice", "label": "Tools", "required": false, "options": ["Rust", "SQL", "Excel"]},
        {"kind": "rating", "label": "Overall", "required": false}
    ])
}

#[tokio::test]
async fn forms_over_rest() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("root@a.test", Role::Admin).await;
    app.user("mentor@a.test", Role::Mentor).await;
    let mentee = app.user("mentee@a.test", Role::Mentee).await;
    let root = app.access_token("root@a.test").await;
    let mentor = app.access_token("mentor@a.test").await;
    let mentee_token = app.access_token("mentee@a.test").await;
    let send = |method: Method, uri: &str, token: &str, body: Value| {
        request(method, uri, Auth::Bearer(token))
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };

    // Another company and its admin.
    let acme = app
        .send(send(
            Method::POST,
            "/api/v1/companies",
            &root,
            json!({"name": "Acme"}),
        ))
        .await;
    assert_eq!(acme.status, StatusCode::CREATED, "{}", acme.body);
    let acme_id = acme.json()["id"].as_i64().unwrap();
    let made = app
        .send(send(
            Method::POST,
            "/api/v1/users",
            &root,
            json!({"email": "admin@acme.test", "name": "Acme Admin", "role": "admin", "password": PASSWORD, "company_id": acme_id}),
        ))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let acme_admin = app.access_token("admin@acme.test").await;

    let created = app
        .send(send(
            Method::POST,
            "/api/v1/forms",
            &mentor,
            json!({"title": "Week one", "questions": questions(), "recipient_ids": [mentee.id]}),
        ))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let form = created.json();
    let id = form["id"].as_i64().unwrap();
    assert_eq!(form["questions"].as_array().unwrap().len(), 4);
    assert!(form["questions"][0]["id"].as_i64().unwrap() > 0);
    assert_eq!(form["questions"][1]["options"], json!(["Platform", "Data"]));

    let invalid = app
        .send(send(
            Method::POST,
            "/api/v1/forms",
            &mentor,
            json!({"title": "", "questions": [{"kind": "single_choice", "label": "x", "required": false, "options": ["only"]}], "recipient_ids": [9999]}),
        ))
        .await;
    let problem = assert_problem(&invalid, 422, "invalid");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["title", "questions[0].options", "recipient_ids"]);
    // A question is an object, never an array serde would read field by field.
    let arrays = app
        .send(send(
            Method::POST,
            "/api/v1/forms",
            &mentor,
            json!({"title": "Week one", "questions": [["short_text", "Name", true, null]],
                   "recipient_ids": [mentee.id]}),
        ))
        .await;
    assert_problem(&arrays, 422, "invalid_body");
    assert_problem(
        &app.send(send(
            Method::POST,
            "/api/v1/forms",
            &mentee_token,
            json!({"title": "x", "questions": questions(), "recipient_ids": [mentee.id]}),
        ))
        .await,
        403,
        "forbidden",
    );

    // The mentee answers, fixes a mistake, answers again.
    let uri = format!("/api/v1/forms/{id}/responses");
    let bad = app
        .send(send(
            Method::POST,
            &uri,
            &mentee_token,
            json!({"answers": ["Mina", "Ops", null, 7]}),
        ))
        .await;
    let bad = assert_problem(&bad, 422, "invalid");
    assert_eq!(bad["errors"][0]["field"], "answers[1]");
    assert_eq!(bad["errors"][1]["field"], "answers[3]");
    let first = app
        .send(send(
            Method::POST,
            &uri,
            &mentee_token,
            json!({"answers": ["Mina", "Data", ["Rust"], 4]}),
        ))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = app
        .send(send(
            Method::POST,
            &uri,
            &mentee_token,
            json!({"answers": ["Mina, \"M\"", "Data", ["SQL", "Rust"], 5]}),
        ))
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let mine = app
        .get(&format!("/api/v1/forms/{id}"), Auth::Bearer(&mentee_token))
        .await;
    assert_eq!(mine.json()["my_response"]["answers"][3], 5);
    let inbox = app
        .get("/api/v1/forms?to_answer=true", Auth::Bearer(&mentee_token))
        .await;
    let inbox = inbox.json();
    assert_eq!(
        (inbox["total"].as_u64(), inbox["page"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(inbox["items"][0]["answered"], true);

    // The author reads who answered and exports CSV, also with a browser session.
    let results = app.get(&uri, Auth::Bearer(&mentor)).await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.body);
    assert_eq!(results.json()["recipients"][0]["answered"], true);
    let cookie = app.session("mentor@a.test").await;
    let csv = app.get(&format!("{uri}.csv"), Auth::Cookie(&cookie)).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    assert!(csv
        .header("content-disposition")
        .starts_with("attachment; filename=\"form-"));
    assert!(csv.body.starts_with('\u{feff}'), "byte-order mark");
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "name,email,submitted_at,이름,Team,Tools,Overall");
    assert!(
        lines[1].starts_with("mentee person,mentee@a.test,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with(",\"Mina, \"\"M\"\"\",Data,Rust; SQL,5"),
        "{}",
        lines[1]
    );
    assert_problem(
        &app.get(&format!("{uri}.csv"), Auth::Bearer(&mentee_token))
            .await,
        403,
        "forbidden",
    );

    // Another company sees nothing at all.
    for path in [
        format!("/api/v1/forms/{id}"),
        uri.clone(),
        format!("{uri}.csv"),
    ] {
        assert_problem(
            &app.get(&path, Auth::Bearer(&acme_admin)).await,
            404,
            "not-found",
        );
    }
    let acme_list = app.get("/api/v1/forms", Auth::Bearer(&acme_admin)).await;
    assert_eq!(acme_list.json()["total"], 0);

    // Closed: no more answers (409); the author may delete it.
    let closed = app
        .send(send(
            Method::PATCH,
            &format!("/api/v1/forms/{id}"),
            &mentor,
            json!({"closed": true}),
        ))
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert_eq!(closed.json()["closed"], true);
    assert_problem(
        &app.send(send(
            Method::POST,
            &uri,
            &mentee_token,
            json!({"answers": ["x", "Data", null, null]}),
        ))
        .await,
        409,
        "conflict",
    );
    let gone = app
        .send(send(
            Method::DELETE,
            &format!("/api/v1/forms/{id}"),
            &mentor,
            json!({}),
        ))
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    assert_problem(
        &app.get(&format!("/api/v1/forms/{id}"), Auth::Bearer(&mentor))
            .await,
        404,
        "not-found",
    );
    app.finish().await;
}

#[tokio::test]
async fn forms_pages_post_without_javascript() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("root@a.test", Role::Admin).await;
    app.user("mentor@a.test", Role::Mentor).await;
    let mentee = app.user("mentee@a.test", Role::Mentee).await;
    let mentor = app.session("mentor@a.test").await;
    let mentee_cookie = app.session("mentee@a.test").await;
    let recipient = mentee.id.to_string();

    let built = app
        .post_form(
            "/api/fn/create_form",
            Auth::Cookie(&mentor),
            &[
                ("draft[title]", "Check-in"),
                ("draft[description]", ""),
                ("draft[questions][0][kind]", "short_text"),
                ("draft[questions][0][label]", "Name"),
                ("draft[questions][0][required]", "true"),
                ("draft[questions][1][kind]", "multiple_choice"),
                ("draft[questions][1][label]", "Tools"),
                ("draft[questions][1][options]", "Rust\r\nSQL\r\n\r\nExcel"),
                ("draft[questions][2][kind]", "rating"),
                ("draft[questions][2][label]", "Overall"),
                ("draft[recipient_ids][]", &recipient),
                ("draft[mentorship_id]", ""),
            ],
        )
        .await;
    assert_eq!(built.status, StatusCode::FOUND, "{}", built.body);
    let location = built.header("location").to_owned();
    assert!(
        location.starts_with("/forms/") && location.ends_with("?done=created"),
        "{location}"
    );
    let id: i64 = location["/forms/".len()..location.find('?').unwrap()]
        .parse()
        .unwrap();

    let broken = app
        .post_form(
            "/api/fn/create_form",
            Auth::Cookie(&mentor),
            &[
                ("draft[title]", "No questions"),
                ("draft[recipient_ids][]", &recipient),
            ],
        )
        .await;
    assert_eq!(broken.status, StatusCode::FOUND, "{}", broken.body);
    // The whole draft and the error come back through the session, not the URL; once.
    assert_eq!(broken.header("location"), "/forms/new");
    let page = app.get("/forms/new", Auth::Cookie(&mentor)).await;
    assert!(
        page.body.contains(r#"value="No questions""#),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(r#"id="error-questions""#),
        "{}",
        page.body
    );
    let again = app.get("/forms/new", Auth::Cookie(&mentor)).await;
    assert!(
        !again.body.contains("No questions") && !again.body.contains(r#"id="error-questions""#)
    );

    // A builder button pressed without JavaScript revises the draft and brings it back.
    let revised = app
        .post_form(
            "/api/fn/create_form",
            Auth::Cookie(&mentor),
            &[
                ("draft[title]", "Two questions"),
                ("draft[questions][0][kind]", "short_text"),
                ("draft[questions][0][label]", "First"),
                ("revise", "add"),
            ],
        )
        .await;
    assert_eq!(revised.header("location"), "/forms/new#questions");
    let page = app.get("/forms/new", Auth::Cookie(&mentor)).await;
    assert!(
        page.body.contains(r#"name="draft[questions][1][label]""#),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(r#"value="First""#) && page.body.contains(r#"value="Two questions""#)
    );

    let form_id = id.to_string();
    let answered = app
        .post_form(
            "/api/fn/submit_answers",
            Auth::Cookie(&mentee_cookie),
            &[
                ("form_id", form_id.as_str()),
                ("q0", "Mina"),
                ("q1[]", "SQL"),
                ("q1[]", "Rust"),
                ("q2", "4"),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::FOUND, "{}", answered.body);
    assert_eq!(
        answered.header("location"),
        format!("/forms/{id}?done=answered")
    );
    let missing = app
        .post_form(
            "/api/fn/submit_answers",
            Auth::Cookie(&mentee_cookie),
            &[("form_id", form_id.as_str()), ("q0", ""), ("q2", "9")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::FOUND, "{}", missing.body);
    assert!(
        missing.header("location").contains("?e="),
        "{}",
        missing.header("location")
    );

    let tokens = app.tokens("mentee@a.test").await;
    let mine = app
        .get(
            &format!("/api/v1/forms/{id}"),
            Auth::Bearer(tokens["access_token"].as_str().unwrap()),
        )
        .await;
    assert_eq!(
        mine.json()["my_response"]["answers"],
        json!(["Mina", ["Rust", "SQL"], 4])
    );

    // The pages render for both sides.
    let page = app
        .get(&format!("/forms/{id}"), Auth::Cookie(&mentee_cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("name=\"q0\"") && page.body.contains("value=\"Mina\""),
        "{}",
        page.body
    );
    let results = app
        .get(&format!("/forms/{id}"), Auth::Cookie(&mentor))
        .await;
    assert!(results
        .body
        .contains(&format!("/api/v1/forms/{id}/responses.csv")));
    let list = app.get("/forms", Auth::Cookie(&mentor)).await;
    assert!(list.body.contains("Check-in"));
    assert!(
        list.body.contains("href=\"/forms/new\""),
        "the mentor may build forms"
    );
    let builder = app.get("/forms/new", Auth::Cookie(&mentor)).await;
    assert!(builder.body.contains("draft[questions][0][kind]"));
    // The builder shows only to whom the service gives an audience; a mentee is refused.
    let refused = app.get("/forms/new", Auth::Cookie(&mentee_cookie)).await;
    assert!(
        refused.body.contains("권한이 없습니다.") && !refused.body.contains("draft[title]"),
        "{}",
        refused.body
    );
    let list = app.get("/forms", Auth::Cookie(&mentee_cookie)).await;
    assert!(
        !list.body.contains("href=\"/forms/new\""),
        "no builder link"
    );
    app.finish().await;
}
