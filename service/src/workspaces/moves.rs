//! Moving things about in a workspace: rename in place, move into a chosen folder, or move to
//! any path. Nothing already at the destination is replaced, and no folder moves into itself.

use std::io;

use entity::workspace::FileEntry;
use entity::FieldError;

use super::files::{fs_error, root_dir};
use super::paths::{self, RelPath};
use super::{blocking, open, store};
use crate::{Actor, Ctx, Result, ServiceError};

/// Renames or moves a file or folder; nothing already at `to` is replaced.
pub async fn move_entry(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    from: &str,
    to: &str,
) -> Result<FileEntry> {
    let (from, to) = both(paths::check("from", from), paths::check("to", to))?;
    let ws = open(ctx, actor, id).await?;
    if from.is_root() {
        return Err(root_stays("from"));
    }
    if to.is_root() {
        return Err(root_stays("to"));
    }
    if to.within(&from) {
        return Err(into_itself("to"));
    }
    blocking(move || rename_in(&root_dir(&ws.root)?, &from, &to, "from", "to")).await
}

/// Gives the file or folder at `path` the new `name`, in the same folder.
pub async fn rename(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    path: &str,
    name: &str,
) -> Result<FileEntry> {
    let (from, name) = both(paths::check("path", path), paths::check_name("name", name))?;
    let ws = open(ctx, actor, id).await?;
    if from.is_root() {
        return Err(root_stays("path"));
    }
    let to = from.parent().join(&name);
    blocking(move || rename_in(&root_dir(&ws.root)?, &from, &to, "path", "name")).await
}

/// Moves the file or folder at `from` into the folder `to` under the same name (the picker's
/// move: a folder chosen, not a path typed).
pub async fn move_into(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    from: &str,
    to: &str,
) -> Result<FileEntry> {
    let (from, folder) = both(paths::check("from", from), paths::check("to", to))?;
    let ws = open(ctx, actor, id).await?;
    if let Some(e) = refuse_move_into(&from, &folder, "from", "to") {
        return Err(e);
    }
    blocking(move || {
        let dir = root_dir(&ws.root)?;
        require_folder(&dir, &folder, "to")?;
        rename_in(&dir, &from, &folder.join(from.name()), "from", "to")
    })
    .await
}

/// Why `from` cannot move into `folder`, when that is plain from the paths alone.
pub(crate) fn refuse_move_into(
    from: &RelPath,
    folder: &RelPath,
    from_field: &str,
    to_field: &str,
) -> Option<ServiceError> {
    if from.is_root() {
        Some(root_stays(from_field))
    } else if folder.within(from) {
        Some(into_itself(to_field))
    } else if from.parent() == *folder {
        Some(ServiceError::invalid(
            to_field,
            "already_there",
            "it is already in that folder",
        ))
    } else {
        None
    }
}

/// Both checked values, or every field error of the two (a form shows them all at once).
fn both<A, B>(
    a: std::result::Result<A, FieldError>,
    b: std::result::Result<B, FieldError>,
) -> Result<(A, B)> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => Err(ServiceError::Invalid(
            a.err().into_iter().chain(b.err()).collect(),
        )),
    }
}

fn root_stays(field: &str) -> ServiceError {
    ServiceError::invalid(field, "required", "the workspace folder itself cannot move")
}

fn into_itself(field: &str) -> ServiceError {
    ServiceError::invalid(
        field,
        "into_itself",
        "a folder cannot move into itself or a folder inside it",
    )
}

/// `folder` is a folder inside the root (a link leading out is `path_outside`).
pub(crate) fn require_folder(dir: &cap_std::fs::Dir, folder: &RelPath, field: &str) -> Result<()> {
    let meta = dir.metadata(folder.fs()).map_err(|e| fs_error(field, e))?;
    if meta.is_dir() {
        Ok(())
    } else {
        Err(fs_error(field, io::ErrorKind::NotADirectory.into()))
    }
}

/// The move itself, once the paths are checked: nothing already at `to` is replaced.
pub(crate) fn rename_in(
    dir: &cap_std::fs::Dir,
    from: &RelPath,
    to: &RelPath,
    from_field: &str,
    to_field: &str,
) -> Result<FileEntry> {
    dir.symlink_metadata(from.fs())
        .map_err(|e| fs_error(from_field, e))?;
    if dir.symlink_metadata(to.fs()).is_ok() {
        return Err(fs_error(to_field, io::ErrorKind::AlreadyExists.into()));
    }
    dir.rename(from.fs(), dir, to.fs())
        .map_err(|e| fs_error(to_field, e))?;
    store::entry(dir, to).ok_or(ServiceError::NotFound { what: "file" })
}
