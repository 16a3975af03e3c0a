//! The disk under workspaces: `<data>/workspaces/<user>/<workspace>/` for the files and
//! `<data>/workspaces/<user>/.partial/` for uploads still arriving (same file system, so putting
//! a finished one in place is a rename). Everything a client names goes through a `cap_std` `Dir`
//! opened at the workspace root: no path, however spelled and whatever symlinks it meets, reaches
//! outside it. These functions block; callers run them on the blocking pool.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use cap_std::ambient_authority;
use cap_std::fs::Dir;
use entity::workspace::FileEntry;

use super::paths::RelPath;

pub const PARTIAL: &str = ".partial";

pub fn user_root(data_dir: &Path, user_id: i32) -> PathBuf {
    data_dir.join("workspaces").join(user_id.to_string())
}

pub fn workspace_root(data_dir: &Path, user_id: i32, workspace_id: i32) -> PathBuf {
    user_root(data_dir, user_id).join(workspace_id.to_string())
}

/// The workspace root as a capability: every later path is relative to it and held inside it.
pub fn open_root(root: &Path) -> io::Result<Dir> {
    Dir::open_ambient_dir(root, ambient_authority())
}

/// Where uploads wait until complete (created on first use).
pub fn open_partial(data_dir: &Path, user_id: i32) -> io::Result<(Dir, PathBuf)> {
    let path = user_root(data_dir, user_id).join(PARTIAL);
    std::fs::create_dir_all(&path)?;
    Ok((open_root(&path)?, path))
}

/// Bytes in the files under `path`, not following symlinks (a link into another tree is not
/// the owner's to pay for) and leaving out uploads still arriving.
pub fn usage(path: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                if entry.file_name() != PARTIAL {
                    stack.push(entry.path());
                }
            } else if meta.is_file() {
                total += meta.len();
            }
        }
    }
    total
}

fn modified(meta: &cap_std::fs::Metadata) -> Option<chrono::DateTime<chrono::Utc>> {
    meta.modified().ok().map(|t| t.into_std().into())
}

/// One entry as the API shows it; `None` for what is neither a file nor a folder once
/// symlinks are followed inside the root (a link that leads out, a socket).
pub fn entry(root: &Dir, rel: &RelPath) -> Option<FileEntry> {
    let meta = root.metadata(rel.fs()).ok()?;
    let kind = if meta.is_dir() {
        "dir"
    } else if meta.is_file() {
        "file"
    } else {
        return None;
    };
    Some(FileEntry {
        name: rel.name().to_owned(),
        path: rel.as_str().to_owned(),
        kind: kind.into(),
        size: if meta.is_file() { meta.len() } else { 0 },
        modified: modified(&meta),
    })
}

/// The folder's entries, unsorted.
pub fn list(root: &Dir, rel: &RelPath) -> io::Result<Vec<FileEntry>> {
    let dir = root.open_dir(rel.fs())?;
    let mut entries = Vec::new();
    for item in dir.entries()? {
        let item = item?;
        let Ok(name) = item.file_name().into_string() else {
            continue; // not UTF-8: nothing a client could name back
        };
        if let Some(e) = entry(root, &rel.join(&name)) {
            entries.push(e);
        }
    }
    Ok(entries)
}

