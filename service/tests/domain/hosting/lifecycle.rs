//! The whole state machine on libvirt's test driver and a real nginx: create, stop, start,
//! restart, delete; one hosting per person; 409 where the state forbids; the timeline.

use entity::hosting::HostingStatus;
use service::hosting::{self, Op};
use service::jobs;
use service::testing::{on_every_backend, people};
use service::{Registration, ServiceError};

use super::support::{all_there, domain, finish, hosting_ctx, nothing_left};

#[tokio::test]
async fn a_hosting_lives_its_whole_life() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let ctx = hosting_ctx(&ctx);
        let p = people(&ctx).await;
        let me = Some(&p.mentee);
        assert!(matches!(
            hosting::mine(&ctx, me).await,
            Err(ServiceError::NotFound { .. })
        ));

        let h = hosting::create(&ctx, me).await.expect(backend);
        assert_eq!(
            (h.status, h.op.as_deref()),
            (HostingStatus::Creating, Some("create"))
        );
        assert!(h.web_url.is_none(), "no address before it exists");
        let again = hosting::create(&ctx, me).await;
        assert!(
            matches!(again, Err(ServiceError::Conflict(_))),
            "{backend}: one per person"
        );

        jobs::run_pending(&ctx).await.unwrap();
        all_there(&ctx, &h, backend).await;
        let h = hosting::mine(&ctx, me).await.unwrap();
        assert_eq!(h.op, None);
        let port = h.ssh_port.expect("ssh port");
        assert!((10000..=20000).contains(&port));
        assert_eq!(
            h.ssh_command.as_deref(),
            Some(format!("ssh -p {port} nuri@localhost").as_str())
        );
        assert_eq!(
            h.web_url,
            Some(format!(
                "{}/{}/",
                ctx.settings.hosting.web_base,
                p.mentee.id()
            ))
        );
        let steps: Vec<String> = hosting::events(&ctx, me)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.step)
            .collect();
        assert_eq!(
            steps,
            ["queued", "allocate", "seed", "define", "start", "wait", "rule", "ready"],
            "{backend}"
        );

        // Stop, and what the state forbids meanwhile.
        let stopping = hosting::act(&ctx, me, Op::Stop).await.unwrap();
        assert_eq!(stopping.status, HostingStatus::Stopping);
        assert!(matches!(
            hosting::act(&ctx, me, Op::Start).await,
            Err(ServiceError::Conflict(_))
        ));
        jobs::run_pending(&ctx).await.unwrap();
        let stopped = hosting::mine(&ctx, me).await.unwrap();
        assert_eq!(stopped.status, HostingStatus::Stopped);
        assert_eq!(domain(&ctx, &h.vm_id).await, Some(false));
        assert!(matches!(
            hosting::act(&ctx, me, Op::Stop).await,
            Err(ServiceError::Conflict(_))
        ));

        hosting::act(&ctx, me, Op::Start).await.unwrap();
        jobs::run_pending(&ctx).await.unwrap();
        all_there(&ctx, &h, backend).await;

        hosting::act(&ctx, me, Op::Restart).await.unwrap();
        jobs::run_pending(&ctx).await.unwrap();
        all_there(&ctx, &h, backend).await;
        let restarted: Vec<(HostingStatus, HostingStatus)> = hosting::events(&ctx, me)
            .await
            .unwrap()
            .into_iter()
            .rev()
            .take(4)
            .map(|e| (e.from, e.to))
            .collect();
        assert!(restarted.contains(&(HostingStatus::Stopping, HostingStatus::Stopped)));
        assert!(restarted.contains(&(HostingStatus::Stopped, HostingStatus::Running)));

        let deleting = hosting::act(&ctx, me, Op::Delete).await.unwrap();
        assert_eq!(deleting.status, HostingStatus::Deleting);
        jobs::run_pending(&ctx).await.unwrap();
        nothing_left(&ctx, &h, backend).await;
        assert!(matches!(
            hosting::mine(&ctx, me).await,
            Err(ServiceError::NotFound { .. })
        ));

        // A new one may be made after.
        let second = hosting::create(&ctx, me).await.expect("a new hosting");
        assert_ne!(second.id, h.id);
        jobs::run_pending(&ctx).await.unwrap();
        all_there(&ctx, &second, backend).await;
        hosting::act(&ctx, me, Op::Delete).await.unwrap();
        jobs::run_pending(&ctx).await.unwrap();
        nothing_left(&ctx, &second, backend).await;
        finish(&ctx).await;
    })
    .await;
}

