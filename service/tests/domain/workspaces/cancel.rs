//! Cancelling notebook runs: a queued run at once (its job then does nothing), a running one
//! through the flag its worker polls (stopped with every process it started), a finished one
//! refused, and nobody else's.

use std::time::{Duration, Instant};

use entity::notebook_run::Run;
use sea_orm::{ConnectionTrait, EntityTrait};
use service::testing::{jupyter_venv, on_every_backend, people, TestDb};
use service::workspaces::runs::{self, RunInput};
use service::{jobs, Ctx, Registration, ServiceError};

use super::{code, make, root_of};

fn one(path: &str) -> RunInput {
    RunInput {
        notebooks: vec![path.into()],
    }
}

fn with_jupyter(ctx: &Ctx, venv: std::path::PathBuf) -> Ctx {
    let mut settings = (*ctx.settings).clone();
    settings.workspaces.jupyter = venv;
    Ctx {
        settings: std::sync::Arc::new(settings),
        ..ctx.clone()
    }
}

fn statuses(run: &Run) -> Vec<&str> {
    run.notebooks.iter().map(|n| n.status.as_str()).collect()
}

#[tokio::test]
async fn a_queued_run_is_cancelled_at_once_and_its_job_does_nothing() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        // No Python: whatever the job would start cannot start.
        let ctx = with_jupyter(&ctx, "/nonexistent/jupyter".into());
        let p = people(&ctx).await;
        let ws = make(&ctx, &p.mentee, "Cancel").await;
        let me = Some(&p.mentee);
        let both = RunInput {
            notebooks: vec![
                "notebooks/01_clean.ipynb".into(),
                "notebooks/02_analyse.ipynb".into(),
            ],
        };
        let queued = runs::start(&ctx, me, ws.id, both).await.expect(backend);

        // Someone else's run, or one that is not there, is not found.
        for (who, id) in [(&p.other_mentee, queued.id), (&p.mentee, queued.id + 100)] {
            let e = runs::cancel(&ctx, Some(who), ws.id, id).await.unwrap_err();
            assert!(
                matches!(e, ServiceError::NotFound { .. }),
                "{backend}: {e:?}"
            );
        }

        let cancelled = runs::cancel(&ctx, me, ws.id, queued.id)
            .await
            .expect(backend);
        assert_eq!(cancelled.status, "cancelled", "{backend}");
        assert_eq!(
            statuses(&cancelled),
            ["cancelled", "cancelled"],
            "{backend}"
        );
        assert!(cancelled.finished_at.is_some() && cancelled.started_at.is_none());
        let again = runs::cancel(&ctx, me, ws.id, queued.id)
            .await
            .expect(backend);
        assert_eq!(
            again.status, "cancelled",
            "{backend}: asking again changes nothing"
        );
        assert_eq!(again.finished_at, cancelled.finished_at, "{backend}");

        // Its job is claimed and ends without running anything.
        assert_eq!(jobs::run_pending(&ctx).await.expect(backend), 1);
        let run = runs::get(&ctx, me, ws.id, queued.id).await.expect(backend);
        assert_eq!(run, cancelled, "{backend}: the job left it alone");

        // A finished run cannot be cancelled (this one failed: there is no Python).
        let failed = runs::start(&ctx, me, ws.id, one("notebooks/01_clean.ipynb"))
            .await
            .expect(backend);
        jobs::run_pending(&ctx).await.expect(backend);
        let failed = runs::get(&ctx, me, ws.id, failed.id).await.expect(backend);
        assert_eq!(failed.status, "failed", "{backend}");
        let e = runs::cancel(&ctx, me, ws.id, failed.id).await.unwrap_err();
        assert_eq!(
            (e.kind().status(), code(&e).as_str()),
            (409, "run_finished"),
            "{backend}"
        );
        assert!(e.to_string().contains("already failed"), "{backend}: {e}");
    })
    .await;
}

