//! Assembles `$CARGO_TARGET_DIR/site`, the directory nuri serves its assets from:
//!
//! ```text
//! site/assets.json            {"build": HASH, "pkg_dir": "pkg/HASH"}: read by the server at start
//! site/pkg/HASH/nuri.js       wasm-bindgen glue      ┐ HASH is the content hash of everything in
//! site/pkg/HASH/nuri_bg.wasm  the hydrate module     │ the directory, so each file is immutable
//! site/pkg/HASH/nuri.css      every style/*.css      ┘ and served with a year-long cache
//! site/pkg/HASH/<split>.wasm, chunk_N.wasm, __wasm_split.…js, __wasm_split_manifest.json
//!                             the lazy routes' code (see `split.rs`), in the same directory
//! site/pkg/OLD/…              the previous build, so pages rendered before a deploy still load
//! site/sw.js, icons, …        public/, with the service worker's precache list filled in
//! ```
//!
//! Release builds also get `.br` and `.gz` beside each file. The site is assembled in `site.new`
//! and swapped in, so a running server never sees a half-written directory.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::{compress, split, wasm_opt, Result};

pub const OUTPUT_NAME: &str = "nuri";

pub struct Inputs<'a> {
    pub root: &'a Path,
    pub target: &'a Path,
    /// The module cargo built (`frontend.wasm`).
    pub wasm: &'a Path,
    pub release: bool,
}

pub fn assemble(inputs: &Inputs) -> Result<()> {
    let site = inputs.target.join("site");
    let fresh = inputs.target.join("site.new");
    let old = inputs.target.join("site.old");
    let _ = std::fs::remove_dir_all(&fresh);
    let staging = fresh.join("pkg").join("staging");
    create_dir(&staging)?;

    let main = split::split_wasm(inputs.wasm, &staging, OUTPUT_NAME)?;
    bindgen(&main, &staging, inputs.release)?;
    if inputs.release {
        let optimizer = wasm_opt::locate(inputs.root)?;
        let modules = files_with_extension(&staging, "wasm")?;
        wasm_opt::optimize_all(
            &optimizer,
            &modules,
            &staging.join(format!("{OUTPUT_NAME}_bg.wasm")),
        )?;
    }
    bundle_css(&inputs.root.join("style"), &staging.join("nuri.css"))?;

    let build = content_hash(&staging)?;
    let pkg_dir = format!("pkg/{build}");
    let pkg = fresh.join(&pkg_dir);
    rename(&staging, &pkg)?;

    copy_dir(&inputs.root.join("public"), &fresh)?;
    write_service_worker(&fresh, &build, &pkg_dir)?;
    write(
        &fresh.join("assets.json"),
        serde_json::json!({ "build": build, "pkg_dir": pkg_dir }).to_string() + "\n",
    )?;
    if inputs.release {
        compress::precompress_tree(&fresh)?;
    }
    keep_previous_build(&site, &fresh, &build)?;
    let summary = sizes(&pkg)?;

    let _ = std::fs::remove_dir_all(&old);
    if site.exists() {
        rename(&site, &old)?;
    }
    rename(&fresh, &site)?;
    let _ = std::fs::remove_dir_all(&old);
    println!("xtask: site build {build} ({summary})");
    Ok(())
}

fn bindgen(wasm: &Path, out: &Path, release: bool) -> Result<()> {
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    split::configure_bindgen(&mut bindgen);
    bindgen
        .input_path(wasm)
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e}"))?
        .out_name(OUTPUT_NAME)
        .debug(!release)
        .generate(out)
        .map_err(|e| format!("wasm-bindgen: {e}"))
}

