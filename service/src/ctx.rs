use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::cache::AuthCache;
use crate::cache::TtlCache;
use crate::secrets::Keys;

/// What every service call needs: the database, the instance's keys and its settings, and this
/// process's cache of who is signed in.
#[derive(Clone)]
pub struct Ctx {
    pub db: DatabaseConnection,
    pub keys: Arc<Keys>,
    pub settings: Arc<Settings>,
    pub started_at: std::time::Instant,
    pub auth: Arc<AuthCache>,
    /// Large list totals, shared for `db::TOTALS_TTL` (see `db::page`).
    pub totals: Arc<TtlCache<String, u64>>,
    /// Wakes this process's job worker when a job is recorded.
    pub jobs: Arc<tokio::sync::Notify>,
    /// This process's open libvirt connections.
    pub hypervisors: Arc<crate::hosting::Hypervisors>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// Admins create accounts (the default).
    Invite,
    /// Anyone may register as a mentee.
    Open,
}

impl Registration {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "invite" => Some(Registration::Invite),
            "open" => Some(Registration::Open),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub registration: Registration,
    pub access_token_ttl: chrono::Duration,
    pub refresh_token_ttl: chrono::Duration,
    pub data_dir: std::path::PathBuf,
    pub workspaces: WorkspaceSettings,
    pub hosting: crate::hosting::HostingSettings,
}

/// Workspaces and their Jupyter servers (`NURI_WORKSPACE_QUOTA_MB`, `NURI_JUPYTER`,
/// `NURI_JUPYTER_PORTS`, `NURI_JUPYTER_IDLE_MINUTES`).
#[derive(Debug, Clone)]
pub struct WorkspaceSettings {
    /// Bytes one person may keep across all their workspaces.
    pub quota_bytes: u64,
    /// The Python environment with JupyterLab (its `bin/jupyter`, `bin/python`).
    pub jupyter: std::path::PathBuf,
    /// Ports Jupyter servers listen on (127.0.0.1 only).
    pub ports: std::ops::RangeInclusive<u16>,
    /// A server with no kernel or HTTP activity for this long is stopped.
    pub idle: std::time::Duration,
    /// How long a notebook run may take in all.
    pub run_limit: std::time::Duration,
}

impl Default for WorkspaceSettings {
    fn default() -> Self {
        Self {
            quota_bytes: 2048 * 1024 * 1024,
            jupyter: default_jupyter(),
            ports: 8888..=9000,
            idle: std::time::Duration::from_secs(60 * 60),
            run_limit: std::time::Duration::from_secs(30 * 60),
        }
    }
}

/// Where the set-up scripts create the environment: `$XDG_DATA_HOME/nuri/jupyter`, else
/// `~/.local/share/nuri/jupyter`.
pub fn default_jupyter() -> std::path::PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".local/share")))
        .unwrap_or_else(|| std::path::PathBuf::from("."));
    base.join("nuri").join("jupyter")
}

impl Settings {
    pub fn new(registration: Registration, data_dir: std::path::PathBuf) -> Self {
        Self {
            registration,
            access_token_ttl: chrono::Duration::minutes(15),
            refresh_token_ttl: chrono::Duration::days(30),
            data_dir,
            workspaces: WorkspaceSettings::default(),
            hosting: crate::hosting::HostingSettings::default(),
        }
    }
}

impl Ctx {
    pub fn new(db: DatabaseConnection, keys: Keys, settings: Settings) -> Self {
        Self {
            db,
            keys: Arc::new(keys),
            settings: Arc::new(settings),
            started_at: std::time::Instant::now(),
            auth: Arc::default(),
            totals: Arc::new(TtlCache::new(crate::db::TOTALS_TTL, 1024)),
            jobs: Arc::default(),
            hypervisors: Arc::default(),
        }
    }

    /// The same database, keys and settings with caches of its own: what a second process
    /// (another replica) sees.
    pub fn replica(&self) -> Self {
        Self {
            auth: Arc::default(),
            totals: Arc::new(TtlCache::new(crate::db::TOTALS_TTL, 1024)),
            jobs: Arc::default(),
            hypervisors: Arc::default(),
            ..self.clone()
        }
    }
}
