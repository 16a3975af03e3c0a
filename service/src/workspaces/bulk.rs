//! Many files at once: delete a selection, or move it into one folder. Every path is checked
//! before anything changes (one bad path refuses the whole request, naming `paths[i]`); then each
//! is done on its own and reported, so what vanished meanwhile or clashes by name is said
//! per path while the rest is done — and nothing already there is replaced or lost.

use entity::workspace::{Deleted, ItemFailure, Moved, MovedItem};
use entity::FieldError;

use super::files::{fs_error, root_dir};
use super::moves::{refuse_move_into, rename_in, require_folder};
use super::paths::{self, RelPath};
use super::{blocking, open, store};
use crate::{Actor, Ctx, Result, ServiceError};

/// The most paths one request takes.
pub const PATHS_MAX: usize = 500;

fn field(i: usize) -> String {
    format!("paths[{i}]")
}

/// Each path read, or every problem: bad spelling, the root, the same path twice or a path
/// inside another one of the list (it would go with that one).
fn check_all(raw: &[String]) -> Result<Vec<RelPath>> {
    if raw.is_empty() {
        return Err(ServiceError::invalid(
            "paths",
            "none_chosen",
            "choose at least one file or folder",
        ));
    }
    if raw.len() > PATHS_MAX {
        return Err(ServiceError::invalid(
            "paths",
            "too_many_paths",
            format!("choose at most {PATHS_MAX} at once"),
        ));
    }
    let mut problems = Vec::new();
    let mut checked: Vec<RelPath> = Vec::with_capacity(raw.len());
    for (i, path) in raw.iter().enumerate() {
        match paths::check(&field(i), path) {
            Err(e) => problems.push(e),
            Ok(rel) if rel.is_root() => problems.push(FieldError::new(
                &field(i),
                "required",
                "the workspace folder itself is not one of its files",
            )),
            Ok(rel) => {
                let overlaps = checked
                    .iter()
                    .any(|other| rel.within(other) || other.within(&rel));
                if overlaps {
                    problems.push(FieldError::new(
                        &field(i),
                        "overlapping",
                        "this is chosen twice, or is inside another chosen folder",
                    ));
                }
                checked.push(rel);
            }
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(ServiceError::Invalid(problems))
    }
}

/// The second fence, before anything changes: a path that cap-std refuses (a link leading out of
/// the root on the way) refuses the request. A path that is simply not there is not a bad
/// request: it is reported with the others' results.
fn probe_all(dir: &cap_std::fs::Dir, rels: &[RelPath]) -> Result<()> {
    let mut problems = Vec::new();
    for (i, rel) in rels.iter().enumerate() {
        // Not there (or unreadable) is not refused here: this path's own result says so.
        if let Err(ServiceError::Invalid(mut f)) = dir
            .symlink_metadata(rel.fs())
            .map_err(|e| fs_error(&field(i), e))
        {
            problems.append(&mut f);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(problems))
    }
}

/// What went wrong with one path, as the per-path report says it.
fn failure(rel: &RelPath, e: ServiceError) -> ItemFailure {
    let (code, error) = match &e {
        ServiceError::NotFound { .. } => ("not_found".to_owned(), "it is no longer there".into()),
        ServiceError::Internal(detail) => {
            tracing::warn!(path = %rel, %detail, "one file of many failed");
            ("internal".to_owned(), e.to_string())
        }
        other => match other.fields().into_iter().next() {
            Some(f) => (f.code, f.message),
            None => (other.code().to_owned(), other.to_string()),
        },
    };
    ItemFailure {
        path: rel.as_str().to_owned(),
        code,
        error,
    }
}

/// Deletes each of `paths` (files, or folders with everything in them); a link is removed
/// itself, never what it points at.
pub async fn delete_many(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    paths: Vec<String>,
) -> Result<Deleted> {
    let rels = check_all(&paths)?;
    let ws = open(ctx, actor, id).await?;
    blocking(move || {
        let dir = root_dir(&ws.root)?;
        probe_all(&dir, &rels)?;
        let mut report = Deleted::default();
        for rel in rels {
            match store::remove(&dir, &rel) {
                Ok(()) => report.deleted.push(rel.as_str().to_owned()),
                Err(e) => report.failed.push(failure(&rel, fs_error("path", e))),
            }
        }
        Ok(report)
    })
    .await
}

/// Moves each of `paths` into the folder `to` under its own name. The folder must exist; no
/// path may be the folder, hold it, or already be in it.
pub async fn move_many(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    paths: Vec<String>,
    to: &str,
) -> Result<Moved> {
    let (rels, folder) = match (check_all(&paths), paths::check("to", to)) {
        (Ok(r), Ok(f)) => (r, f),
        (r, f) => {
            let mut all = r.err().map(|e| e.fields()).unwrap_or_default();
            all.extend(f.err());
            return Err(ServiceError::Invalid(all));
        }
    };
    let refused: Vec<FieldError> = rels
        .iter()
        .enumerate()
        .filter_map(|(i, rel)| refuse_move_into(rel, &folder, &field(i), &field(i)))
        .flat_map(|e| e.fields())
        .collect();
    if !refused.is_empty() {
        return Err(ServiceError::Invalid(refused));
    }
    let ws = open(ctx, actor, id).await?;
    blocking(move || {
        let dir = root_dir(&ws.root)?;
        let checks = (require_folder(&dir, &folder, "to"), probe_all(&dir, &rels));
        match checks {
            (Ok(()), Ok(())) => {}
            (Err(ServiceError::Invalid(mut a)), Err(ServiceError::Invalid(b))) => {
                a.extend(b);
                return Err(ServiceError::Invalid(a));
            }
            (Err(e), _) | (_, Err(e)) => return Err(e),
        }
        let mut report = Moved::default();
        for rel in rels {
            let target = folder.join(rel.name());
            match rename_in(&dir, &rel, &target, "path", "to") {
                Ok(_) => report.moved.push(MovedItem {
                    from: rel.as_str().to_owned(),
                    to: target.as_str().to_owned(),
                }),
                Err(e) => report.failed.push(failure(&rel, e)),
            }
        }
        Ok(report)
    })
    .await
}

/// What the page's selection form did.
pub enum Done {
    Deleted(Deleted),
    Moved(Moved),
}

/// The page's selection form: the button pressed is `op` (`delete`, or `move` into `to`).
pub async fn act_named(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    op: &str,
    paths: Vec<String>,
    to: &str,
) -> Result<Done> {
    match op {
        "delete" => delete_many(ctx, actor, id, paths).await.map(Done::Deleted),
        "move" => move_many(ctx, actor, id, paths, to).await.map(Done::Moved),
        _ => Err(ServiceError::invalid(
            "op",
            "invalid_op",
            "choose delete or move",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(raw: &[&str]) -> Vec<(String, String)> {
        let raw: Vec<String> = raw.iter().map(|s| s.to_string()).collect();
        check_all(&raw)
            .unwrap_err()
            .fields()
            .into_iter()
            .map(|f| (f.field, f.code))
            .collect()
    }

    #[test]
    fn every_bad_path_is_named_by_its_index() {
        assert_eq!(
            code_of(&["data/a.csv", "../x", "data", "data/a.csv", ""]),
            [
                ("paths[1]".to_owned(), "path_outside".to_owned()),
                ("paths[2]".to_owned(), "overlapping".to_owned()),
                ("paths[3]".to_owned(), "overlapping".to_owned()),
                ("paths[4]".to_owned(), "required".to_owned()),
            ]
        );
        assert_eq!(code_of(&[])[0].1, "none_chosen");
        let many = vec!["a"; PATHS_MAX + 1];
        assert_eq!(code_of(&many)[0].1, "too_many_paths");
    }
}
