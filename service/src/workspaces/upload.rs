//! Writing files into a workspace from a stream (a raw body, one part of a multipart form).
//! The bytes go to a temporary file outside the workspace and are renamed into place only when
//! all of them arrived: a cut connection or a full quota leaves nothing behind, and memory stays
//! constant whatever the size.

use entity::workspace::FileEntry;
use entity::FieldError;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

use super::files::fs_error;
use super::paths::{self, RelPath};
use super::{blocking, open, store, Opened};
use crate::{Actor, Ctx, Result, ServiceError};

const BUFFER: usize = 256 * 1024;

/// One file written: where it is now, and whether it is new (`false`: it replaced one).
#[derive(Debug, Clone)]
pub struct Written {
    pub entry: FileEntry,
    pub created: bool,
}

/// Writes `body` to the file at `path` (a new file, or replacing one). `declared` is the length
/// the client announced, checked against the quota before a byte is read.
pub async fn write_file(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    path: &str,
    body: impl AsyncRead + Unpin + Send,
    declared: Option<u64>,
) -> Result<Written> {
    let rel = paths::check("path", path)?;
    let ws = open(ctx, actor, id).await?;
    if rel.is_root() {
        return Err(ServiceError::invalid("path", "required", "name the file"));
    }
    receive(ctx, &ws, rel, "path", body, declared).await
}

/// The workspace a multipart upload goes into, with its target folder checked once for all parts.
pub struct UploadTarget {
    ws: Opened,
    folder: RelPath,
}

pub async fn target(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    folder: &str,
) -> Result<UploadTarget> {
    let folder = paths::check("path", folder)?;
    let ws = open(ctx, actor, id).await?;
    let root = ws.root.clone();
    let probe = folder.clone();
    blocking(move || {
        let dir = store::open_root(&root).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let meta = dir.metadata(probe.fs()).map_err(|e| fs_error("path", e))?;
        if meta.is_dir() {
            Ok(())
        } else {
            Err(FieldError::new("path", "not_a_folder", "upload into a folder").into())
        }
    })
    .await?;
    Ok(UploadTarget { ws, folder })
}

/// One uploaded file named `file_name` (as the browser sent it) into the target folder.
pub async fn upload_one(
    ctx: &Ctx,
    target: &UploadTarget,
    file_name: &str,
    body: impl AsyncRead + Unpin + Send,
) -> Result<Written> {
    let name = paths::check_name("file", file_name)?;
    let rel = target.folder.join(&name);
    if rel.as_str().len() > paths::PATH_MAX {
        return Err(ServiceError::invalid(
            "file",
            "invalid_path",
            "the path is too long",
        ));
    }
    let ws = Opened {
        workspace: target.ws.workspace.clone(),
        root: target.ws.root.clone(),
    };
    receive(ctx, &ws, rel, "file", body, None).await
}

async fn receive(
    ctx: &Ctx,
    ws: &Opened,
    rel: RelPath,
    field: &'static str,
    mut body: impl AsyncRead + Unpin + Send,
    declared: Option<u64>,
) -> Result<Written> {
    let quota = ctx.settings.workspaces.quota_bytes;
    let data_dir = ctx.settings.data_dir.clone();
    let owner = ws.workspace.user_id;
    let (root, probe) = (ws.root.clone(), rel.clone());
    // What the owner uses, less the file this one replaces.
    let (used, replaced) = blocking(move || {
        let used = store::usage(&store::user_root(&data_dir, owner));
        let dir = store::open_root(&root).map_err(|e| ServiceError::Internal(e.to_string()))?;
        match dir.metadata(probe.fs()) {
            Ok(meta) if meta.is_dir() => {
                Err(fs_error(field, std::io::ErrorKind::IsADirectory.into()))
            }
            Ok(meta) => Ok((used, Some(meta.len()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((used, None)),
            Err(e) => Err(fs_error(field, e)),
        }
    })
    .await?;
    let room = quota.saturating_sub(used.saturating_sub(replaced.unwrap_or(0)));
    if declared.is_some_and(|n| n > room) {
        return Err(over_quota(field, quota));
    }

    let (partial, partial_path) = store::open_partial(&ctx.settings.data_dir, owner)
        .map_err(|e| ServiceError::Internal(format!("upload folder: {e}")))?;
    let tmp_name = format!("{}.part", crate::secrets::random_token(12));
    let tmp_path = partial_path.join(&tmp_name);
    let copied = copy_within(&mut body, &tmp_path, room, field, quota).await;
    if let Err(e) = copied {
        let _ = tokio::fs::remove_file(&tmp_path).await;
        return Err(e);
    }
    let root = ws.root.clone();
    let placed = blocking(move || {
        let dir = store::open_root(&root).map_err(|e| ServiceError::Internal(e.to_string()))?;
        partial
            .rename(&tmp_name, &dir, rel.fs())
            .map_err(|e| fs_error(field, e))?;
        store::entry(&dir, &rel).ok_or(ServiceError::NotFound { what: "file" })
    })
    .await;
    match placed {
        Ok(entry) => Ok(Written {
            entry,
            created: replaced.is_none(),
        }),
        Err(e) => {
            let _ = tokio::fs::remove_file(&tmp_path).await;
            Err(e)
        }
    }
}

/// Copies the whole body to `tmp`, refusing as soon as it grows past `room`.
async fn copy_within(
    body: &mut (impl AsyncRead + Unpin + Send),
    tmp: &std::path::Path,
    room: u64,
    field: &str,
    quota: u64,
) -> Result<u64> {
    let internal = |e: std::io::Error| ServiceError::Internal(format!("upload: {e}"));
    let mut out = tokio::fs::File::create(tmp).await.map_err(internal)?;
    let mut buf = vec![0u8; BUFFER];
    let mut written: u64 = 0;
    loop {
        let n = body.read(&mut buf).await.map_err(|e| cut_off(field, e))?;
        if n == 0 {
            break;
        }
        written += n as u64;
        if written > room {
            return Err(over_quota(field, quota));
        }
        out.write_all(&buf[..n]).await.map_err(internal)?;
    }
    out.sync_data().await.map_err(internal)?;
    Ok(written)
}

fn over_quota(field: &str, quota: u64) -> ServiceError {
    ServiceError::QuotaExceeded(FieldError::new(
        field,
        "quota_exceeded",
        format!(
            "this would go over your {} MB of workspace space; delete something first",
            quota / (1024 * 1024)
        ),
    ))
}

/// A body that could not be read to its end: the client went away or sent something broken.
fn cut_off(field: &str, e: std::io::Error) -> ServiceError {
    tracing::info!(error = %e, "upload cut off");
    ServiceError::invalid(
        field,
        "upload_incomplete",
        "the upload stopped before the whole file arrived; nothing was saved",
    )
}
