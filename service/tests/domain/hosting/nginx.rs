//! nuri's own nginx, the real binary: a rule goes live and proxies to its upstream, a rule
//! nginx refuses (a real `nginx -t` failure, and an injected one) never reaches the running
//! nginx, a removed rule answers 404, and a failed reload puts the previous rule back.
//! One backend only: nothing here touches the database.

use std::sync::Arc;

use service::hosting::nginx::{self, Rule};
use service::testing::TestDb;
use service::{Ctx, Registration};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

struct Instance {
    tdb: TestDb,
    ctx: Ctx,
}

impl Instance {
    /// A context whose own nginx listens on a free port (not started yet).
    async fn new() -> Instance {
        let (tdb, db) = TestDb::new("sqlite").await;
        let ctx = service::testing::ctx(db, Registration::Invite);
        let mut settings = (*ctx.settings).clone();
        settings.hosting.nginx.binary = "/usr/sbin/nginx".into();
        settings.hosting.nginx.listen = Some(free_port().await);
        settings.hosting.nginx.include_dir = None;
        let ctx = Ctx {
            settings: Arc::new(settings),
            ..ctx
        };
        Instance { tdb, ctx }
    }

    /// The same nginx, with hosting operations failing at `step`.
    fn failing_at(&self, step: &str) -> Ctx {
        let mut settings = (*self.ctx.settings).clone();
        settings.hosting.fail_at = Some(step.into());
        Ctx {
            settings: Arc::new(settings),
            ..self.ctx.clone()
        }
    }

    async fn get(&self, path: &str) -> Response {
        get(self.ctx.settings.hosting.nginx.listen.unwrap(), path).await
    }

    fn rule_file(&self, name: &str) -> Option<String> {
        let path = self
            .ctx
            .settings
            .data_dir
            .join(format!("nginx/rules/{name}.conf"));
        std::fs::read_to_string(path).ok()
    }

    async fn finish(self) {
        nginx::shutdown(&self.ctx).await;
        let pid_file = self.ctx.settings.data_dir.join("nginx/nginx.pid");
        assert!(!pid_file.exists(), "nginx stopped and took its pid file");
        service::testing::remove_data_dir(&self.ctx);
        self.tdb.finish(self.ctx.db.clone()).await;
    }
}

async fn free_port() -> std::net::SocketAddr {
    let probe = TcpListener::bind("127.0.0.1:0").await.unwrap();
    probe.local_addr().unwrap()
}

fn rule(user_id: i32, upstream_port: u16) -> Rule {
    Rule {
        user_id,
        upstream_port,
        owner_name: "Kim Mentee".into(),
    }
}

/// A stand-in for a guest's web server: answers every request with `body`, then the request
/// head it received (so a test sees the path and headers nginx sent).
async fn upstream(body: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let text = format!("{body}\n{}", String::from_utf8_lossy(&head));
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\
                     Connection: close\r\n\r\n{text}",
                    text.len()
                );
                let _ = conn.write_all(reply.as_bytes()).await;
            });
        }
    });
    port
}

#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: String,
}

