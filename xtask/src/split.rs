//! Splits the WASM bundle at the app's lazy routes (`#[lazy_route]`, `#[lazy]`), the step
//! cargo-leptos runs for `--split`, so that the browser first loads only what `/login` and the
//! dashboard need and fetches every other page's code on its first visit.
//!
//! Order of the pipeline: cargo links `frontend.wasm` with relocations kept ([`LINK_ARGS`]) →
//! [`split_wasm`] cuts it into a main module and chunks → wasm-bindgen processes only the main
//! module, keeping the linker's exports the chunks import ([`configure_bindgen`]).
//!
//! Everything lands flat in `pkg/`: the chunks (`<split>.wasm`, `chunk_<n>.wasm`), the loader
//! `__wasm_split.______________________.js` (imported by the main module's JS glue, and itself
//! importing `./<output_name>.js`; all references are relative, so `pkg/` may move as a whole),
//! and `__wasm_split_manifest.json`, which Leptos' `HydrationScripts` reads on the server to
//! preload the chunks of the page it renders.

use std::path::{Path, PathBuf};

/// Rustc arguments for the final link of the WASM crate: the splitter follows relocations to
/// find which functions and data each split point reaches. Link-only, so the dependencies'
/// build cache is unaffected (pass them through `cargo rustc … --`).
pub const LINK_ARGS: &[&str] = &["-Clink-arg=--emit-relocs"];

/// The loader's file name. Leptos' `HydrationScripts` hard-codes it (with the underscores) when
/// it links the loader of a page's chunks.
pub const LOADER_JS: &str = "__wasm_split.______________________.js";

/// What `HydrationScripts` reads from `<site_root>/<site_pkg_dir>/`: split name → the files
/// (without `.wasm`) it needs.
pub const MANIFEST: &str = "__wasm_split_manifest.json";

/// Splits `wasm` (cargo's `frontend.wasm`, linked with [`LINK_ARGS`]) into `pkg`.
/// `output_name` is the wasm-bindgen output name (`nuri`): the loader imports `./nuri.js`.
/// Returns the main module, to hand to wasm-bindgen (written beside the input, not into `pkg`).
pub fn split_wasm(wasm: &Path, pkg: &Path, output_name: &str) -> Result<PathBuf, String> {
    let input = std::fs::read(wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let main = wasm.with_file_name(format!(
        "{}_split.wasm",
        wasm.file_stem().and_then(|s| s.to_str()).unwrap_or("main")
    ));
    let main_module = format!("./{output_name}.js");
    let link_name = format!("./{LOADER_JS}");

    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = pkg;
    options.main_out_path = &main;
    options.main_module = &main_module;
    options.link_name = &link_name;
    let split = wasm_split_cli_support::transform(options).map_err(|e| {
        format!(
            "wasm-split: {e:#} (was {} linked with {LINK_ARGS:?}?)",
            wasm.display()
        )
    })?;

    let manifest = pkg.join(MANIFEST);
    // Sorted, so the file (and its hash) only changes when the split changes.
    let prefetch: std::collections::BTreeMap<_, _> = split.prefetch_map.into_iter().collect();
    let json = serde_json::to_string_pretty(&prefetch).map_err(|e| e.to_string())?;
    std::fs::write(&manifest, json).map_err(|e| format!("{}: {e}", manifest.display()))?;

    Ok(main)
}

/// wasm-bindgen settings a split main module needs: the chunks import the linker's exports
/// (function table, stack pointer, shared functions) by their raw symbol names, so wasm-bindgen
/// must neither drop nor demangle them.
pub fn configure_bindgen(bindgen: &mut wasm_bindgen_cli_support::Bindgen) {
    bindgen.keep_lld_exports(true).demangle(false);
}
