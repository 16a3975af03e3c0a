//! `cargo xtask build [--release]`: the `nuri` binary and its site (hydrate WASM + JS glue, CSS,
//! public files) in `$CARGO_TARGET_DIR/site` (see `site.rs` for its layout). Nothing is downloaded
//! but packages: wasm-bindgen runs as a library at exactly the lockfile's version, and `wasm-opt`
//! comes from the npm `binaryen` package (see `wasm_opt.rs`).

mod compress;
mod site;
mod split;
mod wasm_opt;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

type Result<T, E = String> = std::result::Result<T, E>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build(args.iter().any(|a| a == "--release")),
        Some("site") => site_only(args.iter().any(|a| a == "--release")),
        Some("css") => css_for_cargo_leptos(),
        _ => Err("usage: cargo xtask build [--release]   (or: site [--release] to rebuild only the site; \
            css to write the stylesheet cargo-leptos reads)"
            .into()),
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
    site::assemble(&site::Inputs {
        root: &root,
        target: &target,
        wasm: &wasm,
        release,
    })?;
    let profile = if release { "release" } else { "debug" };
    println!(
        "xtask: built {} and {} in {:.0?}",
        target.join(profile).join("nuri").display(),
        target.join("site").display(),
        started.elapsed()
    );
    Ok(())
}

/// `cargo leptos watch` reads one plain stylesheet and does not follow `@import`; point it (in
/// `[[workspace.metadata.leptos]]`) at the same bundle the site gets, written here.
fn css_for_cargo_leptos() -> Result<()> {
    let root = workspace_root();
    let to = root.join("target").join("style").join("nuri.css");
    std::fs::create_dir_all(to.parent().expect("a parent"))
        .map_err(|e| format!("{}: {e}", to.display()))?;
    site::bundle_css(&root.join("style"), &to)?;
    println!("xtask: wrote {}", to.display());
    Ok(())
}

fn site_only(release: bool) -> Result<()> {
    let root = workspace_root();
    let target = target_dir(&root);
    check_wasm_bindgen_version(&root)?;
    let wasm = build_wasm(&root, &target, release)?;
    site::assemble(&site::Inputs {
        root: &root,
        target: &target,
        wasm: &wasm,
        release,
    })
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
