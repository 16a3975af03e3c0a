//! REST for companies and departments: pagination, scoping by company, problem+json errors.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, StatusCode};
use entity::Role;
use serde_json::json;
use service::Registration;

impl TestApp {
    async fn send_json(
        &self,
        method: Method,
        uri: &str,
        token: &str,
        body: serde_json::Value,
    ) -> Reply {
        self.send(
            request(method, uri, Auth::Bearer(token))
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    async fn delete(&self, uri: &str, token: &str) -> Reply {
        self.send(
            request(Method::DELETE, uri, Auth::Bearer(token))
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    async fn bearer(&self, email: &str) -> String {
        self.tokens(email).await["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

#[tokio::test]
async fn companies_and_departments_over_rest() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("root@example.com", Role::Admin).await; // the first admin: platform admin
    let root = app.bearer("root@example.com").await;

    let acme = app
        .post_json(
            "/api/v1/companies",
            Auth::Bearer(&root),
            json!({"name": "Acme", "description": "Widgets"}),
        )
        .await;
    assert_eq!(acme.status, StatusCode::CREATED, "{}", acme.body);
    let acme = acme.json();
    let acme_id = acme["id"].as_i64().unwrap();
    assert_eq!(acme["name"], "Acme");

    let admin = app
        .post_json(
            "/api/v1/users",
            Auth::Bearer(&root),
            json!({"email": "admin@acme.test", "name": "Acme Admin", "role": "admin", "password": PASSWORD, "company_id": acme_id}),
        )
        .await;
    assert_eq!(admin.status, StatusCode::CREATED, "{}", admin.body);
    assert_eq!(admin.json()["company_id"], acme_id);
    let acme_admin = app.bearer("admin@acme.test").await;

    // The company admin sees one company; the platform admin pages through two.
    let own = app
        .get("/api/v1/companies", Auth::Bearer(&acme_admin))
        .await
        .json();
    assert_eq!(
        (own["total"].as_u64(), own["items"][0]["id"].as_i64()),
        (Some(1), Some(acme_id))
    );
    let page = app
        .get("/api/v1/companies?page=2&per_page=1", Auth::Bearer(&root))
        .await
        .json();
    assert_eq!(
        (
            page["total"].as_u64(),
            page["page"].as_u64(),
            page["per_page"].as_u64()
        ),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    // Out of range is refused, not clamped (#10: bounded as it is parsed).
    let refused = assert_problem(
        &app.get("/api/v1/companies?per_page=1000", Auth::Bearer(&root))
            .await,
        422,
        "invalid",
    );
    assert_eq!(refused["errors"][0]["field"], "per_page");
    assert_problem(
        &app.get("/api/v1/companies?page=abc", Auth::Bearer(&root))
            .await,
        400,
        "invalid_query",
    );
    assert_problem(
        &app.get("/api/v1/companies/abc", Auth::Bearer(&root)).await,
        404,
        "not-found",
    );
    assert_problem(
        &app.get("/api/v1/companies", Auth::None).await,
        401,
        "sign_in_required",
    );

    let dept = app
        .post_json(
            "/api/v1/departments",
            Auth::Bearer(&acme_admin),
            json!({"name": "Engineering"}),
        )
        .await;
    assert_eq!(dept.status, StatusCode::CREATED, "{}", dept.body);
    let dept = dept.json();
    assert_eq!(dept["company_id"], acme_id);
    let dept_id = dept["id"].as_i64().unwrap();
    let dup = app
        .post_json(
            "/api/v1/departments",
            Auth::Bearer(&acme_admin),
            json!({"name": "Engineering"}),
        )
        .await;
    assert_eq!(
        assert_problem(&dup, 409, "conflict")["errors"][0]["field"],
        "name"
    );
    let empty = app
        .post_json(
            "/api/v1/departments",
            Auth::Bearer(&acme_admin),
            json!({"name": " "}),
        )
        .await;
    assert_eq!(
        assert_problem(&empty, 422, "invalid")["errors"][0]["code"],
        "required"
    );

    let renamed = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/departments/{dept_id}"),
            &acme_admin,
            json!({"name": "Platform"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(renamed.json()["name"], "Platform");
    let listed = app
        .get("/api/v1/departments", Auth::Bearer(&acme_admin))
        .await
        .json();
    assert_eq!(listed["items"][0]["name"], "Platform");

    // Another company's admin sees none of it.
    let other = app
        .post_json(
            "/api/v1/users",
            Auth::Bearer(&root),
            json!({"email": "admin@other.test", "name": "Other", "role": "admin", "password": PASSWORD}),
        )
        .await;
    assert_eq!(other.status, StatusCode::CREATED, "{}", other.body);
    let other = app.bearer("admin@other.test").await;
    assert_problem(
        &app.get(
            &format!("/api/v1/departments/{dept_id}"),
            Auth::Bearer(&other),
        )
        .await,
        404,
        "not-found",
    );
    assert_problem(
        &app.get(
            &format!("/api/v1/companies/{acme_id}"),
            Auth::Bearer(&other),
        )
        .await,
        404,
        "not-found",
    );
    assert_problem(
        &app.delete(&format!("/api/v1/departments/{dept_id}"), &other)
            .await,
        404,
        "not-found",
    );

    // A department with people in it stays; an empty one goes.
    let placed = app
        .post_json(
            "/api/v1/users",
            Auth::Bearer(&acme_admin),
            json!({"email": "dev@acme.test", "name": "Dev", "role": "mentee", "password": PASSWORD, "department_id": dept_id}),
        )
        .await;
    assert_eq!(placed.json()["department_id"], dept_id);
    assert_problem(
        &app.delete(&format!("/api/v1/departments/{dept_id}"), &acme_admin)
            .await,
        409,
        "conflict",
    );
    let sales = app
        .post_json(
            "/api/v1/departments",
            Auth::Bearer(&acme_admin),
            json!({"name": "Sales"}),
        )
        .await
        .json();
    let gone = app
        .delete(&format!("/api/v1/departments/{}", sales["id"]), &acme_admin)
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_problem(
        &app.delete(&format!("/api/v1/companies/{acme_id}"), &acme_admin)
            .await,
        403,
        "forbidden",
    );
    assert_problem(
        &app.delete(&format!("/api/v1/companies/{acme_id}"), &root)
            .await,
        409,
        "conflict",
    );
    app.finish().await;
}

#[tokio::test]
async fn names_are_clean_text_in_json_objects() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("root@example.com", Role::Admin).await;
    let root = app.bearer("root@example.com").await;

    let r = app
        .send(
            request(Method::POST, "/api/v1/departments", Auth::Bearer(&root))
                .header("content-type", "application/json")
                .body(Body::from(r#"["Sales", "Selling things"]"#))
                .unwrap(),
        )
        .await;
    assert_problem(&r, 422, "invalid_body");
    for name in ["Sales\u{0}", "\u{7}Sales", "Sa\u{85}les", "Sales\nTeam"] {
        let r = app
            .send_json(
                Method::POST,
                "/api/v1/departments",
                &root,
                json!({ "name": name }),
            )
            .await;
        let problem = assert_problem(&r, 422, "invalid");
        assert_eq!(problem["errors"][0]["field"], "name", "{name:?}");
        assert_eq!(problem["errors"][0]["code"], "control_characters");
    }
    let sales = app
        .send_json(
            Method::POST,
            "/api/v1/departments",
            &root,
            json!({"name": "Sales", "description": "Line one\nLine two"}),
        )
        .await;
    assert_eq!(sales.status, StatusCode::CREATED, "{}", sales.body);
    let id = sales.json()["id"].as_i64().unwrap();
    let r = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/departments/{id}"),
            &root,
            json!({"description": "Bell\u{7}"}),
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, "invalid")["errors"][0]["field"],
        "description"
    );

    let r = app
        .send_json(
            Method::POST,
            "/api/v1/users",
            &root,
            json!({"email": "kim@example.com", "name": "Kim\u{0}", "role": "mentee",
                   "password": "a long enough password"}),
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, "invalid")["errors"][0]["field"],
        "name"
    );
    let r = app
        .send_json(
            Method::POST,
            "/api/v1/users",
            &root,
            json!({"email": "kim\u{0}@example.com", "name": "Kim", "role": "mentee",
                   "password": "a long enough password"}),
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, "invalid")["errors"][0]["field"],
        "email"
    );
    app.finish().await;
}