#[tokio::test]
async fn racing_creates_make_one_hosting_and_twenty_people_never_share_a_port() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let ctx = hosting_ctx(&ctx);
        let p = people(&ctx).await;

        // One person, ten requests at once: one hosting.
        let tries = (0..10).map(|_| hosting::create(&ctx, Some(&p.mentor)));
        let results = futures_util::future::join_all(tries).await;
        let made = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(made, 1, "{backend}: {results:?}");
        assert!(results
            .iter()
            .all(|r| r.is_ok() || matches!(r, Err(ServiceError::Conflict(_)))));

        // Twenty people, created and run at once by several workers.
        let mut actors = Vec::new();
        for i in 0..20 {
            actors.push(
                service::testing::quick_person(
                    &ctx,
                    &format!("host{i}@a.test"),
                    p.mentee.user.company_id,
                )
                .await,
            );
        }
        let made =
            futures_util::future::join_all(actors.iter().map(|a| hosting::create(&ctx, Some(a))))
                .await;
        let made: Vec<_> = made.into_iter().map(|r| r.expect(backend)).collect();
        let workers = (0..4).map(|_| {
            let ctx = ctx.replica();
            async move { jobs::run_pending(&ctx).await.unwrap() }
        });
        futures_util::future::join_all(workers).await;
        jobs::run_pending(&ctx).await.unwrap();
        let mut ssh = std::collections::HashSet::new();
        let mut http = std::collections::HashSet::new();
        for h in &made {
            all_there(&ctx, h, backend).await;
            let r = super::support::row(&ctx, h.id).await;
            assert!(
                ssh.insert(r.ssh_port.unwrap()),
                "{backend}: SSH port shared"
            );
            assert!(
                http.insert(r.http_port.unwrap()),
                "{backend}: web port shared"
            );
        }
        for a in &actors {
            hosting::act(&ctx, Some(a), Op::Delete).await.unwrap();
        }
        hosting::act(&ctx, Some(&p.mentor), Op::Delete)
            .await
            .unwrap();
        jobs::run_pending(&ctx).await.unwrap();
        for h in &made {
            nothing_left(&ctx, h, backend).await;
        }
        finish(&ctx).await;
    })
    .await;
}

#[tokio::test]
async fn closing_an_account_deletes_its_hosting() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let ctx = hosting_ctx(&ctx);
        let p = people(&ctx).await;
        let h = hosting::create(&ctx, Some(&p.mentee)).await.unwrap();
        jobs::run_pending(&ctx).await.unwrap();
        service::users::update(
            &ctx,
            Some(&p.admin),
            p.mentee.id(),
            service::users::UserPatch {
                is_active: Some(false),
                ..Default::default()
            },
        )
        .await
        .expect(backend);
        jobs::run_pending(&ctx).await.unwrap();
        nothing_left(&ctx, &h, backend).await;
        let r = super::support::row(&ctx, h.id).await;
        assert_eq!(r.status(), HostingStatus::Deleted, "{backend}");
        finish(&ctx).await;
    })
    .await;
}