/// SHA-256 over every file's name and bytes, in name order: the same inputs give the same name.
fn content_hash(dir: &Path) -> Result<String> {
    let mut files = list_files(dir)?;
    files.sort();
    let mut hasher = Sha256::new();
    for file in &files {
        let name = file.strip_prefix(dir).unwrap_or(file).to_string_lossy();
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?);
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    Ok(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
}

/// Fills the service worker's build id and precache list (this build's shell plus the icons and
/// manifest), so it can cache them by their immutable names and drop the caches of older builds.
fn write_service_worker(site: &Path, build: &str, pkg_dir: &str) -> Result<()> {
    let path = site.join("sw.js");
    let Ok(template) = std::fs::read_to_string(&path) else {
        return Ok(());
    };
    // The shell only: the main module, its glue, the split loader and the stylesheet. A page's
    // chunks are cached by the worker the first time that page loads them, so nobody downloads
    // the admin pages' code in the background.
    let mut urls: Vec<String> = list_files(&site.join(pkg_dir))?
        .iter()
        .filter_map(|f| f.file_name()?.to_str())
        .filter(|n| n.starts_with(OUTPUT_NAME) || n.starts_with("__wasm_split"))
        .map(|n| format!("/{pkg_dir}/{n}"))
        .collect();
    urls.sort();
    urls.extend(
        ["/icon.svg", "/manifest.webmanifest"]
            .iter()
            .map(|s| s.to_string()),
    );
    let list = serde_json::to_string(&urls).map_err(|e| e.to_string())?;
    let rendered = template
        .replace("\"__NURI_BUILD__\"", &format!("\"{build}\""))
        .replace("\"__NURI_PKG__\"", &format!("\"/{pkg_dir}\""))
        .replace("[\"__NURI_PRECACHE__\"]", &list);
    write(&path, rendered)
}

/// Carries the build being replaced into the new site: a page rendered just before the swap still
/// names the old files, and must still find them.
fn keep_previous_build(site: &Path, fresh: &Path, build: &str) -> Result<()> {
    let Ok(manifest) = std::fs::read_to_string(site.join("assets.json")) else {
        return Ok(());
    };
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap_or_default();
    let Some(previous) = manifest["build"].as_str() else {
        return Ok(());
    };
    if previous == build || previous.contains(['/', '.']) {
        return Ok(());
    }
    let from = site.join("pkg").join(previous);
    if from.is_dir() {
        let to = fresh.join("pkg").join(previous);
        create_dir(&to)?;
        copy_dir(&from, &to)?;
    }
    Ok(())
}

/// One stylesheet for the browser: `main.css` (tokens and base) first, then the feature sheets
/// in name order, so each part of the UI keeps its own file without costing a request.
pub fn bundle_css(dir: &Path, to: &Path) -> Result<()> {
    let mut parts: Vec<PathBuf> = files_with_extension(dir, "css")?
        .into_iter()
        .filter(|p| !p.ends_with("main.css"))
        .collect();
    parts.sort();
    parts.insert(0, dir.join("main.css"));
    let mut css = String::new();
    for part in &parts {
        css.push_str(
            &std::fs::read_to_string(part).map_err(|e| format!("{}: {e}", part.display()))?,
        );
        css.push('\n');
    }
    write(to, css)
}

/// The first-load files one by one, the split chunks as one total.
fn sizes(pkg: &Path) -> Result<String> {
    let len = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let br = |p: &Path| len(&PathBuf::from(format!("{}.br", p.display())));
    let mut parts = Vec::new();
    let (mut chunks, mut chunk_bytes, mut chunk_br) = (0, 0, 0);
    let mut files = list_files(pkg)?;
    files.sort();
    for file in files {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        if name.starts_with(OUTPUT_NAME) {
            parts.push(format!("{name} {} B, br {} B", len(&file), br(&file)));
        } else {
            chunks += 1;
            chunk_bytes += len(&file);
            chunk_br += br(&file);
        }
    }
    parts.push(format!(
        "{chunks} split files {chunk_bytes} B, br {chunk_br} B"
    ));
    Ok(parts.join("; "))
}

fn files_with_extension(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    Ok(list_files(dir)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect())
}

/// Every file under `dir`, recursively.
fn list_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            out.extend(list_files(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let dest = to.join(entry.file_name());
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            create_dir(&dest)?;
            copy_dir(&entry.path(), &dest)?;
        } else {
            std::fs::copy(entry.path(), &dest)
                .map_err(|e| format!("{} → {}: {e}", entry.path().display(), dest.display()))?;
        }
    }
    Ok(())
}

fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))
}

fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}
