//! Configuration: an optional `nuri.toml`, then environment variables (which win). The names are
//! a contract that scripts and docs rely on.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use service::Registration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub log_format: LogFormat,
    pub registration: Registration,
    pub secure_cookies: bool,
    pub site_root: PathBuf,
    /// Take the client address from X-Forwarded-For (only behind a proxy you run).
    pub trust_proxy: bool,
    /// `/metrics` on the main listener to this bearer token only.
    pub metrics_token: Option<String>,
    /// `/metrics` on this address only (e.g. a private interface for Prometheus).
    pub metrics_listen: Option<SocketAddr>,
    /// How many proxies of yours append to X-Forwarded-For: the client is that many entries from
    /// the right (everything further left was sent by the client and proves nothing).
    pub trusted_proxy_hops: usize,
    /// Workspaces and their Jupyter servers (`NURI_WORKSPACE_QUOTA_MB`, `NURI_JUPYTER`,
    /// `NURI_JUPYTER_PORTS`, `NURI_JUPYTER_IDLE_MINUTES`).
    pub workspaces: service::WorkspaceSettings,
    /// Hosting (`NURI_HYPERVISORS`, `NURI_HOSTING_*`).
    pub hosting: service::hosting::HostingSettings,
}

/// Keys of `nuri.toml`: the environment names without the `NURI_` prefix, lower-cased.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    log_format: Option<String>,
    registration: Option<String>,
    secure_cookies: Option<bool>,
    site_root: Option<PathBuf>,
    trust_proxy: Option<bool>,
    metrics_token: Option<String>,
    metrics_listen: Option<String>,
    trusted_proxy_hops: Option<usize>,
    workspace_quota_mb: Option<u64>,
    jupyter: Option<PathBuf>,
    jupyter_ports: Option<String>,
    jupyter_idle_minutes: Option<u64>,
    notebook_run_minutes: Option<u64>,
    hypervisors: Option<String>,
    hosting_http_listen: Option<String>,
    hosting_nginx_dir: Option<PathBuf>,
    hosting_public_host: Option<String>,
    hosting_web_base: Option<String>,
    hosting_guest: Option<PathBuf>,
    hosting_ssh_ports: Option<String>,
    hosting_memory_mb: Option<u32>,
}

impl Config {
    /// `file`: an explicit config path (must exist); otherwise `./nuri.toml` if present.
    pub fn load(file: Option<&Path>) -> Result<Config, String> {
        let file_cfg = match file {
            Some(p) => read_file(p)?,
            None if Path::new("nuri.toml").exists() => read_file(Path::new("nuri.toml"))?,
            None => FileConfig::default(),
        };
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let workspaces = workspace_settings(&env, &file_cfg)?;

        let listen = env("NURI_LISTEN")
            .or(file_cfg.listen)
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let listen: SocketAddr = listen.parse().map_err(|_| {
            format!("NURI_LISTEN: `{listen}` is not an address like 127.0.0.1:3000")
        })?;
        let data_dir = env("NURI_DATA_DIR")
            .map(PathBuf::from)
            .or(file_cfg.data_dir)
            .unwrap_or_else(|| PathBuf::from("./data"));
        let hosting = crate::hosting_config::hosting_settings(
            &env,
            &crate::hosting_config::HostingFile {
                hypervisors: file_cfg.hypervisors.clone(),
                hosting_http_listen: file_cfg.hosting_http_listen.clone(),
                hosting_nginx_dir: file_cfg.hosting_nginx_dir.clone(),
                hosting_public_host: file_cfg.hosting_public_host.clone(),
                hosting_web_base: file_cfg.hosting_web_base.clone(),
                hosting_guest: file_cfg.hosting_guest.clone(),
                hosting_ssh_ports: file_cfg.hosting_ssh_ports.clone(),
                hosting_memory_mb: file_cfg.hosting_memory_mb,
            },
            &data_dir,
        )?;
        let database_url = env("NURI_DATABASE_URL")
            .or(file_cfg.database_url)
            .unwrap_or_else(|| service::db::default_sqlite_url(&data_dir));
        let log_format = match env("NURI_LOG_FORMAT").or(file_cfg.log_format).as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(format!(
                    "NURI_LOG_FORMAT: `{other}` is neither `text` nor `json`"
                ))
            }
        };
        let registration = match env("NURI_REGISTRATION").or(file_cfg.registration) {
            None => Registration::Invite,
            Some(v) => Registration::parse(&v).ok_or_else(|| {
                format!("NURI_REGISTRATION: `{v}` is neither `invite` nor `open`")
            })?,
        };
        let secure_cookies = match env("NURI_SECURE_COOKIES") {
            Some(v) => parse_bool("NURI_SECURE_COOKIES", &v)?,
            None => file_cfg.secure_cookies.unwrap_or(false),
        };
        let trust_proxy = match env("NURI_TRUST_PROXY") {
            Some(v) => parse_bool("NURI_TRUST_PROXY", &v)?,
            None => file_cfg.trust_proxy.unwrap_or(false),
        };
        let metrics_token = env("NURI_METRICS_TOKEN").or(file_cfg.metrics_token);
        if metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            return Err("NURI_METRICS_TOKEN: use at least 16 characters".into());
        }
        let metrics_listen = match env("NURI_METRICS_LISTEN").or(file_cfg.metrics_listen) {
            None => None,
            Some(v) => Some(v.parse().map_err(|_| {
                format!("NURI_METRICS_LISTEN: `{v}` is not an address like 10.0.0.5:9100")
            })?),
        };
        let trusted_proxy_hops = match env("NURI_TRUSTED_PROXY_HOPS") {
            Some(v) => parse_hops(&v)?,
            None => match file_cfg.trusted_proxy_hops {
                Some(n) => parse_hops(&n.to_string())?,
                None => 1,
            },
        };
        let site_root = env("NURI_SITE_ROOT")
            .map(PathBuf::from)
            .or(file_cfg.site_root)
            .unwrap_or_else(default_site_root);
        Ok(Config {
            workspaces,
            hosting,
            listen,
            data_dir,
            database_url,
            log_format,
            registration,
            secure_cookies,
            site_root,
            trust_proxy,
            metrics_token,
            metrics_listen,
            trusted_proxy_hops,
        })
    }
}