#[tokio::test]
async fn a_running_run_is_asked_to_stop_and_a_retried_job_honours_it() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let ctx = with_jupyter(&ctx, "/nonexistent/jupyter".into());
        let p = people(&ctx).await;
        let ws = make(&ctx, &p.mentee, "Cancel").await;
        let me = Some(&p.mentee);
        let run = runs::start(&ctx, me, ws.id, one("notebooks/01_clean.ipynb"))
            .await
            .expect(backend);
        // As a worker that began it and then died would leave it.
        let sql = format!(
            "UPDATE notebook_run SET status = 'running' WHERE id = {}",
            run.id
        );
        ctx.db.execute_unprepared(&sql).await.expect(backend);

        let asked = runs::cancel(&ctx, me, ws.id, run.id).await.expect(backend);
        assert_eq!(
            asked.status, "running",
            "{backend}: until its worker notices"
        );
        assert!(asked.cancel_requested_at.is_some(), "{backend}");
        let again = runs::cancel(&ctx, me, ws.id, run.id).await.expect(backend);
        assert_eq!(
            again.cancel_requested_at, asked.cancel_requested_at,
            "{backend}"
        );
        let stored = runs::get(&ctx, me, ws.id, run.id).await.expect(backend);
        assert!(
            stored.cancel_requested_at.is_some(),
            "{backend}: in the row"
        );

        // The job taken again finds the request and ends the run without starting anything.
        assert_eq!(jobs::run_pending(&ctx).await.expect(backend), 1);
        let ended = runs::get(&ctx, me, ws.id, run.id).await.expect(backend);
        assert_eq!(ended.status, "cancelled", "{backend}");
        assert_eq!(statuses(&ended), ["cancelled"], "{backend}");
        assert!(ended.finished_at.is_some(), "{backend}");
        let e = runs::cancel(&ctx, Some(&p.other_mentee), ws.id, run.id)
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");
    })
    .await;
}

fn slow_notebook() -> String {
    let cell = |source: &str| {
        serde_json::json!({"cell_type": "code", "metadata": {}, "source": source,
                           "outputs": [], "execution_count": null})
    };
    serde_json::json!({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [cell("x = 1"), cell("import time\ntime.sleep(60)"), cell("print('never')")]
    })
    .to_string()
}

/// With the real Jupyter tooling (one backend: the kernel is the slow part): a run sleeping in
/// its second cell is cancelled through the database flag, as from another replica, and
/// leaves no process behind.
#[tokio::test]
async fn cancelling_a_running_notebook_kills_it_and_its_kernel() {
    let (tdb, db) = TestDb::new("sqlite").await;
    let ctx = service::testing::ctx(db.clone(), Registration::Invite);
    let ctx = with_jupyter(&ctx, jupyter_venv());
    let p = people(&ctx).await;
    let ws = make(&ctx, &p.mentee, "Slow").await;
    let root = root_of(&ctx, &p.mentee, &ws);
    std::fs::write(root.join("notebooks/slow.ipynb"), slow_notebook()).unwrap();
    let me = Some(&p.mentee);
    let next = runs::RunInput {
        notebooks: vec![
            "notebooks/slow.ipynb".into(),
            "notebooks/01_clean.ipynb".into(),
        ],
    };
    let run = runs::start(&ctx, me, ws.id, next).await.unwrap();
    let worker = tokio::spawn({
        let ctx = ctx.clone();
        async move { jobs::run_pending(&ctx).await }
    });

    // Once its first cell ran, the kernel is up and sleeping in the second.
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let now = runs::get(&ctx, me, ws.id, run.id).await.unwrap();
        if now.notebooks[0].cells_done == 1 {
            break;
        }
        assert!(now.status != "failed", "{now:?}");
        assert!(
            Instant::now() < deadline,
            "the kernel never ran a cell: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        !service::testing::processes_in(&root).is_empty(),
        "it runs in the root"
    );

    let asked = Instant::now();
    let answer = runs::cancel(&ctx, me, ws.id, run.id).await.unwrap();
    assert_eq!(answer.status, "running");
    assert!(answer.cancel_requested_at.is_some());
    tokio::time::timeout(Duration::from_secs(10), worker)
        .await
        .expect("the worker stops the run within seconds")
        .unwrap()
        .unwrap();
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "{:?}",
        asked.elapsed()
    );

    let ended = runs::get(&ctx, me, ws.id, run.id).await.unwrap();
    assert_eq!(ended.status, "cancelled", "{ended:?}");
    assert!(ended.finished_at.is_some());
    let (slow, next) = (&ended.notebooks[0], &ended.notebooks[1]);
    assert_eq!(
        (slow.status.as_str(), slow.cells_done, slow.cells_total),
        ("cancelled", 1, 3),
        "the notebook cut short keeps its progress: {slow:?}"
    );
    assert_eq!((next.status.as_str(), next.cells_done), ("cancelled", 0));
    assert!(
        !root.join("data/cleaned.csv").exists(),
        "the next notebook never ran"
    );
    service::testing::assert_no_process_in(&root).await;
    let job = entity::job::Entity::find().all(&ctx.db).await.unwrap();
    assert_eq!(job[0].state, "done", "a cancelled run is not a failed job");

    let e = runs::cancel(&ctx, me, ws.id, run.id).await.unwrap();
    assert_eq!(e.status, "cancelled", "cancelling again returns it");
    tdb.finish(db).await;
    service::testing::remove_data_dir(&ctx);
}
