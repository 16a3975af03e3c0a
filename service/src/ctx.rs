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
}

impl Settings {
    pub fn new(registration: Registration, data_dir: std::path::PathBuf) -> Self {
        Self {
            registration,
            access_token_ttl: chrono::Duration::minutes(15),
            refresh_token_ttl: chrono::Duration::days(30),
            data_dir,
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
        }
    }

    /// The same database, keys and settings with caches of its own: what a second process
    /// (another replica) sees.
    pub fn replica(&self) -> Self {
        Self {
            auth: Arc::default(),
            totals: Arc::new(TtlCache::new(crate::db::TOTALS_TTL, 1024)),
            ..self.clone()
        }
    }
}
