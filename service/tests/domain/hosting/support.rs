//! A context whose hosting runs on libvirt's in-process test driver and nuri's own nginx on a
//! free port, and the checks that nothing of a hosting is left.

use std::sync::Arc;

use entity::hosting::{self, Hosting, HostingStatus};
use sea_orm::EntityTrait;
use service::hosting::{nginx, resources, Host};
use service::Ctx;

pub const TEST_DRIVER: &str = "test:///default";

/// Hosting on the test driver, with nuri's own nginx on a port of this test's.
pub fn hosting_ctx(ctx: &Ctx) -> Ctx {
    let mut s = (*ctx.settings).clone();
    let listen = std::net::SocketAddr::from(([127, 0, 0, 1], service::testing::free_port()));
    s.hosting.hypervisors = vec![TEST_DRIVER.into()];
    s.hosting.nginx.listen = Some(listen);
    s.hosting.web_base = format!("http://{listen}");
    s.hosting.stop_grace = std::time::Duration::from_secs(2);
    Ctx {
        settings: Arc::new(s),
        ..ctx.clone()
    }
}

/// The same context, failing (or hanging) at `step`.
pub fn faulty(ctx: &Ctx, step: Option<&str>) -> Ctx {
    let mut s = (*ctx.settings).clone();
    s.hosting.fail_at = step.map(Into::into);
    Ctx {
        settings: Arc::new(s),
        ..ctx.clone()
    }
}

pub async fn row(ctx: &Ctx, id: i32) -> hosting::Model {
    hosting::Entity::find_by_id(id)
        .one(&ctx.db)
        .await
        .unwrap()
        .expect("hosting row")
}

pub async fn domain(ctx: &Ctx, name: &str) -> Option<bool> {
    let conn = ctx
        .hypervisors
        .connect(&ctx.settings.hosting.hypervisors[0])
        .await
        .unwrap();
    Host(conn).running(name).await.unwrap()
}

/// Asserts nothing of the hosting is left: no domain, files, rule, ports or host.
pub async fn nothing_left(ctx: &Ctx, h: &Hosting, label: &str) {
    let r = row(ctx, h.id).await;
    assert_eq!(
        domain(ctx, &h.vm_id).await,
        None,
        "{label}: a domain is left"
    );
    assert!(
        !resources::dir(ctx, &h.vm_id).exists(),
        "{label}: files are left"
    );
    assert!(
        !nginx::has_rule(ctx, &resources::rule_name(h.id)),
        "{label}: a rule is left"
    );
    assert_eq!(
        (r.ssh_port, r.http_port, r.host.as_deref()),
        (None, None, None),
        "{label}: ports or host still held"
    );
}

/// Asserts the hosting is fully up: recorded running, domain running, rule live.
pub async fn all_there(ctx: &Ctx, h: &Hosting, label: &str) {
    let r = row(ctx, h.id).await;
    assert_eq!(r.status(), HostingStatus::Running, "{label}: {:?}", r.error);
    assert_eq!(domain(ctx, &h.vm_id).await, Some(true), "{label}: domain");
    assert!(
        resources::dir(ctx, &h.vm_id).join("seed.img").is_file(),
        "{label}: seed"
    );
    assert!(
        nginx::has_rule(ctx, &resources::rule_name(h.id)),
        "{label}: rule"
    );
    assert!(
        r.ssh_port.is_some() && r.http_port.is_some(),
        "{label}: ports"
    );
}

/// Ends a test: nuri's nginx stops and the data dir goes.
pub async fn finish(ctx: &Ctx) {
    nginx::shutdown(ctx).await;
}
