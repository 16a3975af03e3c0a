//! Paths from clients, checked before anything touches the disk. This is the first of two
//! fences: it gives a clear error for what is plainly wrong (`..`, absolute, NUL, backslashes,
//! overlong names); `cap-std` is the second, refusing at the system-call level anything that
//! would leave the workspace root, including through symlinks a user made in a Jupyter terminal.

use entity::FieldError;

/// Longest name of one file or folder, in bytes (what Linux file systems take).
pub const NAME_MAX: usize = 255;
/// Longest path from the workspace root, in bytes.
pub const PATH_MAX: usize = 1024;

/// A checked path relative to a workspace root: `/`-separated, no empty, `.` or `..` parts.
/// The root itself is the empty path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelPath(String);

impl RelPath {
    pub fn root() -> Self {
        RelPath(String::new())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// For cap-std, which takes `.` for the directory itself.
    pub fn fs(&self) -> &std::path::Path {
        std::path::Path::new(if self.0.is_empty() { "." } else { &self.0 })
    }

    /// The last part (`""` for the root).
    pub fn name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or("")
    }

    pub fn parent(&self) -> RelPath {
        match self.0.rsplit_once('/') {
            Some((parent, _)) => RelPath(parent.to_owned()),
            None => RelPath::root(),
        }
    }

    pub fn join(&self, name: &str) -> RelPath {
        if self.0.is_empty() {
            RelPath(name.to_owned())
        } else {
            RelPath(format!("{}/{name}", self.0))
        }
    }

    /// Whether `self` is `other` or inside it (a folder cannot move into itself).
    pub fn within(&self, other: &RelPath) -> bool {
        other.is_root()
            || self.0 == other.0
            || self
                .0
                .strip_prefix(&other.0)
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

impl std::fmt::Display for RelPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads `raw` (from field `field`) as a path inside the root. `.` parts and repeated or trailing
/// slashes are dropped; everything that could point elsewhere is refused.
pub fn check(field: &str, raw: &str) -> Result<RelPath, FieldError> {
    let outside = |why: &str| {
        FieldError::new(
            field,
            "path_outside",
            format!("{why}: paths stay inside the workspace"),
        )
    };
    let invalid = |why: String| FieldError::new(field, "invalid_path", why);
    if raw.len() > PATH_MAX {
        return Err(invalid(format!("use a path of at most {PATH_MAX} bytes")));
    }
    if raw.contains('\0') {
        return Err(invalid("a path cannot hold a NUL character".into()));
    }
    if raw.contains('\\') {
        return Err(invalid("use / between folders, not \\".into()));
    }
    if raw.starts_with('/') {
        return Err(outside("an absolute path"));
    }
    let mut parts = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => continue,
            ".." => return Err(outside("`..` leads out of the folder")),
            name => {
                check_name_chars(name).map_err(invalid)?;
                parts.push(name);
            }
        }
    }
    Ok(RelPath(parts.join("/")))
}

/// A new name for one file or folder (not a path).
pub fn check_name(field: &str, raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new(field, "required", "this is required"));
    }
    if name == "." || name == ".." || name.contains('/') || name.contains('\\') {
        return Err(FieldError::new(
            field,
            "invalid_name",
            "a name cannot be . or .. or hold / or \\",
        ));
    }
    check_name_chars(name).map_err(|m| FieldError::new(field, "invalid_name", m))?;
    Ok(name.to_owned())
}

fn check_name_chars(name: &str) -> Result<(), String> {
    if name.len() > NAME_MAX {
        return Err(format!("use names of at most {NAME_MAX} bytes"));
    }
    if name.chars().any(char::is_control) {
        return Err("remove control characters from the name".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_are_normalised() {
        assert_eq!(check("path", "").unwrap(), RelPath::root());
        assert_eq!(
            check("path", "data//a.csv/").unwrap().as_str(),
            "data/a.csv"
        );
        assert_eq!(check("path", "./data/./b").unwrap().as_str(), "data/b");
        assert_eq!(check("path", "데이터/매출.csv").unwrap().name(), "매출.csv");
    }

    #[test]
    fn escapes_and_odd_bytes_are_refused_with_their_own_codes() {
        let code = |raw: &str| check("path", raw).unwrap_err().code;
        for raw in ["..", "../x", "data/../../x", "/etc/passwd", "a/.."] {
            assert_eq!(code(raw), "path_outside", "{raw}");
        }
        let long_name = "x".repeat(NAME_MAX + 1);
        let long_path = "a/".repeat(PATH_MAX);
        for raw in ["a\0b", "a\\b", "..\\x", &long_name, &long_path, "a\nb"] {
            assert_eq!(code(raw), "invalid_path", "{raw:?}");
        }
    }

    #[test]
    fn within_is_by_whole_parts() {
        let p = |s: &str| check("p", s).unwrap();
        assert!(p("a/b").within(&p("a")));
        assert!(p("a").within(&p("a")));
        assert!(!p("ab").within(&p("a")));
        assert!(p("a").within(&RelPath::root()));
    }

    #[test]
    fn names_are_one_part() {
        assert_eq!(check_name("name", " 새 폴더 ").unwrap(), "새 폴더");
        for bad in ["", "..", "a/b", "a\\b", "a\0"] {
            assert!(check_name("name", bad).is_err(), "{bad:?}");
        }
    }
}
