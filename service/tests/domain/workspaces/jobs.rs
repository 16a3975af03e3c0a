//! The job table: one claim per job however many workers ask, a lease that outlives a dead
//! worker only so long, and a Jupyter start that fails with its reason and frees its port.

use service::jobs;
use service::testing::{on_every_backend, people};
use service::Registration;

use super::make;

#[tokio::test]
async fn a_job_is_claimed_once_until_its_lease_runs_out() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let job = jobs::enqueue(&ctx, "test_kind", 7).await.expect(backend);
        let replica = ctx.replica();
        let first = jobs::claim(&ctx).await.expect(backend).expect("claimed");
        assert_eq!((first.id, first.attempts), (job.id, 1));
        assert!(
            jobs::claim(&replica).await.expect(backend).is_none(),
            "{backend}: held"
        );

        // Its worker died: once the lease has run out another worker takes it.
        use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
        let mut stale = entity::job::Entity::find_by_id(job.id)
            .one(&ctx.db)
            .await
            .unwrap()
            .unwrap()
            .into_active_model();
        stale.lease_until = Set(Some(chrono::Utc::now() - chrono::Duration::seconds(1)));
        stale.update(&ctx.db).await.unwrap();
        let again = jobs::claim(&replica)
            .await
            .expect(backend)
            .expect("reclaimed");
        assert_eq!((again.id, again.attempts), (job.id, 2), "{backend}");
        jobs::finish(&replica, job.id, Ok(())).await.unwrap();
        assert!(jobs::claim(&ctx).await.expect(backend).is_none());
    })
    .await;
}

#[tokio::test]
async fn a_start_that_cannot_run_fails_with_why_and_frees_its_port() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let ctx = without_jupyter(&ctx);
        let ws = make(&ctx, &p.mentee, "No Jupyter").await;
        let status = service::jupyter::start(&ctx, Some(&p.mentee), ws.id)
            .await
            .expect(backend);
        assert_eq!(status.state, "starting");
        // Asking again while it starts changes nothing.
        let again = service::jupyter::start(&ctx, Some(&p.mentee), ws.id)
            .await
            .expect(backend);
        assert_eq!(again.steps, status.steps);
        assert_eq!(jobs::run_pending(&ctx).await.expect(backend), 1);
        let failed = service::jupyter::status(&ctx, Some(&p.mentee), ws.id)
            .await
            .expect(backend);
        assert_eq!(failed.state, "failed", "{backend}");
        let error = failed.error.unwrap_or_default();
        assert!(error.contains("/nonexistent/jupyter"), "{backend}: {error}");
        let steps: Vec<&str> = failed.steps.iter().map(|s| s.step.as_str()).collect();
        assert_eq!(steps, ["queued", "port", "failed"], "{backend}");
        let row = <entity::jupyter::Entity as sea_orm::EntityTrait>::find_by_id(ws.id)
            .one(&ctx.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.port, None, "{backend}: the port is free again");

        // Someone else learns nothing, and cannot start it.
        let e = service::jupyter::start(&ctx, Some(&p.other_mentee), ws.id)
            .await
            .unwrap_err();
        assert!(matches!(e, service::ServiceError::NotFound { .. }));
    })
    .await;
}

/// A worker woken by `start` finds the record already naming its job. It used to be woken before
/// the record named the job, claim it, drop it as stale, and leave the record "starting" for good
/// (CI's no-JavaScript JupyterLab test once waited two minutes on that). A real worker runs beside
/// the starts here, as in the server, and every start must be taken up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_start_is_taken_up_by_a_running_worker() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let ctx = without_jupyter(&ctx);
        let ws = make(&ctx, &p.mentee, "Worker beside").await;
        let _worker = service::testing::Worker::spawn(&ctx);
        for attempt in 0..50 {
            service::jupyter::start(&ctx, Some(&p.mentee), ws.id)
                .await
                .expect(backend);
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            loop {
                let state = service::jupyter::status(&ctx, Some(&p.mentee), ws.id)
                    .await
                    .expect(backend)
                    .state;
                if state != "starting" {
                    assert_eq!(state, "failed", "{backend}: start {attempt}");
                    break;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "{backend}: start {attempt} was never taken up"
                );
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
    })
    .await;
}

/// A context whose JupyterLab cannot start (its command does not exist): starts fail at once.
fn without_jupyter(ctx: &service::Ctx) -> service::Ctx {
    let mut settings = (*ctx.settings).clone();
    settings.workspaces.jupyter = "/nonexistent/jupyter".into();
    service::Ctx {
        settings: std::sync::Arc::new(settings),
        ..ctx.clone()
    }
}
