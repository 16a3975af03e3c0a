//! Workspaces: the rules (owner only, names, quota), every file operation's path confinement,
//! uploads that leave nothing half-written, deletion that leaves nothing behind, and the jobs
//! that start Jupyter servers.

mod admin;
mod cancel;
mod confinement;
mod jobs;
mod runs;
mod selection;

use std::sync::Arc;

use entity::workspace::Workspace;
use service::testing::{on_every_backend, people};
use service::workspaces::{self, files, upload, WorkspaceInput, WorkspacePatch};
use service::{Actor, Ctx, Registration, ServiceError};

pub fn code(e: &ServiceError) -> String {
    e.fields()
        .first()
        .map_or_else(|| e.code().to_owned(), |f| f.code.clone())
}

pub async fn make(ctx: &Ctx, who: &Actor, name: &str) -> Workspace {
    workspaces::create(
        ctx,
        Some(who),
        WorkspaceInput {
            name: name.into(),
            description: Some("analysis".into()),
        },
        false,
    )
    .await
    .unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// The same context with a quota of `bytes`.
pub fn with_quota(ctx: &Ctx, bytes: u64) -> Ctx {
    let mut settings = (*ctx.settings).clone();
    settings.workspaces.quota_bytes = bytes;
    Ctx {
        settings: Arc::new(settings),
        ..ctx.clone()
    }
}

pub fn root_of(ctx: &Ctx, who: &Actor, ws: &Workspace) -> std::path::PathBuf {
    workspaces::store::workspace_root(&ctx.settings.data_dir, who.user.id, ws.id)
}

#[tokio::test]
async fn a_new_workspace_is_laid_out_and_only_its_owner_opens_it() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let ws = make(&ctx, &p.mentee, "Sales 2026").await;
        let root = root_of(&ctx, &p.mentee, &ws);
        for dir in ["notebooks", "data", "outputs"] {
            assert!(root.join(dir).is_dir(), "{backend}: {dir}");
        }
        assert!(root.join("notebooks/01_clean.ipynb").is_file(), "{backend}");
        assert!(ws.size_bytes > 0, "{backend}: the welcome files count");
        assert_eq!(ws.jupyter, "stopped");

        // A name is taken once per owner, whatever the spacing; another person may use it.
        let again = workspaces::create(
            &ctx,
            Some(&p.mentee),
            WorkspaceInput {
                name: " Sales 2026 ".into(),
                description: None,
            },
            false,
        )
        .await
        .unwrap_err();
        assert_eq!(
            (again.kind().status(), code(&again).as_str()),
            (409, "name_taken")
        );
        make(&ctx, &p.other_mentee, "Sales 2026").await;
        let blank = workspaces::create(&ctx, Some(&p.mentee), WorkspaceInput::default(), false)
            .await
            .unwrap_err();
        assert_eq!(code(&blank), "required", "{backend}");

        // Everyone else, admins included, finds nothing: not even that it exists.
        for other in [
            &p.other_mentee,
            &p.admin,
            &p.company_admin,
            &p.foreign_mentee,
        ] {
            let e = workspaces::get(&ctx, Some(other), ws.id).await.unwrap_err();
            assert!(
                matches!(e, ServiceError::NotFound { .. }),
                "{backend}: {e:?}"
            );
            let e = files::list(&ctx, Some(other), ws.id, "", Default::default(), false)
                .await
                .unwrap_err();
            assert!(
                matches!(e, ServiceError::NotFound { .. }),
                "{backend}: {e:?}"
            );
            let e = workspaces::delete(&ctx, Some(other), ws.id)
                .await
                .unwrap_err();
            assert!(
                matches!(e, ServiceError::NotFound { .. }),
                "{backend}: {e:?}"
            );
        }
        assert!(workspaces::get(&ctx, None, ws.id).await.is_err());

        // Rename: a taken name is refused, a free one sticks.
        let mine = make(&ctx, &p.mentee, "Other").await;
        let clash = workspaces::update(
            &ctx,
            Some(&p.mentee),
            mine.id,
            WorkspacePatch {
                name: Some("Sales 2026".into()),
                description: None,
            },
        )
        .await
        .unwrap_err();
        assert_eq!(code(&clash), "name_taken");
        let renamed = workspaces::update(
            &ctx,
            Some(&p.mentee),
            mine.id,
            WorkspacePatch {
                name: Some("Churn".into()),
                description: Some("Q3".into()),
            },
        )
        .await
        .expect(backend);
        assert_eq!(
            (renamed.name.as_str(), renamed.description.as_str()),
            ("Churn", "Q3")
        );
        let list = workspaces::list(&ctx, Some(&p.mentee), Default::default())
            .await
            .expect(backend);
        let names: Vec<&str> = list.items.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(
            names,
            ["Churn", "Sales 2026"],
            "{backend}: mine only, by name"
        );
    })
    .await;
}

