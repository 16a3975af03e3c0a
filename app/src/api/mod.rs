//! Server functions: the browser's door into `service`. Each one resolves the caller from the
//! request context, calls one service function and maps the result; no rule lives here.

pub mod auth;
pub mod curricula;
pub mod forms;
pub mod import;
pub mod mentoring;
pub mod org;
pub mod users;

#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(test)]
mod tests {
    /// Two server functions with one endpoint would silently shadow each other.
    #[test]
    fn endpoints_are_unique() {
        let sources = [
            include_str!("auth.rs"),
            include_str!("curricula.rs"),
            include_str!("import.rs"),
            include_str!("mentoring.rs"),
            include_str!("org.rs"),
            include_str!("users.rs"),
        ];
        let mut seen = std::collections::HashSet::new();
        for src in sources {
            for (i, _) in src.match_indices("endpoint = \"") {
                let rest = &src[i + 12..];
                let name = &rest[..rest.find('"').unwrap()];
                assert!(
                    seen.insert(name.to_owned()),
                    "endpoint {name} is used twice"
                );
            }
        }
        assert!(seen.len() > 20);
    }
}
