//! The reconciler after crashes: a worker killed mid-create leaves nothing orphaned; a guest
//! that runs is recorded running; lost rules come back; orphans of this instance go, and
//! another instance's are left alone.

use entity::hosting::HostingStatus;
use service::hosting::{self, nginx, resources, Host, Op};
use service::jobs;
use service::testing::{on_every_backend, people};
use service::Registration;

use super::support::{
    all_there, domain, faulty, finish, hosting_ctx, nothing_left, row, TEST_DRIVER,
};

/// Runs the create job until it hangs at `step`, then kills the worker (drops the task) and
/// lets its lease run out, as if the process had died there.
async fn kill_create_at(ctx: &service::Ctx, step: &str, id: i32) {
    let hanging = faulty(ctx, Some(&format!("hang:{step}")));
    let worker = tokio::spawn(async move { jobs::run_pending(&hanging).await });
    for _ in 0..200 {
        if row(ctx, id).await.step.as_deref()
            == Some(match step {
                "rule" => "wait",
                _ => "rule",
            })
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    worker.abort();
    let _ = worker.await;
    // Its lease is gone: no worker holds the job any more.
    use sea_orm::ConnectionTrait;
    ctx.db
        .execute_unprepared("UPDATE job SET lease_until = NULL")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_worker_killed_mid_create_leaves_nothing_once_reconciled() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let ctx = hosting_ctx(&ctx);
        let p = people(&ctx).await;

        // Killed before the web address: the VM runs but is unreachable. Undone, `error`.
        let h = hosting::create(&ctx, Some(&p.mentee)).await.unwrap();
        kill_create_at(&ctx, "rule", h.id).await;
        assert_eq!(
            domain(&ctx, &h.vm_id).await,
            Some(true),
            "{backend}: VM left by the crash"
        );
        let report = hosting::reconcile(&ctx).await.unwrap();
        assert_eq!(report.failed, vec![h.id], "{backend}");
        assert_eq!(row(&ctx, h.id).await.status(), HostingStatus::Error);
        nothing_left(&ctx, &h, backend).await;

        // Killed after everything but the record: the guest runs and is published. `running`.
        let h2 = hosting::create(&ctx, Some(&p.mentor)).await.unwrap();
        kill_create_at(&ctx, "ready", h2.id).await;
        assert_eq!(row(&ctx, h2.id).await.status(), HostingStatus::Creating);
        let report = hosting::reconcile(&ctx).await.unwrap();
        assert_eq!(report.repaired, vec![h2.id], "{backend}");
        all_there(&ctx, &h2, backend).await;

        // A second pass finds nothing to do.
        assert_eq!(
            hosting::reconcile(&ctx).await.unwrap(),
            hosting::Report::default()
        );
        hosting::act(&ctx, Some(&p.mentor), Op::Delete)
            .await
            .unwrap();
        jobs::run_pending(&ctx).await.unwrap();
        finish(&ctx).await;
    })
    .await;
}

#[tokio::test]
async fn the_reconciler_repairs_drift_and_removes_orphans() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let ctx = hosting_ctx(&ctx);
        let p = people(&ctx).await;
        let conn = ctx.hypervisors.connect(TEST_DRIVER).await.unwrap();
        let host = Host(conn);
        let h = hosting::create(&ctx, Some(&p.mentee)).await.unwrap();
        jobs::run_pending(&ctx).await.unwrap();

        // A lost rule comes back.
        nginx::remove_rule(&ctx, &resources::rule_name(h.id))
            .await
            .unwrap();
        hosting::reconcile(&ctx).await.unwrap();
        all_there(&ctx, &h, backend).await;

        // A VM found shut down is recorded stopped.
        host.destroy(&h.vm_id).await.unwrap();
        hosting::reconcile(&ctx).await.unwrap();
        assert_eq!(
            row(&ctx, h.id).await.status(),
            HostingStatus::Stopped,
            "{backend}"
        );

        // Orphans of this instance go: a domain, a rule and a folder nobody owns.
        let orphan = resources::vm_name(&ctx, 9999);
        let xml = format!(
            "<domain type='test'><name>{orphan}</name><memory unit='MiB'>64</memory>\
             <os><type>hvm</type></os></domain>"
        );
        host.define(xml).await.unwrap();
        std::fs::create_dir_all(resources::dir(&ctx, &orphan)).unwrap();
        nginx::ensure_running(&ctx).await.unwrap();
        nginx::apply_rule(
            &ctx,
            "hosting-9999",
            &nginx::Rule {
                user_id: 9999,
                upstream_port: 1,
                owner_name: "nobody".into(),
            },
        )
        .await
        .unwrap();
        // Another instance's domain on the same hypervisor is not ours to touch.
        let foreign = format!("nuri-00000000-{}", h.id);
        host.define(format!(
            "<domain type='test'><name>{foreign}</name><memory unit='MiB'>64</memory>\
             <os><type>hvm</type></os></domain>"
        ))
        .await
        .unwrap();

        let report = hosting::reconcile(&ctx).await.unwrap();
        assert_eq!(report.orphans_removed.len(), 3, "{backend}: {report:?}");
        assert_eq!(host.running(&orphan).await.unwrap(), None);
        assert!(!resources::dir(&ctx, &orphan).exists());
        assert!(!nginx::has_rule(&ctx, "hosting-9999"));
        assert_eq!(
            host.running(&foreign).await.unwrap(),
            Some(false),
            "foreign kept"
        );
        host.remove(&foreign).await.unwrap();

        // A VM gone from the hypervisor is an error the person can see.
        host.remove(&h.vm_id).await.unwrap();
        hosting::reconcile(&ctx).await.unwrap();
        let r = row(&ctx, h.id).await;
        assert_eq!(r.status(), HostingStatus::Error, "{backend}");
        assert!(r.error.unwrap_or_default().contains("gone"));
        hosting::act(&ctx, Some(&p.mentee), Op::Delete)
            .await
            .unwrap();
        jobs::run_pending(&ctx).await.unwrap();
        nothing_left(&ctx, &h, backend).await;
        finish(&ctx).await;
    })
    .await;
}
