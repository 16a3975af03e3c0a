//! Notebook runs through the job table with the real Jupyter tooling: the welcome notebooks
//! chained through `data/cleaned.csv`, and a failing step that stops the list. One backend
//! only: the kernels are the slow part, and the records are the same on every database.

use service::testing::{jupyter_venv, people, TestDb};
use service::workspaces::runs::{self, RunInput};
use service::{jobs, Registration};

use super::{make, root_of};

#[tokio::test]
async fn runs_chain_notebooks_and_a_failing_step_stops_the_rest() {
    let (tdb, db) = TestDb::new("sqlite").await;
    let ctx = service::testing::ctx(db.clone(), Registration::Invite);
    let mut settings = (*ctx.settings).clone();
    settings.workspaces.jupyter = jupyter_venv();
    let ctx = service::Ctx {
        settings: std::sync::Arc::new(settings),
        ..ctx
    };
    let p = people(&ctx).await;
    let ws = make(&ctx, &p.mentee, "Runs").await;
    let root = root_of(&ctx, &p.mentee, &ws);
    let me = Some(&p.mentee);

    let both = RunInput {
        notebooks: vec![
            "notebooks/01_clean.ipynb".into(),
            "notebooks/02_analyse.ipynb".into(),
        ],
    };
    let queued = runs::start(&ctx, me, ws.id, both).await.unwrap();
    assert_eq!(queued.status, "queued");
    assert_eq!(jobs::run_pending(&ctx).await.unwrap(), 1);
    let run = runs::get(&ctx, me, ws.id, queued.id).await.unwrap();
    assert_eq!(run.status, "succeeded", "{run:?}");
    for n in &run.notebooks {
        assert_eq!(n.status, "succeeded", "{n:?}");
        assert!(n.cells_total > 0 && n.cells_done == n.cells_total, "{n:?}");
    }
    assert!(run.started_at.is_some() && run.finished_at.is_some());
    assert!(
        root.join("data/cleaned.csv").is_file(),
        "step 1 wrote what step 2 read"
    );
    assert!(root.join("outputs/summary.csv").is_file());
    let saved = std::fs::read_to_string(root.join("notebooks/01_clean.ipynb")).unwrap();
    assert!(
        saved.contains("\"outputs\": [\n") || saved.contains("\"output_type\""),
        "outputs saved"
    );

    // A failing first step: its cell and error are recorded, the next one never runs.
    std::fs::write(
        root.join("notebooks/00_bad.ipynb"),
        serde_json::json!({
            "nbformat": 4, "nbformat_minor": 5, "metadata": {},
            "cells": [
                {"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": [], "execution_count": null},
                {"cell_type": "code", "metadata": {}, "source": "1/0", "outputs": [], "execution_count": null}
            ]
        })
        .to_string(),
    )
    .unwrap();
    std::fs::remove_file(root.join("outputs/summary.csv")).unwrap();
    let bad = RunInput {
        notebooks: vec![
            "notebooks/00_bad.ipynb".into(),
            "notebooks/02_analyse.ipynb".into(),
        ],
    };
    let queued = runs::start(&ctx, me, ws.id, bad).await.unwrap();
    jobs::run_pending(&ctx).await.unwrap();
    let run = runs::get(&ctx, me, ws.id, queued.id).await.unwrap();
    assert_eq!(run.status, "failed");
    let (first, second) = (&run.notebooks[0], &run.notebooks[1]);
    assert_eq!(
        (first.status.as_str(), first.failed_cell),
        ("failed", Some(2)),
        "{first:?}"
    );
    assert!(
        first
            .error
            .as_deref()
            .unwrap_or("")
            .contains("ZeroDivisionError"),
        "{first:?}"
    );
    assert_eq!(second.status, "skipped");
    assert!(
        !root.join("outputs/summary.csv").exists(),
        "the second step never ran"
    );

    // Someone else sees no runs at all.
    let e = runs::get(&ctx, Some(&p.other_mentee), ws.id, queued.id)
        .await
        .unwrap_err();
    assert!(matches!(e, service::ServiceError::NotFound { .. }));
    tdb.finish(db).await;
    service::testing::remove_data_dir(&ctx);
}
