//! The admin overview: an admin sees their company's people's workspaces (never another
//! company's, never files), the platform admin sees all, and an admin can stop a JupyterLab.

use entity::PageRequest;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use service::testing::{on_every_backend, people};
use service::workspaces::admin;
use service::Registration;

use super::make;

fn all() -> PageRequest {
    PageRequest::new(None, Some(100))
}

#[tokio::test]
async fn admins_oversee_their_companys_workspaces_and_stop_their_jupyterlab() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let mine = make(&ctx, &p.mentee, "Sales").await;
        let theirs = make(&ctx, &p.other_mentee, "Churn").await;
        let foreign = make(&ctx, &p.foreign_mentee, "Elsewhere").await;

        let names = |rows: &[entity::workspace::WorkspaceRow]| {
            let mut n: Vec<_> = rows.iter().map(|r| r.name.clone()).collect();
            n.sort();
            n
        };
        let seen = admin::list(&ctx, Some(&p.company_admin), all())
            .await
            .expect(backend);
        assert_eq!(names(&seen.items), ["Churn", "Sales"], "{backend}");
        let row = seen.items.iter().find(|r| r.id == mine.id).unwrap();
        assert_eq!(
            (row.owner_id, row.owner_email.as_str(), row.jupyter.as_str()),
            (p.mentee.user.id, p.mentee.user.email.as_str(), "stopped"),
            "{backend}"
        );
        assert_eq!(
            row.size_bytes, mine.size_bytes,
            "{backend}: what the owner sees"
        );
        let foreign_seen = admin::list(&ctx, Some(&p.foreign_admin), all())
            .await
            .unwrap();
        assert_eq!(names(&foreign_seen.items), ["Elsewhere"], "{backend}");
        let every = admin::list(&ctx, Some(&p.admin), all()).await.unwrap();
        assert_eq!(every.total, 3, "{backend}: the platform admin sees all");
        for who in [&p.mentor, &p.mentee] {
            let refused = admin::list(&ctx, Some(who), all()).await.unwrap_err();
            assert_eq!(refused.kind().status(), 403, "{backend}");
        }
        assert_eq!(
            admin::list(&ctx, None, all())
                .await
                .unwrap_err()
                .kind()
                .status(),
            401,
            "{backend}"
        );

        // A JupyterLab that runs (recorded so; no process here) counts and can be stopped.
        let now = chrono::Utc::now();
        entity::jupyter::ActiveModel {
            workspace_id: Set(mine.id),
            state: Set("running".into()),
            port: Set(Some(8890)),
            token: Set("t".into()),
            pid: Set(None),
            job_id: Set(None),
            started_at: Set(Some(now)),
            ready_at: Set(Some(now)),
            last_activity: Set(Some(now)),
            error: Set(None),
            updated_at: Set(now),
        }
        .insert(&ctx.db)
        .await
        .unwrap();
        let totals = admin::totals(&ctx, Some(&p.company_admin)).await.unwrap();
        assert_eq!(
            (totals.workspaces, totals.jupyter_active),
            (2, 1),
            "{backend}"
        );
        let foreign_totals = admin::totals(&ctx, Some(&p.foreign_admin)).await.unwrap();
        assert_eq!(
            (foreign_totals.workspaces, foreign_totals.jupyter_active),
            (1, 0)
        );

        // Another company's admin does not learn it exists; a mentor may not.
        let hidden = admin::stop_jupyter(&ctx, Some(&p.foreign_admin), mine.id)
            .await
            .unwrap_err();
        assert_eq!(hidden.kind().status(), 404, "{backend}");
        let refused = admin::stop_jupyter(&ctx, Some(&p.mentor), mine.id)
            .await
            .unwrap_err();
        assert_eq!(refused.kind().status(), 403, "{backend}");
        let stopped = admin::stop_jupyter(&ctx, Some(&p.company_admin), mine.id)
            .await
            .expect(backend);
        assert_eq!(stopped.jupyter, "stopping", "{backend}");
        let job = entity::job::Entity::find().all(&ctx.db).await.unwrap();
        assert!(
            job.iter()
                .any(|j| j.kind == service::jobs::JUPYTER_STOP && j.subject_id == mine.id),
            "{backend}: the stop is a job, as the owner's is"
        );
        // Stopping one that does not run changes nothing.
        let idle = admin::stop_jupyter(&ctx, Some(&p.company_admin), theirs.id)
            .await
            .unwrap();
        assert_eq!(idle.jupyter, "stopped", "{backend}");
        assert_eq!(
            admin::stop_jupyter(&ctx, Some(&p.admin), foreign.id)
                .await
                .unwrap()
                .jupyter,
            "stopped"
        );
    })
    .await;
}
