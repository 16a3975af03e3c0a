//! `/api/v1/workspaces` over HTTP: the field names integrations rely on, multipart and raw
//! uploads, downloads (folders as zip), the quota as 413, someone else's workspace as 404, a cut
//! upload that leaves nothing, the plain upload form, and runs cancelled (REST and plain form).

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use entity::Role;
use serde_json::json;
use service::Registration;

use crate::common::{assert_problem, request, Auth, TestApp, HOST};

const BOUNDARY: &str = "nuri-test-boundary";

fn multipart(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, token: &str, uri: &str, body: Vec<u8>) -> crate::common::Reply {
    app.send(
        request(Method::POST, uri, Auth::Bearer(token))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

async fn put(app: &TestApp, token: &str, uri: &str, bytes: &'static [u8]) -> crate::common::Reply {
    app.send(
        request(Method::PUT, uri, Auth::Bearer(token))
            .header(header::CONTENT_LENGTH, bytes.len())
            .body(Body::from(bytes))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn workspaces_and_their_files_over_rest() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@x.test", Role::Admin).await;
    app.user("me@x.test", Role::Mentee).await;
    app.user("you@x.test", Role::Mentee).await;
    let me = app.access_token("me@x.test").await;
    let you = app.access_token("you@x.test").await;

    let r = app
        .call(
            Method::POST,
            "/api/v1/workspaces",
            &me,
            Some(json!({"name": "매출 분석", "description": "2026"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let ws = r.json();
    for field in ["id", "name", "description", "created_at", "size_bytes"] {
        assert!(ws.get(field).is_some(), "{field} in {ws}");
    }
    let id = ws["id"].as_i64().unwrap();
    let base = format!("/api/v1/workspaces/{id}");
    let r = app
        .call(
            Method::POST,
            "/api/v1/workspaces",
            &me,
            Some(json!({"name": "매출 분석"})),
        )
        .await;
    assert_problem(&r, 409, "conflict");
    assert_eq!(r.json()["errors"][0]["code"], "name_taken");

    let list = app
        .call(Method::GET, "/api/v1/workspaces", &me, None)
        .await
        .json();
    assert_eq!(list["total"], 1);
    assert!(list["usage"]["used_bytes"].as_u64().unwrap() > 0);
    assert_eq!(list["usage"]["quota_bytes"], 2048u64 * 1024 * 1024);

    // The root, as the issue names its fields.
    let root = app
        .call(Method::GET, &format!("{base}/files?path="), &me, None)
        .await;
    assert_eq!(root.status, StatusCode::OK, "{}", root.body);
    let root = root.json();
    assert_eq!(root["path"], "");
    let names: Vec<&str> = root["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[..3], ["data", "notebooks", "outputs"], "{root}");
    let first = &root["entries"][0];
    for field in ["name", "path", "kind", "size", "modified"] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    assert_eq!(first["kind"], "dir");

    // Many files at once; each written whole.
    let r = upload(
        &app,
        &me,
        &format!("{base}/files?path=data"),
        multipart(&[("a.csv", b"x,y\n1,2\n"), ("b.txt", b"hello")]),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let uploaded = r.json();
    let paths: Vec<&str> = uploaded["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["data/a.csv", "data/b.txt"]);

    // Raw PUT: 201 new, 200 replaced; the bytes come back as a download.
    let r = put(
        &app,
        &me,
        &format!("{base}/files/content?path=data/c.txt"),
        b"one",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = put(
        &app,
        &me,
        &format!("{base}/files/content?path=data/c.txt"),
        b"two",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call(
            Method::GET,
            &format!("{base}/files/content?path=data/c.txt"),
            &me,
            None,
        )
        .await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "two"));
    assert!(
        r.header("content-disposition").starts_with("attachment"),
        "{:?}",
        r.headers
    );
    assert!(r.header("content-security-policy").contains("sandbox"));

    // A folder downloads as a zip.
    let r = app
        .call(
            Method::GET,
            &format!("{base}/files/content?path=data"),
            &me,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/zip");
    assert!(r.header("content-disposition").contains("data.zip"));
    // The whole workspace too, as a complete zip (its end record is there).
    let r = app
        .call(
            Method::GET,
            &format!("{base}/files/content?path="),
            &me,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.starts_with("PK"), "a zip");
    assert!(
        r.body.as_bytes().windows(4).any(|w| w == b"PK\x05\x06"),
        "the zip is complete"
    );

    // Folders, moves, previews, deletes.
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
        .call(
            Method::POST,
            &format!("{base}/files/move"),
            &me,
            Some(json!({"from": "data/a.csv", "to": "data/raw/a.csv"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["path"], "data/raw/a.csv");
    let r = app
        .call(
            Method::GET,
            &format!("{base}/files/preview?path=data/raw/a.csv"),
            &me,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["kind"], "table", "{}", r.body);
    let r = app
        .call(
            Method::DELETE,
            &format!("{base}/files?path=data/raw"),
            &me,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app
        .call(
            Method::GET,
            &format!("{base}/files/content?path=data/raw/a.csv"),
            &me,
            None,
        )
        .await;
    assert_problem(&r, 404, "not-found");

    // Paths that leave the root are 422 `path_outside` with the field.
    for (method, uri) in [
        (Method::GET, format!("{base}/files?path=../..")),
        (
            Method::GET,
            format!("{base}/files/content?path=/etc/passwd"),
        ),
        (Method::DELETE, format!("{base}/files?path=data/../../x")),
    ] {
        let r = app.call(method, &uri, &me, None).await;
        let p = assert_problem(&r, 422, "invalid");
        assert_eq!(
            (
                p["errors"][0]["field"].as_str(),
                p["errors"][0]["code"].as_str()
            ),
            (Some("path"), Some("path_outside")),
            "{uri}"
        );
    }

    // Someone else's workspace does not exist for them.
    for (method, uri) in [
        (Method::GET, base.clone()),
        (Method::GET, format!("{base}/files?path=")),
        (Method::GET, format!("{base}/files/content?path=data/b.txt")),
        (Method::DELETE, base.clone()),
        (Method::GET, format!("{base}/jupyter")),
        (Method::GET, format!("{base}/runs")),
    ] {
        let r = app.call(method, &uri, &you, None).await;
        assert_problem(&r, 404, "not-found");
    }
    let r = upload(
        &app,
        &you,
        &format!("{base}/files?path=data"),
        multipart(&[("x.txt", b"x")]),
    )
    .await;
    assert_problem(&r, 404, "not-found");

    // Rename, then delete: gone for good.
    let r = app
        .call(Method::PATCH, &base, &me, Some(json!({"name": "Renamed"})))
        .await;
    assert_eq!(
        (r.status, r.json()["name"].as_str()),
        (StatusCode::OK, Some("Renamed"))
    );
    let r = app.call(Method::DELETE, &base, &me, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_problem(
        &app.call(Method::GET, &base, &me, None).await,
        404,
        "not-found",
    );
    app.finish().await;
}

#[tokio::test]
async fn the_quota_is_a_413_and_a_cut_upload_leaves_nothing() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@x.test", Role::Admin).await;
    let me_user = app.user("me@x.test", Role::Mentee).await;
    let me = app.access_token("me@x.test").await;
    let ws = app
        .call(
            Method::POST,
            "/api/v1/workspaces",
            &me,
            Some(json!({"name": "Q"})),
        )
        .await
        .json();
    let id = ws["id"].as_i64().unwrap();
    let quota = 2048u64 * 1024 * 1024;

    // Announced past the quota: refused before the body is read.
    let r = app
        .send(
            request(
                Method::PUT,
                &format!("/api/v1/workspaces/{id}/files/content?path=data/huge.bin"),
                Auth::Bearer(&me),
            )
            .header(header::CONTENT_LENGTH, quota + 1)
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    let p = assert_problem(&r, 413, "quota_exceeded");
    assert_eq!(p["errors"][0]["code"], "quota_exceeded");

    // A multipart upload whose connection drops in the middle of a part.
    let mut cut = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"half.bin\"\r\n\r\n"
    )
    .into_bytes();
    cut.extend_from_slice(&[b'z'; 100_000]);
    let stream = futures_util::stream::iter(vec![
        Ok::<_, std::io::Error>(axum::body::Bytes::from(cut)),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "gone",
        )),
    ]);
    let r = app
        .send(
            request(
                Method::POST,
                &format!("/api/v1/workspaces/{id}/files?path=data"),
                Auth::Bearer(&me),
            )
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from_stream(stream))
            .unwrap(),
        )
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    let user_root = service::workspaces::store::user_root(&app.ctx.settings.data_dir, me_user.id);
    let root = user_root.join(id.to_string());
    assert!(!root.join("data/half.bin").exists());
    let partial = std::fs::read_dir(user_root.join(".partial"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(partial, 0, "no temporary file stays");
    app.finish().await;
}

/// The page's plain upload form, posted by a browser without JavaScript (one small file).
async fn form_upload(app: &TestApp, uri: &str, cookie: &str) -> crate::common::Reply {
    app.send(
        request(Method::POST, uri, Auth::Cookie(cookie))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(header::ORIGIN, format!("http://{HOST}"))
            .body(Body::from(multipart(&[("x.csv", b"x")])))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_plain_upload_form_works_without_javascript() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@x.test", Role::Admin).await;
    app.user("me@x.test", Role::Mentee).await;
    let me = app.access_token("me@x.test").await;
    let cookie = app.session("me@x.test").await;
    let id = app
        .call(
            Method::POST,
            "/api/v1/workspaces",
            &me,
            Some(json!({"name": "Form"})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let r = app
        .send(
            request(
                Method::POST,
                &format!("/workspaces/{id}/upload?path=data"),
                Auth::Cookie(&cookie),
            )
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header(header::ACCEPT, "text/html")
            .body(Body::from(multipart(&[
                ("one.csv", b"a\n1\n"),
                ("two.csv", b"b\n2\n"),
            ])))
            .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.header("location"),
        format!("/workspaces/{id}?path=data&uploaded=2")
    );
    let listing = app
        .call(
            Method::GET,
            &format!("/api/v1/workspaces/{id}/files?path=data"),
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
        names.contains(&"one.csv") && names.contains(&"two.csv"),
        "{names:?}"
    );

    // A refused upload goes back with the reason's code.
    let r = form_upload(
        &app,
        &format!("/workspaces/{id}/upload?path=nowhere"),
        &cookie,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let back = r.header("location");
    assert!(
        back.starts_with(&format!("/workspaces/{id}?e=")) && back.ends_with("&path=nowhere"),
        "{back}"
    );
    // Someone else's workspace stays a 404, whatever the door.
    app.user("you@x.test", Role::Mentee).await;
    let yours = app.session("you@x.test").await;
    let r = form_upload(&app, &format!("/workspaces/{id}/upload?path=data"), &yours).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    app.finish().await;
}

async fn start_run(app: &TestApp, token: &str, runs: &str) -> i64 {
    let notebooks = json!({"notebooks": ["notebooks/01_clean.ipynb"]});
    let r = app.call(Method::POST, runs, token, Some(notebooks)).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

/// As the worker would have it (no worker runs here).
async fn set_status(app: &TestApp, run: i64, status: &str) {
    use sea_orm::ConnectionTrait;
    let sql = format!("UPDATE notebook_run SET status = '{status}' WHERE id = {run}");
    app.ctx.db.execute_unprepared(&sql).await.unwrap();
}

#[tokio::test]
async fn runs_are_cancelled_over_rest_and_by_the_plain_form() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@x.test", Role::Admin).await;
    app.user("me@x.test", Role::Mentee).await;
    app.user("you@x.test", Role::Mentee).await;
    let me = app.access_token("me@x.test").await;
    let you = app.access_token("you@x.test").await;
    let id = app
        .call(
            Method::POST,
            "/api/v1/workspaces",
            &me,
            Some(json!({"name": "Runs"})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let runs = format!("/api/v1/workspaces/{id}/runs");
    // Queued: cancelled at once, and again changes nothing.
    let queued = start_run(&app, &me, &runs).await;
    let cancel = format!("{runs}/{queued}/cancel");
    let r = app.call(Method::POST, &cancel, &you, None).await;
    assert_problem(&r, 404, "not-found");
    for _ in 0..2 {
        let r = app.call(Method::POST, &cancel, &me, None).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let run = r.json();
        assert_eq!(
            (run["id"].as_i64(), run["status"].as_str()),
            (Some(queued), Some("cancelled"))
        );
        assert_eq!(run["notebooks"][0]["status"], "cancelled");
        assert!(run["finished_at"].is_string(), "{run}");
    }
    let r = app
        .call(Method::POST, &format!("{runs}/999999/cancel"), &me, None)
        .await;
    assert_problem(&r, 404, "not-found");

    // Running: asked, it stays `running` until its worker notices.
    let running = start_run(&app, &me, &runs).await;
    set_status(&app, running, "running").await;
    let r = app
        .call(Method::POST, &format!("{runs}/{running}/cancel"), &me, None)
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let run = r.json();
    assert_eq!(run["status"], "running");
    assert!(run["cancel_requested_at"].is_string(), "{run}");

    // Finished: nothing to cancel.
    set_status(&app, running, "succeeded").await;
    let r = app
        .call(Method::POST, &format!("{runs}/{running}/cancel"), &me, None)
        .await;
    let p = assert_problem(&r, 409, "conflict");
    assert_eq!(p["errors"][0]["code"], "run_finished");

    // The page's plain form (no JavaScript) posts to the server function and comes back.
    let cookie = app.session("me@x.test").await;
    let third = start_run(&app, &me, &runs).await;
    let (id_text, run_text) = (id.to_string(), third.to_string());
    let r = app
        .post_form(
            "/api/fn/cancel_run",
            Auth::Cookie(&cookie),
            &[("id", &id_text), ("run_id", &run_text)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert_eq!(r.header("location"), format!("/workspaces/{id}#runs"));
    let r = app
        .call(Method::GET, &format!("{runs}/{third}"), &me, None)
        .await;
    assert_eq!(r.json()["status"], "cancelled");
    // Refused, it goes back to the page with the reason.
    let r = app
        .post_form(
            "/api/fn/cancel_run",
            Auth::Cookie(&cookie),
            &[("id", &id_text), ("run_id", &running.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert!(
        r.header("location")
            .starts_with(&format!("/workspaces/{id}?e=")),
        "{}",
        r.header("location")
    );
    app.finish().await;
}