#[tokio::test]
async fn deleting_a_workspace_leaves_nothing_behind() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let ws = make(&ctx, &p.mentor, "Temp").await;
        let root = root_of(&ctx, &p.mentor, &ws);
        service::workspaces::runs::start(
            &ctx,
            Some(&p.mentor),
            ws.id,
            service::workspaces::runs::RunInput {
                notebooks: vec!["notebooks/01_clean.ipynb".into()],
            },
        )
        .await
        .expect(backend);
        workspaces::delete(&ctx, Some(&p.mentor), ws.id)
            .await
            .expect(backend);
        assert!(!root.exists(), "{backend}: the files are gone");
        let e = workspaces::get(&ctx, Some(&p.mentor), ws.id)
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }));
        // The queued run went with it; its job finds nothing to do.
        assert_eq!(service::jobs::run_pending(&ctx).await.expect(backend), 1);
        let usage = workspaces::usage(&ctx, Some(&p.mentor))
            .await
            .expect(backend);
        assert_eq!(usage.used_bytes, 0, "{backend}");
    })
    .await;
}

/// A reader that gives `n` bytes, then fails as a dropped connection does.
struct CutAfter(usize);

impl tokio::io::AsyncRead for CutAfter {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        if self.0 == 0 {
            return std::task::Poll::Ready(Err(std::io::ErrorKind::ConnectionReset.into()));
        }
        let n = self.0.min(buf.remaining()).min(4096);
        buf.put_slice(&vec![b'x'; n]);
        self.0 -= n;
        std::task::Poll::Ready(Ok(()))
    }
}

fn partials(ctx: &Ctx, who: &Actor) -> usize {
    let dir = workspaces::store::user_root(&ctx.settings.data_dir, who.user.id).join(".partial");
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

#[tokio::test]
async fn uploads_past_the_quota_or_cut_off_leave_nothing() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let ws = make(&ctx, &p.mentee, "Quota").await;
        let used = workspaces::usage(&ctx, Some(&p.mentee))
            .await
            .unwrap()
            .used_bytes;
        let ctx = with_quota(&ctx, used + 10_000);
        let me = Some(&p.mentee);

        // Announced too large: refused before a byte is read.
        let e = upload::write_file(&ctx, me, ws.id, "data/big.bin", CutAfter(0), Some(10_001))
            .await
            .unwrap_err();
        assert_eq!(
            (e.kind().status(), code(&e).as_str()),
            (413, "quota_exceeded"),
            "{backend}"
        );
        // Not announced, and growing past the room: refused while streaming.
        let big: &[u8] = &[7u8; 20_000];
        let e = upload::write_file(&ctx, me, ws.id, "data/big.bin", big, None)
            .await
            .unwrap_err();
        assert_eq!(code(&e), "quota_exceeded", "{backend}");
        // Cut off half-way.
        let e = upload::write_file(&ctx, me, ws.id, "data/cut.bin", CutAfter(5_000), None)
            .await
            .unwrap_err();
        assert_eq!(code(&e), "upload_incomplete", "{backend}");
        let root = root_of(&ctx, &p.mentee, &ws);
        assert!(!root.join("data/big.bin").exists() && !root.join("data/cut.bin").exists());
        assert_eq!(
            partials(&ctx, &p.mentee),
            0,
            "{backend}: no temporary file stays"
        );

        // Within the room: written, then replaced (its old size is room again).
        let small: &[u8] = &[1u8; 6_000];
        let w = upload::write_file(&ctx, me, ws.id, "data/a.bin", small, Some(6_000))
            .await
            .expect(backend);
        assert!(w.created);
        let again: &[u8] = &[2u8; 9_000];
        let w = upload::write_file(&ctx, me, ws.id, "data/a.bin", again, None)
            .await
            .expect(backend);
        assert!(!w.created, "{backend}: replaced");
        assert_eq!(std::fs::read(root.join("data/a.bin")).unwrap(), again);
        assert_eq!(w.entry.size, 9_000);
    })
    .await;
}

