//! Every file operation, given every kind of path that would leave the workspace: each is
//! refused with a field error, and nothing outside is read, written or removed.

use service::testing::{on_every_backend, people};
use service::workspaces::{bulk, files, runs, upload};
use service::{Actor, Ctx, Registration, ServiceError};

use super::{code, make, root_of};

const OPS: [&str; 18] = [
    "list",
    "make_folder",
    "move_from",
    "move_to",
    "rename",
    "rename_as",
    "move_into_from",
    "move_into_to",
    "delete_many",
    "move_many_from",
    "move_many_to",
    "delete",
    "download",
    "preview",
    "write",
    "upload_into",
    "upload_named",
    "run",
];

/// The field a refusal of one of the moving and selection operations names (the selections
/// name the bad path by its place in the list).
fn field_of(op: &str) -> Option<&'static str> {
    Some(match op {
        "move_into_from" => "from",
        "move_into_to" | "move_many_to" => "to",
        "rename" => "path",
        "rename_as" => "name",
        "delete_many" | "move_many_from" => "paths[1]",
        _ => return None,
    })
}

/// `op` on `path` (for `upload_named` and `rename_as`, `path` is a name). The selections put
/// `path` second after a good one, which must not be touched.
async fn attempt(ctx: &Ctx, me: &Actor, id: i32, op: &str, path: &str) -> Result<(), ServiceError> {
    let me = Some(me);
    match op {
        "list" => files::list(ctx, me, id, path, Default::default(), false)
            .await
            .map(drop),
        "make_folder" => files::make_folder(ctx, me, id, path).await.map(drop),
        "move_from" => files::move_entry(ctx, me, id, path, "moved")
            .await
            .map(drop),
        "move_to" => files::move_entry(ctx, me, id, "data/sales.csv", path)
            .await
            .map(drop),
        "rename" => files::rename(ctx, me, id, path, "renamed").await.map(drop),
        "rename_as" => files::rename(ctx, me, id, "data/sales.csv", path)
            .await
            .map(drop),
        "move_into_from" => files::move_into(ctx, me, id, path, "outputs")
            .await
            .map(drop),
        "move_into_to" => files::move_into(ctx, me, id, "data/sales.csv", path)
            .await
            .map(drop),
        "delete_many" => bulk::delete_many(ctx, me, id, vec!["data/sales.csv".into(), path.into()])
            .await
            .map(drop),
        "move_many_from" => bulk::move_many(
            ctx,
            me,
            id,
            vec!["data/sales.csv".into(), path.into()],
            "outputs",
        )
        .await
        .map(drop),
        "move_many_to" => bulk::move_many(ctx, me, id, vec!["data/sales.csv".into()], path)
            .await
            .map(drop),
        "delete" => files::delete(ctx, me, id, path).await,
        "download" => files::download(ctx, me, id, path).await.map(drop),
        "preview" => files::preview(ctx, me, id, path).await.map(drop),
        "write" => upload::write_file(ctx, me, id, path, &b"pwned"[..], Some(5))
            .await
            .map(drop),
        "upload_into" => upload::target(ctx, me, id, path).await.map(drop),
        "upload_named" => {
            let target = upload::target(ctx, me, id, "data").await?;
            upload::upload_one(ctx, &target, path, &b"pwned"[..])
                .await
                .map(drop)
        }
        "run" => runs::start(
            ctx,
            me,
            id,
            runs::RunInput {
                notebooks: vec![path.into()],
            },
        )
        .await
        .map(drop),
        other => unreachable!("{other}"),
    }
}

