//! `/api/v1/host`, `/api/v1/hostings` and `/api/v1/account/ssh-keys` over HTTP: the seed's
//! contract (202 and lower-case statuses, 404 when none, 409 when the state forbids), SSH keys
//! checked like ssh-keygen, the admin overview, 503 without a hypervisor, 401 anonymous. On
//! libvirt's test driver with nuri's own nginx.

use axum::http::{Method, StatusCode};
use entity::Role;
use serde_json::json;
use service::Registration;

use crate::common::{assert_problem, request, Auth, TestApp};

const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMZhQf+TJQkA4YYP8bOWODNzk1OUHbL30lLKdX/xji5R me@example.com";

#[tokio::test]
async fn hosting_over_rest() {
    let mut app = TestApp::new(Registration::Invite).await;
    let mut settings = (*app.ctx.settings).clone();
    let listen = std::net::SocketAddr::from(([127, 0, 0, 1], service::testing::free_port()));
    settings.hosting.hypervisors = vec!["test:///default".into()];
    settings.hosting.nginx.listen = Some(listen);
    settings.hosting.web_base = format!("http://{listen}");
    app.ctx = service::Ctx {
        settings: std::sync::Arc::new(settings),
        ..app.ctx.clone()
    };
    let router = app.router_with(|_| {});
    let send = |method: Method, uri: &str, token: &str, body: Option<serde_json::Value>| {
        let req = request(method, uri, Auth::Bearer(token));
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(axum::body::Body::from(b.to_string())),
            None => req.body(axum::body::Body::empty()),
        };
        TestApp::send_to(&router, req.unwrap())
    };
    app.user("admin@x.test", Role::Admin).await;
    let me_user = app.user("me@x.test", Role::Mentee).await;
    let me = app.access_token("me@x.test").await;
    let admin = app.access_token("admin@x.test").await;

    let anon = TestApp::send_to(
        &router,
        request(Method::POST, "/api/v1/host", Auth::None)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    let none = send(Method::GET, "/api/v1/host/my", &me, None).await;
    assert_problem(&none, 404, "not-found");

    // SSH keys: refused with the field named, added with ssh-keygen's fingerprint, once.
    let bad = send(
        Method::POST,
        "/api/v1/account/ssh-keys",
        &me,
        Some(json!({"public_key": "ssh-ed25519 nope"})),
    )
    .await;
    let problem = assert_problem(&bad, 422, "invalid");
    assert_eq!(problem["errors"][0]["field"], "public_key", "{problem}");
    let added = send(
        Method::POST,
        "/api/v1/account/ssh-keys",
        &me,
        Some(json!({"public_key": KEY})),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let key = added.json();
    assert_eq!(
        key["fingerprint"],
        "SHA256:56zeh5MLCm43BgQS+I5mfqoL54i2hcRR/4GPsJrQVoU"
    );
    assert_eq!(key["name"], "me@example.com");
    let twice = send(
        Method::POST,
        "/api/v1/account/ssh-keys",
        &me,
        Some(json!({"public_key": KEY})),
    )
    .await;
    assert_problem(&twice, 409, "conflict");
    let keys = send(Method::GET, "/api/v1/account/ssh-keys", &me, None)
        .await
        .json();
    assert_eq!(keys.as_array().unwrap().len(), 1);

    // Create: 202 at once, one per person.
    let created = send(Method::POST, "/api/v1/host", &me, None).await;
    assert_eq!(created.status, StatusCode::ACCEPTED, "{}", created.body);
    let body = created.json();
    assert_eq!(body["status"], "creating");
    let again = send(Method::POST, "/api/v1/host", &me, None).await;
    assert_problem(&again, 409, "conflict");

    service::jobs::run_pending(&app.ctx).await.unwrap();
    let mine = send(Method::GET, "/api/v1/host/my", &me, None).await;
    assert_eq!(mine.status, StatusCode::OK);
    let h = mine.json();
    for field in [
        "id",
        "status",
        "vm_id",
        "ssh_port",
        "web_url",
        "ssh_command",
        "host",
        "created_at",
        "updated_at",
        "error",
    ] {
        assert!(h.get(field).is_some(), "{field} missing from {h}");
    }
    assert_eq!(h["status"], "running", "{h}");
    assert_eq!(h["host"], "test:///default");
    assert_eq!(h["web_url"], format!("http://{listen}/{}/", me_user.id));
    let port = h["ssh_port"].as_u64().unwrap();
    assert_eq!(h["ssh_command"], format!("ssh -p {port} nuri@localhost"));
    assert!(h["error"].is_null());

    // What the state forbids is 409; stop and restart are 202.
    assert_problem(
        &send(Method::POST, "/api/v1/host/my/start", &me, None).await,
        409,
        "conflict",
    );
    let stopping = send(Method::POST, "/api/v1/host/my/stop", &me, None).await;
    assert_eq!(stopping.status, StatusCode::ACCEPTED);
    assert_eq!(stopping.json()["status"], "stopping");
    service::jobs::run_pending(&app.ctx).await.unwrap();
    assert_eq!(
        send(Method::GET, "/api/v1/host/my", &me, None).await.json()["status"],
        "stopped"
    );
    assert_problem(
        &send(Method::POST, "/api/v1/host/my/restart", &me, None).await,
        409,
        "conflict",
    );
    assert_eq!(
        send(Method::POST, "/api/v1/host/my/start", &me, None)
            .await
            .status,
        StatusCode::ACCEPTED
    );
    service::jobs::run_pending(&app.ctx).await.unwrap();
    assert_eq!(
        send(Method::POST, "/api/v1/host/my/restart", &me, None)
            .await
            .status,
        StatusCode::ACCEPTED
    );
    service::jobs::run_pending(&app.ctx).await.unwrap();
    assert_eq!(
        send(Method::GET, "/api/v1/host/my", &me, None).await.json()["status"],
        "running"
    );
    let events = send(Method::GET, "/api/v1/host/my/events", &me, None)
        .await
        .json();
    let events = events.as_array().unwrap();
    assert_eq!(events[0]["step"], "queued");
    assert!(events
        .iter()
        .any(|e| e["from"] == "stopping" && e["to"] == "stopped"));

    // The admin overview: not for mentees; owners, states and totals for admins.
    assert_problem(
        &send(Method::GET, "/api/v1/hostings", &me, None).await,
        403,
        "forbidden",
    );
    let list = send(Method::GET, "/api/v1/hostings", &admin, None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let list = list.json();
    assert_eq!(list["items"][0]["owner_email"], "me@x.test");
    assert_eq!(list["items"][0]["status"], "running");
    let running = list["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["status"] == "running")
        .unwrap()
        .clone();
    assert_eq!(running["count"], 1);

    // An admin's delete takes it all away.
    let id = h["id"].as_i64().unwrap();
    let forced = send(
        Method::DELETE,
        &format!("/api/v1/hostings/{id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(forced.status, StatusCode::ACCEPTED, "{}", forced.body);
    service::jobs::run_pending(&app.ctx).await.unwrap();
    assert_problem(
        &send(Method::GET, "/api/v1/host/my", &me, None).await,
        404,
        "not-found",
    );

    // A key goes; a second delete is 404.
    let key_id = key["id"].as_i64().unwrap();
    let gone = send(
        Method::DELETE,
        &format!("/api/v1/account/ssh-keys/{key_id}"),
        &me,
        None,
    )
    .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_problem(
        &send(
            Method::DELETE,
            &format!("/api/v1/account/ssh-keys/{key_id}"),
            &me,
            None,
        )
        .await,
        404,
        "not-found",
    );
    service::hosting::nginx::shutdown(&app.ctx).await;

    // Without a hypervisor: 503 saying how to configure one.
    let mut settings = (*app.ctx.settings).clone();
    settings.hosting.hypervisors = vec!["qemu+tcp://127.0.0.1:1/system".into()];
    app.ctx = service::Ctx {
        settings: std::sync::Arc::new(settings),
        ..app.ctx.clone()
    };
    let router = app.router_with(|_| {});
    let r = TestApp::send_to(
        &router,
        request(Method::POST, "/api/v1/host", Auth::Bearer(&me))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    let problem = assert_problem(&r, 503, "unavailable");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("NURI_HYPERVISORS"),
        "{problem}"
    );
    app.finish().await;
}
