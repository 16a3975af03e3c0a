//! Server functions: the browser's door into `service`. Each one resolves the caller from the
//! request context, calls one service function and maps the result; no rule lives here.

pub mod auth;
pub mod curricula;
pub mod dashboard;
pub mod forms;
pub mod hosting;
pub mod import;
pub mod mentorships;
pub mod notifications;
pub mod org;
pub mod tasks;
pub mod users;
pub mod workspace_admin;
pub mod workspaces;

#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use std::collections::HashSet;
    use std::path::Path;

    use axum::body::Body;
    use leptos::server_fn::{inventory, ServerFnTraitObj};

    type Registered = ServerFnTraitObj<http::Request<Body>, http::Response<Body>>;

    /// Server functions declared in the source, so the registry below is known to be complete.
    fn declared(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| match p.is_dir() {
                true => declared(&p),
                false => std::fs::read_to_string(&p)
                    .unwrap()
                    .lines()
                    .filter(|l| l.trim_start().starts_with("#[server("))
                    // `#[server(flatten)]` marks an argument, not a function.
                    .filter(|l| !l.contains("flatten"))
                    .count(),
            })
            .sum()
    }

    /// Two server functions with one endpoint would silently shadow each other: the router keeps
    /// one per (path, method). Read every registration Leptos collects, before that map.
    #[test]
    fn endpoints_are_unique() {
        let mut seen = HashSet::new();
        let mut twice = Vec::new();
        for f in inventory::iter::<Registered> {
            if !seen.insert((f.path(), f.method())) {
                twice.push(f.path());
            }
        }
        assert!(twice.is_empty(), "endpoints used twice: {twice:?}");
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        assert_eq!(
            seen.len(),
            declared(&src),
            "every server function is registered"
        );
    }
}
