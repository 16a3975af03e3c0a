//! Static files from the site root: the build's content-hashed assets, cached for a year and sent
//! precompressed; everything else (icons, manifest, the service worker) revalidated each time.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// Where the hashed assets live, relative to the site root.
const PKG: &str = "pkg";

/// What `cargo xtask build` writes to `site/assets.json`.
#[derive(Debug, Deserialize)]
struct Manifest {
    pkg_dir: String,
}

/// This build's asset directory (`pkg/HASH`), or plain `pkg` for a site built without xtask
/// (cargo-leptos), whose names carry no hash.
pub fn pkg_dir(site_root: &Path) -> String {
    let path = site_root.join("assets.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return PKG.to_owned();
    };
    match serde_json::from_str::<Manifest>(&text) {
        Ok(m) if is_hashed_pkg_dir(&m.pkg_dir) => m.pkg_dir,
        _ => {
            tracing::warn!(path = %path.display(), "unreadable asset manifest; serving /pkg unhashed");
            PKG.to_owned()
        }
    }
}

/// `pkg/` followed by one segment of hex digits: the only paths that get an immutable cache.
fn is_hashed_pkg_dir(dir: &str) -> bool {
    dir.strip_prefix("pkg/")
        .is_some_and(|hash| hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_hashed_asset(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').splitn(3, '/');
    match (segments.next(), segments.next(), segments.next()) {
        (Some(pkg), Some(hash), Some(_file)) => is_hashed_pkg_dir(&format!("{pkg}/{hash}")),
        _ => false,
    }
}

pub async fn serve(site_root: &Path, req: Request) -> Response {
    let hashed = is_hashed_asset(req.uri().path());
    let files = ServeDir::new(site_root)
        .precompressed_br()
        .precompressed_gzip();
    let mut res = match files.oneshot(req).await {
        Ok(res) => res.into_response(),
        Err(never) => match never {},
    };
    let cache = if hashed && res.status().is_success() {
        // The name changes whenever the content does.
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // The bytes depend on Accept-Encoding (a .br or .gz twin may be sent): caches must key on it.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_under_a_hashed_pkg_dir_are_immutable() {
        assert!(is_hashed_asset("/pkg/0123abcd4567ef89/nuri.js"));
        assert!(is_hashed_asset("/pkg/0123abcd4567ef89/chunks/a.wasm"));
        assert!(!is_hashed_asset("/pkg/nuri.js"));
        assert!(!is_hashed_asset("/pkg/not-a-hash/nuri.js"));
        assert!(!is_hashed_asset("/pkg/0123abcd4567ef89"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/icon.svg"));
    }

    #[test]
    fn the_manifest_names_the_pkg_dir() {
        let dir = std::env::temp_dir().join(format!("nuri-assets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(pkg_dir(&dir), "pkg");
        std::fs::write(
            dir.join("assets.json"),
            r#"{"build":"0123abcd4567ef89","pkg_dir":"pkg/0123abcd4567ef89"}"#,
        )
        .unwrap();
        assert_eq!(pkg_dir(&dir), "pkg/0123abcd4567ef89");
        std::fs::write(dir.join("assets.json"), r#"{"pkg_dir":"../etc"}"#).unwrap();
        assert_eq!(pkg_dir(&dir), "pkg");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
