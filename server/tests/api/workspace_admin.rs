//! `/api/v1/admin/workspaces` over HTTP: admins see their people's workspaces with owner, size
//! and JupyterLab state (and nothing of their files), others get 403, and an admin's stop of a
//! JupyterLab answers with the row.

use axum::http::{Method, StatusCode};
use entity::Role;
use serde_json::json;
use service::Registration;

use crate::common::{assert_problem, TestApp};

#[tokio::test]
async fn admins_list_workspaces_and_stop_a_jupyterlab() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@x.test", Role::Admin).await;
    app.user("me@x.test", Role::Mentee).await;
    let admin = app.access_token("admin@x.test").await;
    let me = app.access_token("me@x.test").await;
    let made = app
        .call(
            Method::POST,
            "/api/v1/workspaces",
            &me,
            Some(json!({"name": "매출"})),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = made.json()["id"].as_i64().unwrap();

    assert_problem(
        &app.call(Method::GET, "/api/v1/admin/workspaces", &me, None)
            .await,
        403,
        "forbidden",
    );
    let list = app
        .call(
            Method::GET,
            "/api/v1/admin/workspaces?per_page=10",
            &admin,
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let list = list.json();
    assert_eq!(list["total"], 1);
    assert_eq!(
        list["totals"],
        json!({"workspaces": 1, "jupyter_active": 0})
    );
    let row = &list["items"][0];
    for (field, value) in [
        ("id", json!(id)),
        ("name", json!("매출")),
        ("owner_email", json!("me@x.test")),
        ("jupyter", json!("stopped")),
    ] {
        assert_eq!(row[field], value, "{field} in {row}");
    }
    assert!(row["size_bytes"].as_u64().unwrap() > 0, "{row}");
    assert!(row.get("entries").is_none() && row.get("path").is_none());

    let stop = format!("/api/v1/admin/workspaces/{id}/jupyter/stop");
    assert_problem(
        &app.call(Method::POST, &stop, &me, None).await,
        403,
        "forbidden",
    );
    let stopped = app.call(Method::POST, &stop, &admin, None).await;
    assert_eq!(stopped.status, StatusCode::OK, "{}", stopped.body);
    assert_eq!(stopped.json()["jupyter"], "stopped");
    assert_problem(
        &app.call(
            Method::POST,
            "/api/v1/admin/workspaces/999999/jupyter/stop",
            &admin,
            None,
        )
        .await,
        404,
        "not-found",
    );
}
