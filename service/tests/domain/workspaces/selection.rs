//! The folder picker and the selection: every folder listed (links not followed), moving into
//! a chosen folder (never into itself), renaming in place, and many paths deleted or moved at
//! once with a result per path.

use service::testing::{on_every_backend, people};
use service::workspaces::{bulk, files, upload};
use service::{Registration, ServiceError};

use super::{code, make, root_of};

#[tokio::test]
async fn folders_are_listed_depth_first_without_following_links() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let ws = make(&ctx, &p.mentee, "Picker").await;
        let me = Some(&p.mentee);
        let root = root_of(&ctx, &p.mentee, &ws);
        for dir in [
            "data/raw 10",
            "data/raw 2",
            "data/raw 2/deep",
            "outputs/plots",
        ] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        // Links are not folders here: one going round in a loop, one to a folder inside.
        std::os::unix::fs::symlink("..", root.join("data/loop")).unwrap();
        std::os::unix::fs::symlink("outputs", root.join("shortcut")).unwrap();
        let list = files::folders(&ctx, me, ws.id).await.expect(backend);
        assert_eq!(
            list.folders,
            [
                "",
                "data",
                "data/raw 2",
                "data/raw 2/deep",
                "data/raw 10",
                "notebooks",
                "outputs",
                "outputs/plots"
            ],
            "{backend}"
        );
        assert!(!list.truncated);

        // Bounded: a workspace with more folders than listed says so.
        for n in 0..files::FOLDERS_MAX {
            std::fs::create_dir(root.join(format!("outputs/plots/{n}"))).unwrap();
        }
        let list = files::folders(&ctx, me, ws.id).await.expect(backend);
        assert_eq!(list.folders.len(), files::FOLDERS_MAX, "{backend}");
        assert!(list.truncated, "{backend}");
        assert_eq!(list.folders[..2], ["", "data"], "{backend}: still in order");

        // Someone else's workspace is not found.
        let e = files::folders(&ctx, Some(&p.other_mentee), ws.id)
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn moving_into_a_chosen_folder_and_renaming() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let ws = make(&ctx, &p.mentee, "Moves").await;
        let me = Some(&p.mentee);
        let root = root_of(&ctx, &p.mentee, &ws);
        files::make_folder(&ctx, me, ws.id, "data/raw")
            .await
            .expect(backend);

        let moved = files::move_into(&ctx, me, ws.id, "data/sales.csv", "outputs")
            .await
            .expect(backend);
        assert_eq!(moved.path, "outputs/sales.csv");
        // The same name already there: 409, and nothing replaced.
        upload::write_file(&ctx, me, ws.id, "data/sales.csv", &b"new"[..], None)
            .await
            .expect(backend);
        let e = files::move_into(&ctx, me, ws.id, "data/sales.csv", "outputs")
            .await
            .unwrap_err();
        assert_eq!(
            (
                e.kind().status(),
                code(&e).as_str(),
                e.fields()[0].field.as_str()
            ),
            (409, "exists", "to"),
            "{backend}"
        );
        assert_ne!(
            std::fs::read(root.join("outputs/sales.csv")).unwrap(),
            b"new"
        );

        // A folder never moves into itself or below itself; nor into where it already is.
        for (from, to, expected) in [
            ("data", "data", "into_itself"),
            ("data", "data/raw", "into_itself"),
            ("data/raw", "data", "already_there"),
        ] {
            let e = files::move_into(&ctx, me, ws.id, from, to)
                .await
                .unwrap_err();
            assert_eq!(
                (e.kind().status(), code(&e).as_str()),
                (422, expected),
                "{backend}: {from} into {to}"
            );
        }
        let e = files::move_into(&ctx, me, ws.id, "data/raw", "nowhere")
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");
        let e = files::move_into(&ctx, me, ws.id, "data/raw", "outputs/sales.csv")
            .await
            .unwrap_err();
        assert_eq!(code(&e), "not_a_folder", "{backend}");
        let into_root = files::move_into(&ctx, me, ws.id, "data/raw", "")
            .await
            .expect(backend);
        assert_eq!(into_root.path, "raw");

        // Renaming stays in the folder; the name is one part.
        let renamed = files::rename(&ctx, me, ws.id, "outputs/sales.csv", " 매출.csv ")
            .await
            .expect(backend);
        assert_eq!(renamed.path, "outputs/매출.csv");
        let e = files::rename(&ctx, me, ws.id, "outputs/매출.csv", "../x")
            .await
            .unwrap_err();
        assert_eq!(
            (code(&e).as_str(), e.fields()[0].field.as_str()),
            ("invalid_name", "name")
        );
        let e = files::rename(&ctx, me, ws.id, "raw", "notebooks")
            .await
            .unwrap_err();
        assert_eq!(code(&e), "exists", "{backend}: nothing is replaced");
        assert!(root.join("raw").is_dir() && root.join("notebooks/01_clean.ipynb").is_file());
    })
    .await;
}