fn workspace_settings(
    env: &dyn Fn(&str) -> Option<String>,
    file: &FileConfig,
) -> Result<service::WorkspaceSettings, String> {
    let mut w = service::WorkspaceSettings::default();
    let number = |name: &str, v: String| {
        v.trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{name}: `{v}` is not a positive whole number"))
    };
    let quota = match env("NURI_WORKSPACE_QUOTA_MB") {
        Some(v) => Some(number("NURI_WORKSPACE_QUOTA_MB", v)?),
        None => file.workspace_quota_mb,
    };
    if let Some(mb) = quota {
        w.quota_bytes = mb * 1024 * 1024;
    }
    if let Some(dir) = env("NURI_JUPYTER")
        .map(PathBuf::from)
        .or(file.jupyter.clone())
    {
        w.jupyter = dir;
    }
    if let Some(v) = env("NURI_JUPYTER_PORTS").or(file.jupyter_ports.clone()) {
        w.ports = parse_ports("NURI_JUPYTER_PORTS", &v)?;
    }
    let idle = match env("NURI_JUPYTER_IDLE_MINUTES") {
        Some(v) => Some(number("NURI_JUPYTER_IDLE_MINUTES", v)?),
        None => file.jupyter_idle_minutes,
    };
    if let Some(minutes) = idle {
        w.idle = std::time::Duration::from_secs(minutes * 60);
    }
    let run_limit = match env("NURI_NOTEBOOK_RUN_MINUTES") {
        Some(v) => Some(number("NURI_NOTEBOOK_RUN_MINUTES", v)?),
        None => file.notebook_run_minutes,
    };
    if let Some(minutes) = run_limit {
        w.run_limit = std::time::Duration::from_secs(minutes * 60);
    }
    Ok(w)
}

/// `8888-9000`: a range of unprivileged ports.
pub(crate) fn parse_ports(name: &str, v: &str) -> Result<std::ops::RangeInclusive<u16>, String> {
    let wrong = || format!("{name}: `{v}` is not a range like 8888-9000");
    let (a, b) = v.trim().split_once('-').ok_or_else(wrong)?;
    let (a, b): (u16, u16) = (
        a.trim().parse().map_err(|_| wrong())?,
        b.trim().parse().map_err(|_| wrong())?,
    );
    if a < 1024 || a > b {
        return Err(wrong());
    }
    Ok(a..=b)
}

fn read_file(path: &Path) -> Result<FileConfig, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse_bool(name: &str, v: &str) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("{name}: `{v}` is not true or false")),
    }
}

/// At least one proxy (ours) and no absurd chain.
fn parse_hops(v: &str) -> Result<usize, String> {
    match v.trim().parse::<usize>() {
        Ok(n) if (1..=16).contains(&n) => Ok(n),
        _ => Err(format!(
            "NURI_TRUSTED_PROXY_HOPS: `{v}` is not a number of proxies from 1 to 16"
        )),
    }
}

/// The build puts the site beside the binary's directory (`target/<profile>/nuri` →
/// `target/site`), so a binary finds its assets wherever it is started from.
fn default_site_root() -> PathBuf {
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.canonicalize().ok())
        .and_then(|p| p.parent().map(Path::to_path_buf));
    if let Some(dir) = exe_dir {
        for candidate in [dir.join("site"), dir.join("../site")] {
            if candidate.join("pkg").is_dir() {
                return candidate;
            }
        }
    }
    PathBuf::from("target/site")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jupyter_ports_are_an_unprivileged_range() {
        assert_eq!(parse_ports("P", "8888-9000"), Ok(8888..=9000));
        assert_eq!(parse_ports("P", " 20000 - 20010 "), Ok(20000..=20010));
        for bad in ["8888", "9000-8888", "80-90", "a-b", ""] {
            assert!(parse_ports("P", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_notebook_run_limit_is_whole_minutes() {
        let env = |k: &str| (k == "NURI_NOTEBOOK_RUN_MINUTES").then(|| "5".to_owned());
        let w = workspace_settings(&env, &FileConfig::default()).unwrap();
        assert_eq!(w.run_limit, std::time::Duration::from_secs(300));
        let bad = |k: &str| (k == "NURI_NOTEBOOK_RUN_MINUTES").then(|| "0".to_owned());
        let err = workspace_settings(&bad, &FileConfig::default()).unwrap_err();
        assert!(err.starts_with("NURI_NOTEBOOK_RUN_MINUTES"), "{err}");
    }

    #[test]
    fn proxy_hops_are_a_small_positive_number() {
        assert_eq!(parse_hops("1"), Ok(1));
        assert_eq!(parse_hops(" 2 "), Ok(2));
        for bad in ["0", "-1", "two", "", "17", "1.5"] {
            let err = parse_hops(bad).unwrap_err();
            assert!(err.starts_with("NURI_TRUSTED_PROXY_HOPS"), "{bad}: {err}");
        }
    }
}