#[tokio::test]
async fn without_a_hypervisor_hosting_says_so_and_nothing_else_changes() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let mut s = (*ctx.settings).clone();
        s.hosting.hypervisors = vec!["qemu+tcp://127.0.0.1:1/system".into()];
        let ctx = service::Ctx {
            settings: std::sync::Arc::new(s),
            ..ctx.clone()
        };
        let p = people(&ctx).await;
        let view = hosting::view(&ctx, Some(&p.mentee)).await.expect(backend);
        let why = view.unavailable.expect("unavailable");
        assert!(why.contains("NURI_HYPERVISORS"), "{why}");
        assert!(matches!(
            hosting::create(&ctx, Some(&p.mentee)).await,
            Err(ServiceError::Unavailable(_))
        ));
        assert!(hosting::mine(&ctx, Some(&p.mentee)).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn a_new_hosting_goes_to_the_hypervisor_with_the_most_free_memory() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let ctx = hosting_ctx(&ctx);
        let p = people(&ctx).await;
        // Two test-driver hosts of different sizes (each connection its own private host).
        let node = |kib: u64| {
            let path = ctx.settings.data_dir.join(format!("node-{kib}.xml"));
            std::fs::write(
                &path,
                format!(
                    "<node><cpu><mhz>2000</mhz><model>i686</model><nodes>1</nodes>\
                     <sockets>1</sockets><cores>2</cores><threads>1</threads><active>2</active>\
                     </cpu><memory>{kib}</memory></node>"
                ),
            )
            .unwrap();
            format!("test://{}", path.display())
        };
        let (small, big) = (node(1024 * 1024), node(8 * 1024 * 1024));
        let mut s = (*ctx.settings).clone();
        s.hosting.hypervisors = vec![small.clone(), big.clone()];
        let two = service::Ctx {
            settings: std::sync::Arc::new(s),
            ..ctx.clone()
        };
        hosting::create(&two, Some(&p.mentee)).await.expect(backend);
        jobs::run_pending(&two).await.unwrap();
        let h = hosting::mine(&two, Some(&p.mentee)).await.unwrap();
        assert_eq!(h.status, HostingStatus::Running, "{backend}: {:?}", h.error);
        assert_eq!(h.host.as_deref(), Some(big.as_str()), "{backend}");
        hosting::act(&two, Some(&p.mentee), Op::Delete)
            .await
            .unwrap();
        jobs::run_pending(&two).await.unwrap();

        // Two connections to the default test driver (one host seen twice): the first wins a tie.
        let mut s = (*ctx.settings).clone();
        s.hosting.hypervisors = vec!["test:///default".into(), "test:///default?second".into()];
        let tie = service::Ctx {
            settings: std::sync::Arc::new(s),
            ..ctx.clone()
        };
        hosting::create(&tie, Some(&p.mentor)).await.expect(backend);
        jobs::run_pending(&tie).await.unwrap();
        let h2 = hosting::mine(&tie, Some(&p.mentor)).await.unwrap();
        assert_eq!(
            h2.host.as_deref(),
            Some("test:///default"),
            "{backend}: {:?}",
            h2.error
        );
        hosting::act(&tie, Some(&p.mentor), Op::Delete)
            .await
            .unwrap();
        jobs::run_pending(&tie).await.unwrap();
        finish(&ctx).await;
    })
    .await;
}

/// With the worker running beside the requests, as in the server, every operation is taken up at
/// once. The hosting used to be pointed at its job only after the worker was woken, so the worker
/// could drop the job as stale and leave the hosting "queued" until the reconciler came by (the
/// "queued for 78 s" of #13).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_is_taken_up_by_a_running_worker() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let ctx = hosting_ctx(&ctx);
        let p = people(&ctx).await;
        let me = Some(&p.mentee);
        let worker = service::testing::Worker::spawn(&ctx);
        hosting::create(&ctx, me).await.expect(backend);
        settled(&ctx, me, &format!("{backend}: create")).await;
        for round in 0..10 {
            for op in [Op::Stop, Op::Start] {
                hosting::act(&ctx, me, op).await.expect(backend);
                settled(&ctx, me, &format!("{backend}: {op:?} in round {round}")).await;
            }
        }
        drop(worker);
        hosting::act(&ctx, me, Op::Delete).await.unwrap();
        jobs::run_pending(&ctx).await.unwrap();
        finish(&ctx).await;
    })
    .await;
}

/// Waits until the hosting has no operation in flight (10 s at most: the worker is woken at once).
async fn settled(ctx: &service::Ctx, me: Option<&service::Actor>, what: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let h = hosting::mine(ctx, me).await.unwrap();
        if h.op.is_none() {
            assert_ne!(h.status, HostingStatus::Error, "{what}: {:?}", h.error);
            // The worker back to waiting for a wake-up, as between a person's clicks.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what} was never taken up ({:?})",
            h.status
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