#[tokio::test]
async fn no_file_operation_leaves_the_workspace() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let ws = make(&ctx, &p.mentee, "Fence").await;
        let root = root_of(&ctx, &p.mentee, &ws);

        // What a user could make in a JupyterLab terminal: links to a folder and a file outside.
        let outside = ctx.settings.data_dir.join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("out")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.txt"), root.join("leak.ipynb")).unwrap();

        let long = "x".repeat(300);
        let lexical: [(&str, &str); 7] = [
            ("../x", "path_outside"),
            ("data/../../x", "path_outside"),
            ("/etc/passwd", "path_outside"),
            ("a\0b", "invalid_path"),
            ("data\\x", "invalid_path"),
            (&long, "invalid_path"),
            ("data/\u{1b}[31m", "invalid_path"),
        ];
        for op in OPS {
            for (path, expected) in lexical {
                let e = attempt(&ctx, &p.mentee, ws.id, op, path).await.unwrap_err();
                let expected = match (op, expected) {
                    // A file's name is one part: `/` and `..` are not names at all.
                    ("upload_named" | "rename_as", _) => "invalid_name",
                    _ => expected,
                };
                assert_eq!(
                    (e.kind().status(), code(&e).as_str()),
                    (422, expected),
                    "{backend}: {op} {path:?}"
                );
                if let Some(field) = field_of(op) {
                    assert_eq!(e.fields()[0].field, field, "{backend}: {op} {path:?}");
                }
            }
        }

        // Through the links: every operation that would follow one out is refused by cap-std.
        let through: [(&str, &[&str]); 4] = [
            (
                "out/secret.txt",
                &[
                    "list",
                    "make_folder",
                    "move_from",
                    "move_to",
                    "rename",
                    "move_into_from",
                    "move_into_to",
                    "delete_many",
                    "move_many_from",
                    "move_many_to",
                    "delete",
                    "download",
                    "preview",
                    "write",
                    "upload_into",
                ],
            ),
            (
                "out/new",
                &[
                    "make_folder",
                    "move_to",
                    "move_into_to",
                    "move_many_to",
                    "write",
                ],
            ),
            (
                "out",
                &[
                    "list",
                    "download",
                    "upload_into",
                    "move_into_to",
                    "move_many_to",
                ],
            ),
            ("leak.ipynb", &["download", "preview", "write", "run"]),
        ];
        for (path, ops) in through {
            for op in ops.iter() {
                let e = attempt(&ctx, &p.mentee, ws.id, op, path).await.unwrap_err();
                assert_eq!(
                    (e.kind().status(), code(&e).as_str()),
                    (422, "path_outside"),
                    "{backend}: {op} {path:?}"
                );
                if let Some(field) = field_of(op) {
                    assert_eq!(e.fields()[0].field, field, "{backend}: {op} {path:?}");
                }
            }
        }
        // The selections were refused whole: the good path beside each bad one is untouched.
        assert!(root.join("data/sales.csv").is_file(), "{backend}");
        assert!(!root.join("outputs/sales.csv").exists(), "{backend}");
        assert_eq!(
            std::fs::read_to_string(outside.join("secret.txt")).unwrap(),
            "secret"
        );
        assert_eq!(
            std::fs::read_dir(&outside).unwrap().count(),
            1,
            "{backend}: nothing written outside"
        );

        // The folder listing does not show links that lead out.
        let root_list = files::list(&ctx, Some(&p.mentee), ws.id, "", Default::default(), false)
            .await
            .expect(backend);
        assert!(root_list
            .entries
            .iter()
            .all(|e| e.name != "out" && e.name != "leak.ipynb"));
        // Nor does the list of folders to move to, nor anything behind them.
        std::fs::create_dir_all(outside.join("deeper")).unwrap();
        let folders = files::folders(&ctx, Some(&p.mentee), ws.id)
            .await
            .expect(backend);
        assert!(
            folders
                .folders
                .iter()
                .all(|f| f != "out" && !f.starts_with("out/")),
            "{backend}: {:?}",
            folders.folders
        );
        assert!(folders.folders.contains(&"outputs".to_owned()), "{backend}");
        std::fs::remove_dir(outside.join("deeper")).unwrap();

        // Deleting a link removes the link, never what it points at.
        files::delete(&ctx, Some(&p.mentee), ws.id, "out")
            .await
            .expect(backend);
        assert!(outside.join("secret.txt").is_file(), "{backend}");
        assert!(!root.join("out").exists());
    })
    .await;
}
