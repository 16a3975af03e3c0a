//! REST for people: list with search, filters, sorting and pages; edit; deactivate; reset.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, StatusCode};
use entity::Role;
use serde_json::json;
use service::Registration;

#[tokio::test]
async fn admins_find_edit_deactivate_and_reset_people() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("root@example.com", Role::Admin).await;
    let kim = app.user("kim@example.com", Role::Mentor).await;
    app.user("lee@example.com", Role::Mentee).await;
    let root = app.tokens("root@example.com").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let kim_token = app.tokens("kim@example.com").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let page = app
        .get("/api/v1/users?q=KIM&per_page=10", Auth::Bearer(&root))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let page = page.json();
    assert_eq!(
        (page["total"].as_u64(), page["per_page"].as_u64()),
        (Some(1), Some(10))
    );
    assert_eq!(page["items"][0]["email"], "kim@example.com");
    let mentees = app
        .get(
            "/api/v1/users?role=mentee&active=true&sort=-email",
            Auth::Bearer(&root),
        )
        .await
        .json();
    assert_eq!(mentees["items"].as_array().unwrap().len(), 1);
    // A role is read by the one role parser: the same field error as everywhere else.
    let wrong = assert_problem(
        &app.get("/api/v1/users?role=boss", Auth::Bearer(&root))
            .await,
        422,
        "invalid",
    );
    assert_eq!(wrong["errors"][0]["field"], "role");
    assert_eq!(wrong["errors"][0]["code"], "invalid_role");
    assert_problem(
        &app.get("/api/v1/users?sort=password", Auth::Bearer(&root))
            .await,
        422,
        "invalid",
    );
    assert_problem(
        &app.get("/api/v1/users", Auth::Bearer(&kim_token)).await,
        403,
        "forbidden",
    );

    let patch = |body: serde_json::Value| {
        request(
            Method::PATCH,
            &format!("/api/v1/users/{}", kim.id),
            Auth::Bearer(&root),
        )
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
    };
    let renamed = app.send(patch(json!({"name": "Kim Mentor"}))).await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(renamed.json()["role"], "mentor", "absent fields stay");
    // The rename did not end Kim's sessions; deactivation does.
    assert_eq!(
        app.get("/api/v1/auth/me", Auth::Bearer(&kim_token))
            .await
            .status,
        StatusCode::OK
    );
    let off = app.send(patch(json!({"is_active": false}))).await.json();
    assert_eq!(off["is_active"], false);
    assert_problem(
        &app.get("/api/v1/auth/me", Auth::Bearer(&kim_token)).await,
        401,
        "token_revoked",
    );
    let login = app
        .post_json(
            "/api/v1/auth/login",
            Auth::None,
            json!({"email": "kim@example.com", "password": PASSWORD}),
        )
        .await;
    assert_problem(&login, 401, "account_disabled");
    app.send(patch(json!({"is_active": true}))).await;

    let reset = app
        .send(
            request(
                Method::POST,
                &format!("/api/v1/users/{}/reset-password", kim.id),
                Auth::Bearer(&root),
            )
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    let temporary = reset.json()["temporary_password"]
        .as_str()
        .unwrap()
        .to_owned();
    let login = app
        .post_json(
            "/api/v1/auth/login",
            Auth::None,
            json!({"email": "kim@example.com", "password": temporary}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    let me = app
        .get(
            "/api/v1/auth/me",
            Auth::Bearer(login.json()["access_token"].as_str().unwrap()),
        )
        .await
        .json();
    assert_eq!(me["must_change_password"], true);

    assert_problem(
        &app.get("/api/v1/users/999999", Auth::Bearer(&root)).await,
        404,
        "not-found",
    );
    let bad = app.send(patch(json!({"name": ""}))).await;
    assert_eq!(
        assert_problem(&bad, 422, "invalid")["errors"][0]["field"],
        "name"
    );
    app.finish().await;
}

#[tokio::test]
async fn csv_import_previews_then_imports_all_or_nothing() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("root@example.com", Role::Admin).await;
    let root = app.tokens("root@example.com").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let post = |uri: &str, ct: &'static str, body: &'static str| {
        request(Method::POST, uri, Auth::Bearer(&root))
            .header("content-type", ct)
            .body(Body::from(body))
            .unwrap()
    };
    let bad = "email,name,role\nkim@example.com,Kim,mentor\nnope,Lee,mentee\n";
    let preview = app
        .send(post("/api/v1/users/import", "text/csv", bad))
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let preview = preview.json();
    assert_eq!(preview["valid"], false);
    assert_eq!(preview["rows"][1]["errors"][0]["code"], "invalid_email");
    let refused = app
        .send(post("/api/v1/users/import?commit=true", "text/csv", bad))
        .await;
    assert_eq!(
        assert_problem(&refused, 422, "invalid")["errors"][0]["field"],
        "line 3: email"
    );
    assert_eq!(
        app.get("/api/v1/users", Auth::Bearer(&root)).await.json()["total"],
        1,
        "nothing written"
    );

    let good = "email,name,role\nkim@example.com,Kim,mentor\nlee@example.com,Lee,mentee\n";
    let done = app
        .send(post(
            "/api/v1/users/import?commit=true",
            "text/csv; charset=utf-8",
            good,
        ))
        .await
        .json();
    assert_eq!(done["created"].as_array().unwrap().len(), 2);
    assert!(
        done["created"][0]["temporary_password"]
            .as_str()
            .unwrap()
            .len()
            >= 16
    );
    assert_eq!(
        app.get("/api/v1/users", Auth::Bearer(&root)).await.json()["total"],
        3
    );
    assert_problem(
        &app.send(post("/api/v1/users/import", "application/json", "{}"))
            .await,
        415,
        "unsupported_media_type",
    );

    // The page's file door: the same import from a multipart upload (Excel's byte-order mark
    // dropped); the result waits in the session for the page, never in the URL.
    let cookie = app.session("root@example.com").await;
    let upload = |file: &[u8], commit: &str| {
        let boundary = "nuri-test-boundary";
        let mut body = format!("--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\ncontent-type: text/csv\r\n\r\n").into_bytes();
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}\r\ncontent-disposition: form-data; name=\"commit_file\"\r\n\r\n{commit}\r\n--{boundary}--\r\n").as_bytes());
        request(
            Method::POST,
            "/api/fn/import_users_file",
            Auth::Cookie(&cookie),
        )
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("accept", "text/html")
        .header("origin", format!("http://{HOST}"))
        .body(Body::from(body))
        .unwrap()
    };
    let sent = app
        .send(upload(
            "\u{feff}email,name,role\npark@example.com,박서준,mentee\n".as_bytes(),
            "true",
        ))
        .await;
    assert_eq!(sent.status, StatusCode::FOUND, "{}", sent.body);
    assert_eq!(sent.header("location"), "/admin/users/import?done=1");
    let page = app
        .get("/admin/users/import?done=1", Auth::Cookie(&cookie))
        .await;
    assert!(
        page.body.contains("park@example.com") && page.body.contains("박서준"),
        "{}",
        page.body
    );
    assert_eq!(
        app.get("/api/v1/users", Auth::Bearer(&root)).await.json()["total"],
        4
    );
    // Excel's plain "CSV" on Korean Windows is CP949: refused with what to do, nothing written.
    let sent = app
        .send(upload(
            b"email,name,role\nchoi@example.com,\xC3\xD6,mentee\n",
            "true",
        ))
        .await;
    assert_eq!(sent.status, StatusCode::FOUND, "{}", sent.body);
    let page = app
        .get("/admin/users/import?done=1", Auth::Cookie(&cookie))
        .await;
    assert!(page.body.contains("CSV UTF-8"), "{}", page.body);
    assert_eq!(
        app.get("/api/v1/users", Auth::Bearer(&root)).await.json()["total"],
        4
    );
    app.finish().await;
}