/// Every folder under the root: `""` first, then depth-first with each folder's subfolders in
/// natural order, at most `limit` of them (the flag says whether more were left out). A symlink
/// is never a folder here, wherever it points: walking one that leads out (or round in a loop)
/// is exactly what this must not do. Folders whose path a client could not name back (not UTF-8,
/// longer than `PATH_MAX`) are left out with what is under them.
pub fn folders(root: &Dir, limit: usize) -> (Vec<String>, bool) {
    // Pending folders, the next to visit last. Bounded too, so one folder with a million
    // subfolders cannot make the walk hold them all.
    let pending_max = limit.saturating_mul(4).max(64);
    let mut found = Vec::new();
    let mut stack = vec![RelPath::root()];
    let mut left_out = false;
    while let Some(rel) = stack.pop() {
        if found.len() == limit {
            return (found, true);
        }
        // Opened through the root capability: even a folder swapped for a link after it was
        // seen resolves inside the root, or not at all.
        let Ok(dir) = root.open_dir(rel.fs()) else {
            continue;
        };
        found.push(rel.as_str().to_owned());
        let Ok(entries) = dir.entries() else { continue };
        let mut children = Vec::new();
        for item in entries.flatten() {
            // The entry's own type: a symlink to a folder is a symlink, not a folder.
            if !item.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let Ok(name) = item.file_name().into_string() else {
                continue;
            };
            let child = rel.join(&name);
            if child.as_str().len() <= super::paths::PATH_MAX {
                children.push(child);
            }
        }
        // Visited in natural order: pushed in reverse, popped first-to-last.
        children.sort_by(|a, b| {
            let key = |p: &RelPath| entity::natural::key(p.name());
            key(b).cmp(&key(a)).then_with(|| b.name().cmp(a.name()))
        });
        if stack.len() + children.len() > pending_max {
            left_out = true;
            let room = pending_max.saturating_sub(stack.len());
            children.drain(..children.len() - room.min(children.len()));
        }
        stack.extend(children);
    }
    (found, left_out)
}

/// Removes a file, or a folder with everything in it. A symlink is removed itself, never
/// what it points to.
pub fn remove(root: &Dir, rel: &RelPath) -> io::Result<()> {
    let meta = root.symlink_metadata(rel.fs())?;
    if meta.is_dir() {
        root.remove_dir_all(rel.fs())
    } else {
        root.remove_file(rel.fs())
    }
}

/// A file to read, with its size; a folder is refused with `IsADirectory`.
pub fn open_file(root: &Dir, rel: &RelPath) -> io::Result<(std::fs::File, u64)> {
    let meta = root.metadata(rel.fs())?;
    if meta.is_dir() {
        return Err(io::ErrorKind::IsADirectory.into());
    }
    let file = root.open(rel.fs())?.into_std();
    Ok((file, meta.len()))
}

/// Writes a zip of the folder `rel` into `out` as it goes (no seeking: the zip streams to the
/// client while it is made). Symlinks are left out; so is anything unreadable.
pub fn zip_folder(root: &Dir, rel: &RelPath, out: impl Write) -> io::Result<()> {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new_stream(out);
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let mut stack = vec![RelPath::root()];
    let base = root.open_dir(rel.fs())?;
    let mut buf = vec![0u8; 64 * 1024];
    while let Some(dir_rel) = stack.pop() {
        let dir = base.open_dir(dir_rel.fs())?;
        for item in dir.entries()? {
            let item = item?;
            let Ok(name) = item.file_name().into_string() else {
                continue;
            };
            let child = dir_rel.join(&name);
            let Ok(kind) = item.file_type() else { continue };
            if kind.is_dir() {
                zip.add_directory(child.as_str(), options)
                    .map_err(io::Error::other)?;
                stack.push(child);
            } else if kind.is_file() {
                let Ok(mut file) = base.open(child.fs()) else {
                    continue;
                };
                zip.start_file(child.as_str(), options)
                    .map_err(io::Error::other)?;
                loop {
                    let n = file.read(&mut buf)?;
                    if n == 0 {
                        break;
                    }
                    zip.write_all(&buf[..n])?;
                }
            }
        }
    }
    zip.finish().map_err(io::Error::other)?;
    Ok(())
}

/// Lays out a new workspace: its folders and starter files.
pub fn lay_out(root: &Path, files: &[(&str, Vec<u8>)]) -> io::Result<()> {
    std::fs::create_dir_all(root)?;
    let dir = open_root(root)?;
    for folder in ["notebooks", "data", "outputs"] {
        dir.create_dir_all(folder)?;
    }
    for (path, bytes) in files {
        if let Some(parent) = Path::new(path).parent() {
            dir.create_dir_all(parent)?;
        }
        dir.write(path, bytes)?;
    }
    Ok(())
}
