//! What the owner does with a workspace's files: list them and the folders, make folders,
//! delete, download, preview (moving is in `moves`, many at once in `bulk`). Each call opens the
//! workspace (owner only), checks the client's paths, then works through the root capability on
//! the blocking pool.

use std::io;

use entity::preview::Preview;
use entity::workspace::{FileEntry, FolderList, Listing};
use entity::FieldError;

pub use super::moves::{move_entry, move_into, rename};
use super::paths::{self, RelPath};
use super::{blocking, open, store};
use crate::{Actor, Ctx, Result, ServiceError};

/// The order a folder is listed in (folders always first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Name,
    Size,
    Modified,
}

impl SortBy {
    pub fn parse(raw: Option<&str>) -> Result<Self> {
        match raw.unwrap_or("name") {
            "name" => Ok(SortBy::Name),
            "size" => Ok(SortBy::Size),
            "modified" => Ok(SortBy::Modified),
            _ => Err(ServiceError::invalid(
                "sort",
                "invalid_sort",
                "sort by name, size or modified",
            )),
        }
    }
}

/// An I/O failure as the client should see it, about the path in `field`.
pub(crate) fn fs_error(field: &str, e: io::Error) -> ServiceError {
    use io::ErrorKind::*;
    match e.kind() {
        NotFound => ServiceError::NotFound { what: "file" },
        // cap-std's answer to a path (or symlink) that would leave the root.
        PermissionDenied => FieldError::new(
            field,
            "path_outside",
            "that path leads outside the workspace",
        )
        .into(),
        AlreadyExists | DirectoryNotEmpty => ServiceError::Conflict(FieldError::new(
            field,
            "exists",
            "something with that name is already there",
        )),
        NotADirectory => {
            FieldError::new(field, "not_a_folder", "a part of that path is a file").into()
        }
        IsADirectory => FieldError::new(field, "is_a_folder", "that is a folder").into(),
        InvalidFilename => {
            FieldError::new(field, "invalid_path", "that name is not allowed").into()
        }
        _ => ServiceError::Internal(format!("{field}: {e}")),
    }
}

pub(crate) fn root_dir(root: &std::path::Path) -> Result<cap_std::fs::Dir> {
    store::open_root(root).map_err(|e| ServiceError::Internal(format!("workspace root: {e}")))
}

/// The entries of the folder `path`.
pub async fn list(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    path: &str,
    sort: SortBy,
    descending: bool,
) -> Result<Listing> {
    let rel = paths::check("path", path)?;
    let ws = open(ctx, actor, id).await?;
    let shown = rel.as_str().to_owned();
    let mut entries = blocking(move || {
        let dir = root_dir(&ws.root)?;
        store::list(&dir, &rel).map_err(|e| fs_error("path", e))
    })
    .await?;
    sort_entries(&mut entries, sort, descending);
    Ok(Listing {
        path: shown,
        entries,
    })
}

fn sort_entries(entries: &mut [FileEntry], sort: SortBy, descending: bool) {
    entries.sort_by(|a, b| {
        let order = match sort {
            SortBy::Name => entity::natural::key(&a.name).cmp(&entity::natural::key(&b.name)),
            SortBy::Size => a.size.cmp(&b.size),
            SortBy::Modified => a.modified.cmp(&b.modified),
        }
        .then_with(|| a.name.cmp(&b.name));
        let order = if descending { order.reverse() } else { order };
        b.is_dir().cmp(&a.is_dir()).then(order)
    });
}

/// One file or folder's entry.
pub async fn entry(ctx: &Ctx, actor: Option<&Actor>, id: i32, path: &str) -> Result<FileEntry> {
    let rel = paths::check("path", path)?;
    let ws = open(ctx, actor, id).await?;
    blocking(move || {
        let dir = root_dir(&ws.root)?;
        dir.metadata(rel.fs()).map_err(|e| fs_error("path", e))?;
        store::entry(&dir, &rel).ok_or(ServiceError::NotFound { what: "file" })
    })
    .await
}

/// The most folders [`folders`] lists.
pub const FOLDERS_MAX: usize = 2_000;

