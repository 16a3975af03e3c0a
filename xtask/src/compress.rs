//! Precompressed copies of the site's text and WASM files, so the server sends `.br`/`.gz` bytes
//! straight from disk instead of compressing the same bundle on every first visit.

use std::io::Write;
use std::path::Path;

use crate::Result;

/// Kinds worth compressing; images are compressed already.
const EXTENSIONS: &[&str] = &[
    "wasm",
    "js",
    "css",
    "json",
    "svg",
    "webmanifest",
    "html",
    "txt",
];
/// Below this a compressed copy saves less than its headers cost.
const MIN_BYTES: usize = 1024;

/// Writes `NAME.br` and `NAME.gz` beside every compressible file under `dir`, keeping a copy only
/// when it is smaller than the original.
pub fn precompress_tree(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            precompress_tree(&path)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e))
        {
            precompress(&path)?;
        }
    }
    Ok(())
}

fn precompress(path: &Path) -> Result<()> {
    let raw = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if raw.len() < MIN_BYTES {
        return Ok(());
    }
    let br = brotli(&raw)?;
    let gz = gzip(&raw)?;
    for (bytes, suffix) in [(br, "br"), (gz, "gz")] {
        if bytes.len() < raw.len() {
            let mut name = path.as_os_str().to_owned();
            name.push(".");
            name.push(suffix);
            std::fs::write(&name, bytes).map_err(|e| format!("{name:?}: {e}"))?;
        }
    }
    Ok(())
}

fn brotli(raw: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len() / 3);
    // Quality 11 is slow but paid once per build; window 24 covers the whole bundle.
    let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 24);
    writer.write_all(raw).map_err(|e| format!("brotli: {e}"))?;
    drop(writer);
    Ok(out)
}

fn gzip(raw: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(raw).map_err(|e| format!("gzip: {e}"))?;
    encoder.finish().map_err(|e| format!("gzip: {e}"))
}
