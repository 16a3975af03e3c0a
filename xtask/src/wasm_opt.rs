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

/// How modules are optimised: a native `wasm-opt` (`NURI_WASM_OPT`), one run per file; or the npm
/// `binaryen` package through `xtask/npm/optimize.mjs`, which loads binaryen once per worker and
/// optimises many files (the npm `wasm-opt` command spends about two seconds loading binaryen for
/// every file, minutes over a split build's hundreds of chunks).
pub enum Optimizer {
    Native(PathBuf),
    Node { bin: PathBuf, script: PathBuf },
}

/// `NURI_WASM_OPT` if set, else the npm package (installed on first use when npm is present).
pub fn locate(root: &Path) -> Result<Optimizer> {
    if let Some(path) = std::env::var_os("NURI_WASM_OPT") {
        let path = PathBuf::from(path);
        check_version(&path)?;
        return Ok(Optimizer::Native(path));
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
    Ok(Optimizer::Node {
        bin,
        script: npm_dir.join("optimize.mjs"),
    })
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

/// Optimises every module in place, on every core. With binaryen from npm, `main` still goes
/// through the `wasm-opt` command: binaryen.js's `optimize()` left the main module's code about
/// 0.2% bigger than the command's `-Oz` (measured here; the chunks differ by bytes), and the main
/// module is what every first visit downloads.
pub fn optimize_all(optimizer: &Optimizer, files: &[PathBuf], main: &Path) -> Result<()> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    match optimizer {
        Optimizer::Native(bin) => {
            let next = std::sync::atomic::AtomicUsize::new(0);
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
                join(handles)
            })
        }
        Optimizer::Node { bin, script } => {
            let chunks: Vec<PathBuf> = files.iter().filter(|f| *f != main).cloned().collect();
            // The main module's run ends well before the chunks' (a fifth of the bytes): the
            // chunks get every core.
            let batches = balance(&chunks, workers);
            std::thread::scope(|scope| {
                let mut handles = vec![scope.spawn(|| optimize(bin, main))];
                handles.extend(
                    batches
                        .iter()
                        .filter(|batch| !batch.is_empty())
                        .map(|batch| scope.spawn(move || run_node(script, batch))),
                );
                join(handles)
            })
        }
    }
}

fn join(handles: Vec<std::thread::ScopedJoinHandle<'_, Result<()>>>) -> Result<()> {
    handles.into_iter().try_for_each(|h| {
        h.join()
            .unwrap_or_else(|_| Err("a wasm-opt worker panicked".into()))
    })
}

/// Splits `files` into `n` batches of about the same total size (largest first, each to the
/// lightest batch): the main module alone outweighs most chunks together.
fn balance(files: &[PathBuf], n: usize) -> Vec<Vec<PathBuf>> {
    let mut sized: Vec<(u64, &PathBuf)> = files
        .iter()
        .map(|f| (std::fs::metadata(f).map_or(0, |m| m.len()), f))
        .collect();
    sized.sort_by_key(|(size, _)| std::cmp::Reverse(*size));
    let mut batches = vec![(0u64, Vec::new()); n.max(1)];
    for (size, file) in sized {
        let lightest = batches
            .iter_mut()
            .min_by_key(|(total, _)| *total)
            .expect("at least one batch");
        lightest.0 += size;
        lightest.1.push(file.clone());
    }
    batches.into_iter().map(|(_, files)| files).collect()
}

fn run_node(script: &Path, files: &[PathBuf]) -> Result<()> {
    let status = Command::new("node")
        .arg(script)
        .args(files)
        .status()
        .map_err(|e| format!("node: {e} (install Node.js, or set NURI_WASM_OPT)"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed", script.display()))
    }
}

/// Optimises `file` for size, in place, with the `wasm-opt` command.
fn optimize(bin: &Path, file: &Path) -> Result<()> {
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