/// Every folder of the workspace, for choosing where to move things (see [`store::folders`]).
pub async fn folders(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<FolderList> {
    let ws = open(ctx, actor, id).await?;
    blocking(move || {
        let (folders, truncated) = store::folders(&root_dir(&ws.root)?, FOLDERS_MAX);
        Ok(FolderList { folders, truncated })
    })
    .await
}

/// A new folder called `name` inside the folder `parent` (the page's form: one name, not a path).
pub async fn make_folder_named(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    parent: &str,
    name: &str,
) -> Result<FileEntry> {
    let name = paths::check_name("name", name)?;
    let target = paths::check("path", parent)?.join(&name);
    make_folder(ctx, actor, id, target.as_str()).await
}

/// A new, empty folder at `path` (its parent must exist).
pub async fn make_folder(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    path: &str,
) -> Result<FileEntry> {
    let rel = paths::check("path", path)?;
    let ws = open(ctx, actor, id).await?;
    if rel.is_root() {
        return Err(ServiceError::invalid(
            "path",
            "required",
            "name the new folder",
        ));
    }
    blocking(move || {
        let dir = root_dir(&ws.root)?;
        dir.create_dir(rel.fs()).map_err(|e| fs_error("path", e))?;
        store::entry(&dir, &rel).ok_or(ServiceError::NotFound { what: "file" })
    })
    .await
}

/// Deletes a file, or a folder and everything in it.
pub async fn delete(ctx: &Ctx, actor: Option<&Actor>, id: i32, path: &str) -> Result<()> {
    let rel = paths::check("path", path)?;
    let ws = open(ctx, actor, id).await?;
    if rel.is_root() {
        return Err(ServiceError::invalid(
            "path",
            "required",
            "delete the workspace itself from its settings",
        ));
    }
    blocking(move || {
        let dir = root_dir(&ws.root)?;
        store::remove(&dir, &rel).map_err(|e| fs_error("path", e))
    })
    .await
}

/// What a download sends: one file as it is, or a folder as a zip made while it streams.
pub enum Download {
    File {
        file: tokio::fs::File,
        size: u64,
        name: String,
    },
    Zip {
        chunks: tokio::sync::mpsc::Receiver<io::Result<Vec<u8>>>,
        name: String,
    },
}

/// The file or folder at `path` to download.
pub async fn download(ctx: &Ctx, actor: Option<&Actor>, id: i32, path: &str) -> Result<Download> {
    let rel = paths::check("path", path)?;
    let ws = open(ctx, actor, id).await?;
    let zip_name = if rel.is_root() {
        ws.workspace.name.clone()
    } else {
        rel.name().to_owned()
    };
    let root = ws.root.clone();
    let probe = rel.clone();
    let is_dir = blocking(move || {
        let dir = root_dir(&root)?;
        let meta = dir.metadata(probe.fs()).map_err(|e| fs_error("path", e))?;
        Ok(meta.is_dir())
    })
    .await?;
    if is_dir {
        let (tx, rx) = tokio::sync::mpsc::channel(8);
        let root = ws.root;
        tokio::task::spawn_blocking(move || {
            let writer = ChunkWriter::new(tx.clone());
            let result = root_dir(&root)
                .map_err(|e| io::Error::other(e.to_string()))
                .and_then(|dir| store::zip_folder(&dir, &rel, writer));
            if let Err(e) = result {
                tracing::warn!(error = %e, "zip download ended early");
                let _ = tx.blocking_send(Err(e));
            }
        });
        return Ok(Download::Zip {
            chunks: rx,
            name: format!("{zip_name}.zip"),
        });
    }
    let name = rel.name().to_owned();
    let (file, size) = blocking(move || {
        let dir = root_dir(&ws.root)?;
        store::open_file(&dir, &rel).map_err(|e| fs_error("path", e))
    })
    .await?;
    Ok(Download::File {
        file: tokio::fs::File::from_std(file),
        size,
        name,
    })
}

/// Sends what the zip writer produces in 64 KiB pieces; a receiver that went away (the client
/// left) ends the writing with an error instead of zipping on for nobody.
struct ChunkWriter {
    tx: tokio::sync::mpsc::Sender<io::Result<Vec<u8>>>,
    buf: Vec<u8>,
}

impl ChunkWriter {
    const CHUNK: usize = 64 * 1024;

    fn new(tx: tokio::sync::mpsc::Sender<io::Result<Vec<u8>>>) -> Self {
        Self {
            tx,
            buf: Vec::with_capacity(Self::CHUNK),
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(Self::CHUNK));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

impl io::Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= Self::CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

impl Drop for ChunkWriter {
    fn drop(&mut self) {
        let _ = self.send();
    }
}

/// A look at the file `path` without downloading it.
pub async fn preview(ctx: &Ctx, actor: Option<&Actor>, id: i32, path: &str) -> Result<Preview> {
    use std::io::Read;
    let rel = paths::check("path", path)?;
    let ws = open(ctx, actor, id).await?;
    blocking(move || {
        let dir = root_dir(&ws.root)?;
        let (file, size) = store::open_file(&dir, &rel).map_err(|e| fs_error("path", e))?;
        let limit = super::preview::head_limit(rel.name());
        let mut head = Vec::new();
        file.take(limit as u64)
            .read_to_end(&mut head)
            .map_err(|e| fs_error("path", e))?;
        Ok(super::preview::preview(rel.name(), &head, size))
    })
    .await
}

/// `RelPath` for callers outside this module that take a path from a client.
pub fn checked(field: &str, raw: &str) -> Result<RelPath> {
    Ok(paths::check(field, raw)?)
}