#[tokio::test]
async fn folders_list_sort_move_and_delete() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let ws = make(&ctx, &p.mentee, "Files").await;
        let me = Some(&p.mentee);
        for (name, size) in [
            ("file 10.csv", 30usize),
            ("file 2.csv", 10),
            ("file 1.csv", 20),
        ] {
            let body = vec![b'a'; size];
            upload::write_file(&ctx, me, ws.id, &format!("data/{name}"), &body[..], None)
                .await
                .expect(backend);
        }
        files::make_folder(&ctx, me, ws.id, "data/raw")
            .await
            .expect(backend);
        // The page's form names one folder inside the one shown.
        let named = files::make_folder_named(&ctx, me, ws.id, "data", " 정리 ")
            .await
            .expect(backend);
        assert_eq!(named.path, "data/정리");
        let e = files::make_folder_named(&ctx, me, ws.id, "data", "../x")
            .await
            .unwrap_err();
        assert_eq!(code(&e), "invalid_name");
        files::delete(&ctx, me, ws.id, "data/정리")
            .await
            .expect(backend);
        let e = files::make_folder(&ctx, me, ws.id, "data/raw")
            .await
            .unwrap_err();
        assert_eq!(code(&e), "exists");
        let e = files::make_folder(&ctx, me, ws.id, "nope/deeper")
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{e:?}");

        let names = |l: &entity::workspace::Listing| {
            l.entries.iter().map(|e| e.name.clone()).collect::<Vec<_>>()
        };
        let by_name = files::list(&ctx, me, ws.id, "data", files::SortBy::Name, false)
            .await
            .expect(backend);
        assert_eq!(
            names(&by_name),
            [
                "raw",
                "file 1.csv",
                "file 2.csv",
                "file 10.csv",
                "sales.csv"
            ],
            "{backend}: folders first, then natural order"
        );
        let by_size = files::list(&ctx, me, ws.id, "data", files::SortBy::Size, true)
            .await
            .expect(backend);
        assert_eq!(names(&by_size)[0], "raw");
        assert!(by_size.entries[1].size >= by_size.entries[2].size);

        let moved = files::move_entry(&ctx, me, ws.id, "data/file 1.csv", "data/raw/one.csv")
            .await
            .expect(backend);
        assert_eq!(moved.path, "data/raw/one.csv");
        let e = files::move_entry(&ctx, me, ws.id, "data/file 2.csv", "data/file 10.csv")
            .await
            .unwrap_err();
        assert_eq!(
            code(&e),
            "exists",
            "{backend}: nothing is replaced by a move"
        );
        let e = files::move_entry(&ctx, me, ws.id, "data", "data/raw/inside")
            .await
            .unwrap_err();
        assert_eq!(code(&e), "into_itself");

        files::delete(&ctx, me, ws.id, "data/raw")
            .await
            .expect(backend);
        let after = files::list(&ctx, me, ws.id, "data", files::SortBy::Name, false)
            .await
            .expect(backend);
        assert!(!names(&after).contains(&"raw".to_owned()));
        let e = files::delete(&ctx, me, ws.id, "").await.unwrap_err();
        assert_eq!(
            code(&e),
            "required",
            "the root itself is not deleted as a file"
        );
    })
    .await;
}