async fn get(addr: std::net::SocketAddr, path: &str) -> Response {
    let mut conn = TcpStream::connect(addr).await.expect("nginx listens");
    let request = format!("GET {path} HTTP/1.0\r\nHost: sites.test\r\n\r\n");
    conn.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    conn.read_to_end(&mut raw).await.unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP response");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok());
    Response {
        status: status.expect("a status"),
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

#[tokio::test]
async fn a_rule_goes_live_and_proxies_to_its_upstream() {
    let nginx = Instance::new().await;
    let ctx = &nginx.ctx;
    let port = upstream("hello from 7").await;

    nginx::ensure_running(ctx).await.unwrap();
    let pid = std::fs::read_to_string(ctx.settings.data_dir.join("nginx/nginx.pid")).unwrap();
    nginx::ensure_running(ctx).await.unwrap();
    let again = std::fs::read_to_string(ctx.settings.data_dir.join("nginx/nginx.pid")).unwrap();
    assert_eq!(pid, again, "ensure_running twice starts one nginx");
    let nothing = nginx.get("/7/").await;
    assert_eq!(nothing.status, 404, "{nothing:?}");
    assert!(nothing.body.contains("No web address"), "{nothing:?}");

    nginx::apply_rule(ctx, "u7", &rule(7, port)).await.unwrap();
    assert!(nginx::has_rule(ctx, "u7"));
    assert_eq!(nginx::rule_names(ctx), ["u7"]);

    // Live as soon as apply_rule returns: no waiting for the reload.
    let page = nginx.get("/7/index.html?x=1").await;
    assert_eq!(page.status, 200, "{page:?}");
    assert!(page.body.starts_with("hello from 7\n"), "{page:?}");
    let sent = page.body.to_lowercase();
    assert!(sent.contains("get /index.html?x=1 http/1.1"), "{sent}");
    assert!(sent.contains("host: sites.test"), "{sent}");
    assert!(sent.contains("x-forwarded-prefix: /7"), "{sent}");
    assert!(sent.contains("x-forwarded-for: 127.0.0.1"), "{sent}");
    assert!(sent.contains("x-forwarded-proto: http"), "{sent}");

    let bare = nginx.get("/7").await;
    assert_eq!(bare.status, 301, "{bare:?}");
    assert!(bare.head.contains("\r\nLocation: /7/"), "{bare:?}");

    // Applying the same rule again changes nothing; a guest that does not answer gets the page
    // that says so.
    nginx::apply_rule(ctx, "u7", &rule(7, port)).await.unwrap();
    let closed = free_port().await.port(); // nothing listens there
    nginx::apply_rule(ctx, "u8", &rule(8, closed))
        .await
        .unwrap();
    let down = nginx.get("/8/").await;
    assert_eq!(down.status, 502, "{down:?}");
    assert!(down.body.contains("not answering"), "{down:?}");

    let bad = nginx::apply_rule(ctx, "../etc/x", &rule(9, port)).await;
    assert!(bad.unwrap_err().contains("not a valid nginx rule name"));
    assert!(!nginx::has_rule(ctx, "../etc/x"));
    nginx.finish().await;
}

#[tokio::test]
async fn a_configuration_nginx_refuses_never_reaches_the_running_nginx() {
    let nginx = Instance::new().await;
    let ctx = &nginx.ctx;
    let port = upstream("old seven").await;
    let other = upstream("eight").await;
    nginx::apply_rule(ctx, "u7", &rule(7, port)).await.unwrap();
    let published = nginx.rule_file("u7").unwrap();

    // A broken file in the rules folder (someone's hand edit): nginx -t, on the whole
    // configuration, refuses every change until it is gone, with nginx's own words.
    let rules = ctx.settings.data_dir.join("nginx/rules");
    std::fs::write(rules.join("broken.conf"), "this is not nginx;\n").unwrap();
    let refused = nginx::apply_rule(ctx, "u8", &rule(8, other))
        .await
        .unwrap_err();
    assert!(refused.contains("[emerg]"), "{refused}");
    assert!(refused.contains("broken.conf"), "{refused}");
    assert_eq!(refused, refused.trim());
    assert!(
        nginx.rule_file("u8").is_none(),
        "a new rule that failed is removed"
    );
    let changed = nginx::apply_rule(ctx, "u7", &rule(7, other))
        .await
        .unwrap_err();
    assert_eq!(changed, refused);
    assert_eq!(
        nginx.rule_file("u7").unwrap(),
        published,
        "the old rule is back"
    );
    let removal = nginx::remove_rule(ctx, "u7").await.unwrap_err();
    assert_eq!(removal, refused);
    assert_eq!(
        nginx.rule_file("u7").unwrap(),
        published,
        "the removed rule is back"
    );
    assert_eq!(nginx::rule_names(ctx), ["broken", "u7"]);

    let page = nginx.get("/7/").await;
    assert_eq!(page.status, 200, "{page:?}");
    assert!(page.body.starts_with("old seven\n"), "{page:?}");
    assert_eq!(nginx.get("/8/").await.status, 404);

    // An injected test failure takes the same way back.
    std::fs::remove_file(rules.join("broken.conf")).unwrap();
    let injected = nginx::apply_rule(&nginx.failing_at("nginx_test"), "u8", &rule(8, other))
        .await
        .unwrap_err();
    assert!(injected.contains("nginx_test"), "{injected}");
    assert!(!nginx::has_rule(ctx, "u8"));
    assert_eq!(nginx.get("/8/").await.status, 404);
    let injected = nginx::apply_rule(&nginx.failing_at("rule"), "u8", &rule(8, other)).await;
    assert!(injected.unwrap_err().contains("rule"));
    assert!(!nginx::has_rule(ctx, "u8"));

    // With the broken file gone the same change goes through.
    nginx::apply_rule(ctx, "u8", &rule(8, other)).await.unwrap();
    let page = nginx.get("/8/").await;
    assert!(page.body.starts_with("eight\n"), "{page:?}");
    nginx.finish().await;
}

#[tokio::test]
async fn a_removed_rule_answers_404_and_its_file_is_gone() {
    let nginx = Instance::new().await;
    let ctx = &nginx.ctx;
    let port = upstream("seven").await;
    nginx::apply_rule(ctx, "u7", &rule(7, port)).await.unwrap();
    assert_eq!(nginx.get("/7/").await.status, 200);

    let injected = nginx::remove_rule(&nginx.failing_at("unrule"), "u7").await;
    assert!(injected.unwrap_err().contains("unrule"));
    assert_eq!(
        nginx.get("/7/").await.status,
        200,
        "a failed removal leaves it"
    );

    nginx::remove_rule(ctx, "u7").await.unwrap();
    assert!(nginx.rule_file("u7").is_none());
    assert!(!nginx::has_rule(ctx, "u7"));
    assert!(nginx::rule_names(ctx).is_empty());
    assert_eq!(nginx.get("/7/").await.status, 404);
    assert_eq!(nginx.get("/7").await.status, 404);
    // Removing what is not there is no error.
    nginx::remove_rule(ctx, "u7").await.unwrap();
    nginx.finish().await;
}

#[tokio::test]
async fn a_failed_reload_puts_the_previous_rule_back_and_it_keeps_serving() {
    let nginx = Instance::new().await;
    let ctx = &nginx.ctx;
    let old = upstream("old").await;
    let new = upstream("new").await;
    nginx::apply_rule(ctx, "u7", &rule(7, old)).await.unwrap();
    let published = nginx.rule_file("u7").unwrap();

    let failed = nginx::apply_rule(&nginx.failing_at("reload"), "u7", &rule(7, new)).await;
    assert!(failed.unwrap_err().contains("reload"));
    assert_eq!(nginx.rule_file("u7").unwrap(), published);
    let page = nginx.get("/7/").await;
    assert!(page.body.starts_with("old\n"), "{page:?}");

    // A new rule whose reload failed is taken away again.
    let failed = nginx::apply_rule(&nginx.failing_at("reload"), "u8", &rule(8, new)).await;
    assert!(failed.is_err());
    assert!(!nginx::has_rule(ctx, "u8"));
    assert_eq!(nginx.get("/8/").await.status, 404);
    nginx.finish().await;
}

#[tokio::test]
async fn nuri_starts_its_nginx_again_after_it_died_and_a_system_nginx_needs_its_folder() {
    let nginx = Instance::new().await;
    let ctx = &nginx.ctx;
    let port = upstream("seven").await;
    nginx::apply_rule(ctx, "u7", &rule(7, port)).await.unwrap();
    nginx::shutdown(ctx).await;
    assert!(
        TcpStream::connect(ctx.settings.hosting.nginx.listen.unwrap())
            .await
            .is_err()
    );
    // The rules stay; the next start serves them.
    nginx::ensure_running(ctx).await.unwrap();
    assert_eq!(nginx.get("/7/").await.status, 200);

    let mut settings = (*ctx.settings).clone();
    settings.hosting.nginx.listen = None;
    settings.hosting.nginx.include_dir = Some(ctx.settings.data_dir.join("system-rules"));
    let system = Ctx {
        settings: Arc::new(settings),
        ..ctx.clone()
    };
    let missing = nginx::ensure_running(&system).await.unwrap_err();
    assert!(missing.contains("does not exist"), "{missing}");
    std::fs::create_dir(ctx.settings.data_dir.join("system-rules")).unwrap();
    nginx::ensure_running(&system).await.unwrap();
    assert!(nginx::rule_names(&system).is_empty());
    nginx.finish().await;
}