#[tokio::test]
async fn many_at_once_report_each_path() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let ws = make(&ctx, &p.mentee, "Many").await;
        let me = Some(&p.mentee);
        let root = root_of(&ctx, &p.mentee, &ws);
        for name in ["a.csv", "b.csv", "c.csv"] {
            upload::write_file(&ctx, me, ws.id, &format!("data/{name}"), &b"1"[..], None)
                .await
                .expect(backend);
        }
        upload::write_file(&ctx, me, ws.id, "outputs/b.csv", &b"kept"[..], None)
            .await
            .expect(backend);
        files::make_folder(&ctx, me, ws.id, "data/raw")
            .await
            .expect(backend);

        // Into outputs: a and raw move, b clashes (the one there is kept), gone.csv vanished.
        let paths = ["data/a.csv", "data/b.csv", "data/gone.csv", "data/raw"];
        let moved = bulk::move_many(
            &ctx,
            me,
            ws.id,
            paths.iter().map(|s| s.to_string()).collect(),
            "outputs",
        )
        .await
        .expect(backend);
        let pairs: Vec<(&str, &str)> = moved
            .moved
            .iter()
            .map(|m| (m.from.as_str(), m.to.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [("data/a.csv", "outputs/a.csv"), ("data/raw", "outputs/raw")],
            "{backend}"
        );
        let failed: Vec<(&str, &str)> = moved
            .failed
            .iter()
            .map(|f| (f.path.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(
            failed,
            [("data/b.csv", "exists"), ("data/gone.csv", "not_found")],
            "{backend}"
        );
        assert_eq!(std::fs::read(root.join("outputs/b.csv")).unwrap(), b"kept");
        assert!(
            root.join("data/b.csv").is_file(),
            "{backend}: the clash stays put"
        );

        // Into one of the chosen folders, or below it: refused whole, nothing moved.
        let e = bulk::move_many(
            &ctx,
            me,
            ws.id,
            vec!["data/c.csv".into(), "outputs/raw".into()],
            "outputs/raw",
        )
        .await
        .unwrap_err();
        assert_eq!(
            (
                e.kind().status(),
                code(&e).as_str(),
                e.fields()[0].field.as_str()
            ),
            (422, "into_itself", "paths[1]"),
            "{backend}"
        );
        assert!(root.join("data/c.csv").is_file(), "{backend}");
        let e = bulk::move_many(&ctx, me, ws.id, vec!["data/c.csv".into()], "nowhere")
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");

        // Delete: what is there goes, what vanished is said; a folder goes with what is in it.
        let deleted = bulk::delete_many(
            &ctx,
            me,
            ws.id,
            vec![
                "data/c.csv".into(),
                "data/gone.csv".into(),
                "outputs/raw".into(),
            ],
        )
        .await
        .expect(backend);
        assert_eq!(deleted.deleted, ["data/c.csv", "outputs/raw"], "{backend}");
        assert_eq!(deleted.failed.len(), 1);
        assert_eq!(
            (
                deleted.failed[0].path.as_str(),
                deleted.failed[0].code.as_str()
            ),
            ("data/gone.csv", "not_found")
        );
        assert!(!root.join("data/c.csv").exists() && !root.join("outputs/raw").exists());

        // Bad lists are refused before anything is touched.
        for (paths, expected) in [
            (vec![], "none_chosen"),
            (vec!["data/b.csv".to_owned(), "".to_owned()], "required"),
            (
                vec!["data".to_owned(), "data/b.csv".to_owned()],
                "overlapping",
            ),
            (vec!["x".to_owned(); bulk::PATHS_MAX + 1], "too_many_paths"),
        ] {
            let e = bulk::delete_many(&ctx, me, ws.id, paths).await.unwrap_err();
            assert_eq!(
                (e.kind().status(), code(&e).as_str()),
                (422, expected),
                "{backend}"
            );
        }
        assert!(root.join("data/b.csv").is_file(), "{backend}");

        // Someone else's workspace is not found, whatever the list.
        let e = bulk::delete_many(
            &ctx,
            Some(&p.other_mentee),
            ws.id,
            vec!["data/b.csv".into()],
        )
        .await
        .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");
        assert!(root.join("data/b.csv").is_file(), "{backend}");
    })
    .await;
}
