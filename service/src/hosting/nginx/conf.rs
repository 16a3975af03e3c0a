//! What nuri writes for nginx: its own instance's `nginx.conf` and one rule per hosting, both
//! from askama templates, and the files' places and safe replacement.

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use askama::Template;

use super::Rule;

/// nuri's own nginx: every file under one prefix (`<data dir>/nginx`), so it needs no root and
/// touches nothing of a system nginx.
#[derive(Debug, Clone)]
pub struct Prefix(pub PathBuf);

impl Prefix {
    pub fn conf(&self) -> PathBuf {
        self.0.join("nginx.conf")
    }
    pub fn rules(&self) -> PathBuf {
        self.0.join("rules")
    }
    pub fn pid(&self) -> PathBuf {
        self.0.join("nginx.pid")
    }
    pub fn error_log(&self) -> PathBuf {
        self.0.join("logs").join("error.log")
    }
    fn temp(&self, what: &str) -> PathBuf {
        self.0.join("temp").join(what)
    }

    /// The folders nginx expects to exist before it starts.
    pub fn create_dirs(&self) -> io::Result<()> {
        for dir in [self.rules(), self.0.join("logs"), self.0.join("temp")] {
            std::fs::create_dir_all(dir)?;
        }
        Ok(())
    }

    /// The command-line options that point nginx at this instance (`-e` too, so not even its
    /// first message goes to a log under /var that a non-root user cannot open).
    pub fn args(&self) -> Vec<std::ffi::OsString> {
        let mut prefix = self.0.clone().into_os_string();
        prefix.push("/");
        vec![
            "-p".into(),
            prefix,
            "-c".into(),
            self.conf().into_os_string(),
            "-e".into(),
            self.error_log().into_os_string(),
        ]
    }

    pub fn render(&self, listen: SocketAddr) -> Result<String, String> {
        let q = |p: PathBuf| quoted(&p);
        NginxConf {
            rules_dir: self.rules().display().to_string(),
            pid: q(self.pid()),
            lock: q(self.0.join("nginx.lock")),
            error_log: q(self.error_log()),
            access_log: q(self.0.join("logs").join("access.log")),
            temp_client_body: q(self.temp("client_body")),
            temp_proxy: q(self.temp("proxy")),
            temp_fastcgi: q(self.temp("fastcgi")),
            temp_uwsgi: q(self.temp("uwsgi")),
            temp_scgi: q(self.temp("scgi")),
            listen: listen.to_string(),
            rules: q(self.rules().join("*.conf")),
        }
        .render()
        .map_err(|e| format!("could not write the nginx configuration: {e}"))
    }
}

#[derive(Template)]
#[template(path = "hosting/nginx.conf", escape = "none")]
struct NginxConf {
    rules_dir: String,
    pid: String,
    lock: String,
    error_log: String,
    access_log: String,
    temp_client_body: String,
    temp_proxy: String,
    temp_fastcgi: String,
    temp_uwsgi: String,
    temp_scgi: String,
    listen: String,
    rules: String,
}

#[derive(Template)]
#[template(path = "hosting/rule.conf", escape = "none")]
struct RuleConf<'a> {
    owner: &'a str,
    user_id: i32,
    upstream_port: u16,
}

/// The rule's text. The owner's name only appears in a comment, with anything that could end
/// the comment (a line break or any other control character) taken out.
pub fn render_rule(rule: &Rule) -> Result<String, String> {
    let owner: String = rule
        .owner_name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}'))
        .take(120)
        .collect();
    RuleConf {
        owner: owner.trim(),
        user_id: rule.user_id,
        upstream_port: rule.upstream_port,
    }
    .render()
    .map_err(|e| format!("could not write the nginx rule: {e}"))
}

/// A rule's name becomes a file name: lowercase letters, digits and dashes only, so it never
/// leads out of the rules folder nor hides from `*.conf`.
pub fn check_name(name: &str) -> Result<(), String> {
    if valid_name(name) {
        Ok(())
    } else {
        Err(format!(
            "\"{}\" is not a valid nginx rule name (use lowercase letters, digits and dashes)",
            name.escape_debug()
        ))
    }
}

pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A path as an nginx string: quoted, so spaces and semicolons in the data dir do no harm.
fn quoted(path: &Path) -> String {
    let s = path.display().to_string();
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The file's text, or `None` if there is none.
pub fn read_optional(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("could not read {}: {e}", path.display())),
    }
}

/// Replaces the file whole: a temporary file beside it (not matching `*.conf`), then a rename,
/// so nginx never reads half a file.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), String> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{}.tmp", name.unwrap_or_default()));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("could not write {}: {e}", path.display())
        })
}

/// Puts back what the file held (`None`: there was no file).
pub fn restore(path: &Path, old: Option<&str>) -> Result<(), String> {
    match old {
        Some(text) => write_atomic(path, text),
        None => remove(path),
    }
}

/// Removes the file; one already gone is fine.
pub fn remove(path: &Path) -> Result<(), String> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("could not remove {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_leave_the_folder() {
        for bad in ["", "../x", "a/b", "A", "a.conf", "a b", "x\n"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        for good in ["7", "user-7", "h-0a"] {
            assert!(check_name(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn the_owner_cannot_break_out_of_the_comment() {
        let rule = Rule {
            user_id: 7,
            upstream_port: 40007,
            owner_name: "Eve\n} location / { return 200 owned; }\r\u{2028}#".into(),
        };
        let text = render_rule(&rule).unwrap();
        let first = text.lines().next().unwrap();
        assert!(first.starts_with("# Web address of Eve}"), "{first}");
        assert!(first.contains("(user 7)"), "{first}");
        let outside_comments = text.lines().filter(|l| !l.starts_with('#'));
        assert_eq!(
            outside_comments.filter(|l| l.contains('{')).count(),
            2,
            "{text}"
        );
        assert_eq!(
            text.lines().filter(|l| l.starts_with('#')).count(),
            1,
            "{text}"
        );
        assert!(
            text.contains("proxy_pass http://127.0.0.1:40007/;"),
            "{text}"
        );
        assert!(text.contains("return 301 /7/;"), "{text}");
    }

    #[test]
    fn paths_are_quoted() {
        assert_eq!(quoted(Path::new("/a b/\"c\"")), "\"/a b/\\\"c\\\"\"");
    }
}