/// One parser for roles: REST and the server functions refuse a wrong one with the same field
/// error, and the server function no longer ignores it.
#[tokio::test]
async fn a_wrong_role_is_refused_alike_by_rest_and_the_server_functions() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("root@example.com", Role::Admin).await;
    let kim = app.user("kim@example.com", Role::Mentor).await;
    let root = app.tokens("root@example.com").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let rest = app
        .post_json(
            "/api/v1/users",
            Auth::Bearer(&root),
            json!({"email": "new@example.com", "name": "New", "role": "boss", "password": PASSWORD}),
        )
        .await;
    let rest = assert_problem(&rest, 422, "invalid");
    assert_eq!(rest["errors"][0]["field"], "role");
    assert_eq!(rest["errors"][0]["code"], "invalid_role");

    let cookie = app.session("root@example.com").await;
    // The people page's edit dialog: name, role and department in one server fn.
    let set_role = |role: &str| {
        request(Method::POST, "/api/fn/update_user", Auth::Cookie(&cookie))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("origin", format!("http://{HOST}"))
            .body(Body::from(format!(
                "id={}&name=Kim&role={role}&department_id=",
                kim.id
            )))
            .unwrap()
    };
    let by_fn = app.send(set_role("boss")).await;
    assert_eq!(
        by_fn.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        by_fn.body
    );
    assert_eq!(
        by_fn.json()["fields"],
        rest["errors"],
        "the same field error"
    );
    let kim_now = app
        .get(&format!("/api/v1/users/{}", kim.id), Auth::Bearer(&root))
        .await
        .json();
    assert_eq!(kim_now["role"], "mentor", "nothing changed");
    let patched = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{}", kim.id),
            &root,
            Some(json!({"role": "boss"})),
        )
        .await;
    let patched = assert_problem(&patched, 422, "invalid");
    assert_eq!(patched["errors"], rest["errors"], "PATCH says the same");

    let no_js = app
        .post_form(
            "/api/fn/update_user",
            Auth::Cookie(&cookie),
            &[
                ("id", &kim.id.to_string()),
                ("name", "Kim"),
                ("role", "boss"),
            ],
        )
        .await;
    assert!(
        no_js.header("location").starts_with("/admin/users?e="),
        "without JavaScript the error goes back to the page: {}",
        no_js.header("location")
    );
    let promoted = app.send(set_role("admin")).await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    assert_eq!(promoted.json()["role"], "admin");
    app.finish().await;
}
