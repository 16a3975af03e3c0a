//! Finds and runs binaryen's `wasm-opt`.
//!
//! wasm-bindgen 0.2.130 emits an externref table; Debian 12's binaryen 108 rewrites its export onto
//! the function table, and the module then fails at start-up (`WebAssembly.Table.set(): Argument 1
//! is invalid for table`). So an old `wasm-opt` is refused, and the default is the npm `binaryen`
//! package pinned in `xtask/npm/package.json`: binaryen compiled to WebAssembly, run by Node, fetched
//! from the npm registry like any other package (no prebuilt native binary).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Result;

/// The oldest binaryen known to keep wasm-bindgen's reference-types module intact here.
const MIN_VERSION: u32 = 116;

/// The features the Rust toolchain emits for wasm32-unknown-unknown (and every browser nuri supports
/// has); `wasm-opt` must be told, or it refuses instructions it considers disabled.
const FEATURES: &[&str] = &[
    "--enable-reference-types",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

/// `NURI_WASM_OPT` if set, else the npm package (installed on first use when npm is present).
pub fn locate(root: &Path) -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("NURI_WASM_OPT") {
        let path = PathBuf::from(path);
        check_version(&path)?;
        return Ok(path);
    }
    let npm_dir = root.join("xtask").join("npm");
    let bin = npm_dir.join("node_modules").join(".bin").join("wasm-opt");
    if !bin.exists() {
        eprintln!("xtask: installing binaryen's wasm-opt from the npm registry (xtask/npm)");
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(&npm_dir)
            .status()
            .map_err(|e| format!("npm: {e} (install Node.js and npm, or set NURI_WASM_OPT)"))?;
        if !status.success() || !bin.exists() {
            return Err("could not install binaryen from npm (xtask/npm); set NURI_WASM_OPT to a wasm-opt ≥ 116".into());
        }
    }
    check_version(&bin)?;
    Ok(bin)
}

fn check_version(bin: &Path) -> Result<()> {
    let out = Command::new(bin)
        .arg("--version")
        .output()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    // "wasm-opt version 132 (version_132)"
    let version = text
        .split_whitespace()
        .skip_while(|w| *w != "version")
        .nth(1)
        .and_then(|v| v.parse::<u32>().ok());
    match version {
        Some(v) if v >= MIN_VERSION => Ok(()),
        Some(v) => Err(format!(
            "{} is binaryen {v}, which breaks wasm-bindgen's reference-types module; need ≥ {MIN_VERSION}",
            bin.display()
        )),
        None => Err(format!("{}: unrecognised version {text:?}", bin.display())),
    }
}

/// Optimises every module, one `wasm-opt` per core at a time: a split build has hundreds of small
/// chunks, and each run spends most of its time starting Node.
pub fn optimize_all(bin: &Path, files: &[PathBuf]) -> Result<()> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(file) = files.get(i) else {
                        return Ok(());
                    };
                    optimize(bin, file)?;
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|_| Err("a wasm-opt worker panicked".into()))
        })
    })
}

/// Optimises `file` for size, in place.
pub fn optimize(bin: &Path, file: &Path) -> Result<()> {
    let status = Command::new(bin)
        .arg("-Oz")
        .args(FEATURES)
        .arg(file)
        .arg("-o")
        .arg(file)
        .status()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("wasm-opt failed on {}", file.display()))
    }
}
