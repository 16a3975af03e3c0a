//! The file browser's folder picker and selection over HTTP: `GET folders`, `POST files/delete`
//! and `files/move-many` with a result per path and problem+json refusals, and the page's plain
//! forms (no JavaScript) for moving into a chosen folder, renaming and acting on a selection.

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use entity::Role;
use serde_json::{json, Value};
use service::Registration;

use crate::common::{assert_problem, request, Auth, TestApp};

async fn put(app: &TestApp, token: &str, uri: &str, bytes: &'static [u8]) {
    let r = app
        .send(
            request(Method::PUT, uri, Auth::Bearer(token))
                .header(header::CONTENT_LENGTH, bytes.len())
                .body(Body::from(bytes))
                .unwrap(),
        )
        .await;
    assert!(r.status.is_success(), "{uri}: {}", r.body);
}

/// A workspace of `email`'s with `data/a.csv`, `data/b.csv`, `data/c.csv` and `outputs/b.csv`.
async fn workspace(app: &TestApp, token: &str) -> i64 {
    let r = app
        .call(
            Method::POST,
            "/api/v1/workspaces",
            token,
            Some(json!({"name": "Picker"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    for path in ["data/a.csv", "data/b.csv", "data/c.csv", "outputs/b.csv"] {
        put(
            app,
            token,
            &format!("/api/v1/workspaces/{id}/files/content?path={path}"),
            b"x,y\n1,2\n",
        )
        .await;
    }
    id
}

fn pairs(list: &Value, a: &str, b: &str) -> Vec<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v[a].as_str().unwrap().to_owned(),
                v[b].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn field_error(p: &Value) -> (&str, &str) {
    (
        p["errors"][0]["field"].as_str().unwrap_or_default(),
        p["errors"][0]["code"].as_str().unwrap_or_default(),
    )
}

#[tokio::test]
async fn folders_and_selections_over_rest() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@x.test", Role::Admin).await;
    app.user("me@x.test", Role::Mentee).await;
    app.user("you@x.test", Role::Mentee).await;
    let me = app.access_token("me@x.test").await;
    let you = app.access_token("you@x.test").await;
    let id = workspace(&app, &me).await;
    let base = format!("/api/v1/workspaces/{id}");
    let r = app
        .call(
            Method::POST,
            &format!("{base}/folders"),
            &me,
            Some(json!({"path": "data/raw"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let r = app
        .call(Method::GET, &format!("{base}/folders"), &me, None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"folders": ["", "data", "data/raw", "notebooks", "outputs"], "truncated": false})
    );

    // Into outputs: a goes; b is there already (kept, reported); gone.csv never was.
    let r = app
        .call(
            Method::POST,
            &format!("{base}/files/move-many"),
            &me,
            Some(json!({"paths": ["data/a.csv", "data/b.csv", "data/gone.csv"], "to": "outputs"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let moved = r.json();
    assert_eq!(
        pairs(&moved["moved"], "from", "to"),
        [("data/a.csv".to_owned(), "outputs/a.csv".to_owned())]
    );
    assert_eq!(
        pairs(&moved["failed"], "path", "code"),
        [
            ("data/b.csv".to_owned(), "exists".to_owned()),
            ("data/gone.csv".to_owned(), "not_found".to_owned())
        ]
    );
    assert!(moved["failed"][0]["error"]
        .as_str()
        .is_some_and(|e| !e.is_empty()));

    // Refused whole, as problem+json naming the path by its place.
    for (body, field, code) in [
        (
            json!({"paths": ["data/c.csv", "data/raw"], "to": "data/raw"}),
            "paths[1]",
            "into_itself",
        ),
        (
            json!({"paths": ["../etc"], "to": "outputs"}),
            "paths[0]",
            "path_outside",
        ),
        (
            json!({"paths": ["data/c.csv"], "to": "/etc"}),
            "to",
            "path_outside",
        ),
        (
            json!({"paths": ["data/c.csv"], "to": "data"}),
            "paths[0]",
            "already_there",
        ),
    ] {
        let r = app
            .call(
                Method::POST,
                &format!("{base}/files/move-many"),
                &me,
                Some(body.clone()),
            )
            .await;
        let p = assert_problem(&r, 422, "invalid");
        assert_eq!(field_error(&p), (field, code), "{body}");
    }
    let r = app
        .call(
            Method::POST,
            &format!("{base}/files/move-many"),
            &me,
            Some(json!({"paths": ["data/c.csv"], "to": "nowhere"})),
        )
        .await;
    assert_problem(&r, 404, "not-found");

    // Delete: what is there goes, what is not is said.
    let r = app
        .call(
            Method::POST,
            &format!("{base}/files/delete"),
            &me,
            Some(json!({"paths": ["outputs/a.csv", "data/raw", "data/gone.csv"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let deleted = r.json();
    assert_eq!(deleted["deleted"], json!(["outputs/a.csv", "data/raw"]));
    assert_eq!(
        pairs(&deleted["failed"], "path", "code"),
        [("data/gone.csv".to_owned(), "not_found".to_owned())]
    );
    for (body, field, code) in [
        (json!({"paths": []}), "paths", "none_chosen"),
        (
            json!({"paths": ["data/c.csv", "data\\x"]}),
            "paths[1]",
            "invalid_path",
        ),
        (
            json!({"paths": ["data", "data/c.csv"]}),
            "paths[1]",
            "overlapping",
        ),
    ] {
        let r = app
            .call(
                Method::POST,
                &format!("{base}/files/delete"),
                &me,
                Some(body.clone()),
            )
            .await;
        let p = assert_problem(&r, 422, "invalid");
        assert_eq!(field_error(&p), (field, code), "{body}");
    }
    let listing = app
        .call(Method::GET, &format!("{base}/files?path=data"), &me, None)
        .await
        .json();
    assert_eq!(
        listing["entries"].as_array().unwrap().len(),
        3,
        "b.csv, c.csv and sales.csv are untouched: {listing}"
    );

    // Someone else's workspace does not exist for them, whatever the door.
    for (method, uri, body) in [
        (Method::GET, format!("{base}/folders"), None),
        (
            Method::POST,
            format!("{base}/files/delete"),
            Some(json!({"paths": ["data/c.csv"]})),
        ),
        (
            Method::POST,
            format!("{base}/files/move-many"),
            Some(json!({"paths": ["data/c.csv"], "to": "outputs"})),
        ),
    ] {
        let r = app.call(method, &uri, &you, body).await;
        assert_problem(&r, 404, "not-found");
    }
    app.finish().await;
}

#[tokio::test]
async fn the_picker_and_the_selection_work_without_javascript() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@x.test", Role::Admin).await;
    app.user("me@x.test", Role::Mentee).await;
    let me = app.access_token("me@x.test").await;
    let cookie = app.session("me@x.test").await;
    let id = workspace(&app, &me).await;
    let ids = id.to_string();
    let page = format!("/workspaces/{id}");

    // The page offers the folders, and a checkbox per row joined to the selection form.
    let r = app
        .get(&format!("{page}?path=data"), Auth::Cookie(&cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(r#"id="file-selection""#),
        "the selection form"
    );
    assert!(
        r.body
            .contains(r#"form="file-selection" name="paths[]" value="data/a.csv""#),
        "a row's checkbox"
    );
    assert!(
        r.body.contains(r#"<option value="outputs""#),
        "the folders to move to"
    );

    // Move one into a folder chosen from the list: back to its folder.
    let r = app
        .post_form(
            "/api/fn/move_into_folder",
            Auth::Cookie(&cookie),
            &[("id", &ids), ("from", "data/a.csv"), ("to", "notebooks")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert_eq!(r.header("location"), format!("{page}?path=data"));

    // A name clash: back to the open picker, the folder still chosen, the reason shown.
    let r = app
        .post_form(
            "/api/fn/move_into_folder",
            Auth::Cookie(&cookie),
            &[("id", &ids), ("from", "data/b.csv"), ("to", "outputs")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    let back = r.header("location").to_owned();
    assert!(
        back.starts_with(&format!("{page}?e="))
            && back.contains("move=data%2Fb.csv")
            && back.ends_with("to=outputs"),
        "{back}"
    );
    let r = app.get(&back, Auth::Cookie(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(r#"data-testid="move-panel""#),
        "the panel is open"
    );
    let chosen = r
        .body
        .find(r#"<option value="outputs""#)
        .expect("outputs offered");
    assert!(
        r.body[chosen..chosen + 60].contains("selected"),
        "{}",
        &r.body[chosen..chosen + 60]
    );
    assert!(
        r.body.contains("같은 이름의 항목이 이미 있습니다."),
        "the reason, in the default language"
    );

    // Rename in place.
    let r = app
        .post_form(
            "/api/fn/rename_workspace_file",
            Auth::Cookie(&cookie),
            &[("id", &ids), ("path", "data/c.csv"), ("name", "d.csv")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert_eq!(r.header("location"), format!("{page}?path=data"));

    // The selection: the button pressed says what to do; the counts come back.
    let r = app
        .post_form(
            "/api/fn/act_on_files",
            Auth::Cookie(&cookie),
            &[
                ("id", &ids),
                ("folder", "data"),
                ("paths[]", "data/b.csv"),
                ("paths[]", "data/d.csv"),
                ("to", "notebooks"),
                ("op", "move"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert_eq!(
        r.header("location"),
        format!("{page}?path=data&moved=2&failed=0")
    );
    let r = app
        .post_form(
            "/api/fn/act_on_files",
            Auth::Cookie(&cookie),
            &[
                ("id", &ids),
                ("folder", "notebooks"),
                ("paths[]", "notebooks/a.csv"),
                ("paths[]", "notebooks/gone.csv"),
                ("to", ""),
                ("op", "delete"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert_eq!(
        r.header("location"),
        format!("{page}?path=notebooks&deleted=1&failed=1")
    );
    let r = app
        .get(
            &format!("{page}?path=notebooks&deleted=1&failed=1"),
            Auth::Cookie(&cookie),
        )
        .await;
    assert!(
        r.body.contains("1개를 삭제했습니다."),
        "the counts are shown"
    );

    // Nothing ticked: refused, back to the folder.
    let r = app
        .post_form(
            "/api/fn/act_on_files",
            Auth::Cookie(&cookie),
            &[
                ("id", &ids),
                ("folder", "data"),
                ("to", "outputs"),
                ("op", "move"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert!(
        r.header("location").starts_with(&format!("{page}?e=")),
        "{}",
        r.header("location")
    );
    let listing = app
        .call(
            Method::GET,
            &format!("/api/v1/workspaces/{id}/files?path=notebooks"),
            &me,
            None,
        )
        .await
        .json();
    let names: Vec<&str> = listing["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"b.csv") && names.contains(&"d.csv") && !names.contains(&"a.csv"),
        "{names:?}"
    );
    app.finish().await;
}
