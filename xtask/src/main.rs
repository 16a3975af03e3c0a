//! `cargo xtask build [--release]`: the `nuri` binary and its site (hydrate WASM + JS glue, CSS,
//! public files) in `$CARGO_TARGET_DIR/site`. Fully offline: wasm-bindgen runs as a library at
//! exactly the lockfile's version, wasm-opt comes from Debian's binaryen.

mod split;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

type Result<T, E = String> = std::result::Result<T, E>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build(args.iter().any(|a| a == "--release")),
        Some("site") => site_only(args.iter().any(|a| a == "--release")),
        _ => Err("usage: cargo xtask build [--release]   (or: site [--release] to rebuild only the site)".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .unwrap_or_else(|| root.join("target"))
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn build(release: bool) -> Result<()> {
    let root = workspace_root();
    let target = target_dir(&root);
    check_wasm_bindgen_version(&root)?;
    let started = Instant::now();

    // Server and WASM build side by side: separate invocations (so the server's features never
    // unify into the WASM tree) with separate target dirs (so neither waits on the other's lock).
    let mut server = cargo();
    server
        .current_dir(&root)
        .args(["build", "--package", "server", "--bin", "nuri"]);
    server.env("CARGO_TARGET_DIR", &target);
    if release {
        server.arg("--release");
    }
    let mut server = server.spawn().map_err(|e| format!("cargo: {e}"))?;
    let wasm = build_wasm(&root, &target, release);
    let server_status = server.wait().map_err(|e| format!("cargo: {e}"))?;
    let wasm = wasm?;
    if !server_status.success() {
        return Err("the server build failed".into());
    }
    assemble_site(&root, &target, &wasm, release)?;
    let profile = if release { "release" } else { "debug" };
    println!(
        "xtask: built {} and {} in {:.0?}",
        target.join(profile).join("nuri").display(),
        target.join("site").display(),
        started.elapsed()
    );
    Ok(())
}

fn site_only(release: bool) -> Result<()> {
    let root = workspace_root();
    let target = target_dir(&root);
    check_wasm_bindgen_version(&root)?;
    let wasm = build_wasm(&root, &target, release)?;
    assemble_site(&root, &target, &wasm, release)
}

fn build_wasm(root: &Path, target: &Path, release: bool) -> Result<PathBuf> {
    let wasm_target = target.join("wasm");
    let mut cmd = cargo();
    cmd.current_dir(root)
        .args([
            "rustc",
            "--package",
            "frontend",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .env("CARGO_TARGET_DIR", &wasm_target);
    let profile_dir = if release {
        cmd.args(["--profile", "wasm-release"]);
        "wasm-release"
    } else {
        "debug"
    };
    cmd.arg("--").args(split::LINK_ARGS);
    let status = cmd.status().map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err("the WASM build failed (is the target installed? `rustup target add wasm32-unknown-unknown`)".into());
    }
    Ok(wasm_target
        .join("wasm32-unknown-unknown")
        .join(profile_dir)
        .join("frontend.wasm"))
}

/// Builds the site into a fresh directory and swaps it in, so a running server never sees a
/// half-written `pkg/`.
fn assemble_site(root: &Path, target: &Path, wasm: &Path, release: bool) -> Result<()> {
    let site = target.join("site");
    let fresh = target.join("site.new");
    let old = target.join("site.old");
    let _ = std::fs::remove_dir_all(&fresh);
    let pkg = fresh.join("pkg");
    std::fs::create_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;

    let split = split::split_wasm(wasm, &pkg, "nuri")?;
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    split::configure_bindgen(&mut bindgen);
    bindgen
        .input_path(&split.main)
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e}"))?
        .out_name("nuri")
        .debug(!release)
        .generate(&pkg)
        .map_err(|e| format!("wasm-bindgen: {e}"))?;

    let bg = pkg.join("nuri_bg.wasm");
    for bg in std::iter::once(&bg)
        .chain(&split.chunks)
        .filter(|_| release)
    {
        let status = Command::new("wasm-opt")
            .arg("-Oz")
            .args([
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
            ])
            .arg(&bg)
            .arg("-o")
            .arg(&bg)
            .status()
            .map_err(|e| {
                format!("wasm-opt: {e} (install Debian's binaryen: apt-get install binaryen)")
            })?;
        if !status.success() {
            return Err("wasm-opt failed".into());
        }
    }

    bundle_css(&root.join("style"), &pkg.join("nuri.css"))?;
    copy_dir(&root.join("public"), &fresh)?;

    let _ = std::fs::remove_dir_all(&old);
    if site.exists() {
        std::fs::rename(&site, &old).map_err(|e| format!("{}: {e}", site.display()))?;
    }
    std::fs::rename(&fresh, &site).map_err(|e| format!("{}: {e}", site.display()))?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// One stylesheet for the browser: `main.css` (tokens and base) first, then the feature sheets
/// in name order, so each part of the UI keeps its own file without costing a request.
fn bundle_css(dir: &Path, to: &Path) -> Result<()> {
    let mut parts: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "css") && !p.ends_with("main.css"))
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
    std::fs::write(to, css).map_err(|e| format!("{}: {e}", to.display()))
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let dest = to.join(entry.file_name());
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            std::fs::create_dir_all(&dest).map_err(|e| e.to_string())?;
            copy_dir(&entry.path(), &dest)?;
        } else {
            copy(&entry.path(), &dest)?;
        }
    }
    Ok(())
}

/// The JS glue must come from the same wasm-bindgen as the runtime crate; refuse to build if the
/// lockfile ever lets them drift.
fn check_wasm_bindgen_version(root: &Path) -> Result<()> {
    let lock =
        std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let version_of = |name: &str| {
        let marker = format!("name = \"{name}\"\nversion = \"");
        lock.find(&marker).map(|i| {
            let rest = &lock[i + marker.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_owned()
        })
    };
    match (version_of("wasm-bindgen"), version_of("wasm-bindgen-cli-support")) {
        (Some(a), Some(b)) if a == b => Ok(()),
        (a, b) => Err(format!(
            "wasm-bindgen {a:?} and wasm-bindgen-cli-support {b:?} differ in Cargo.lock; pin both to the same version"
        )),
    }
}
