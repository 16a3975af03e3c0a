//! Liveness and the detailed health report.

use std::time::Instant;

use sea_orm::{ConnectionTrait, DatabaseBackend};
use serde::Serialize;

use crate::policy::{self, Action};
use crate::{Actor, Ctx, Result};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HealthDetails {
    pub status: &'static str,
    pub version: &'static str,
    pub uptime_secs: u64,
    pub database: DatabaseHealth,
    pub disk: Option<DiskHealth>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DatabaseHealth {
    pub backend: &'static str,
    pub round_trip_ms: f64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DiskHealth {
    pub path: String,
    pub free_bytes: u64,
    pub total_bytes: u64,
}

pub fn backend_name(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Sqlite => "sqlite",
        DatabaseBackend::Postgres => "postgresql",
        DatabaseBackend::MySql => "mysql",
        _ => "other",
    }
}

/// One round trip to the database.
pub async fn ping(ctx: &Ctx) -> Result<f64> {
    let started = Instant::now();
    ctx.db.execute_unprepared("SELECT 1").await?;
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

pub async fn details(ctx: &Ctx, actor: Option<&Actor>) -> Result<HealthDetails> {
    policy::require(actor, Action::ViewHealthDetails)?;
    let round_trip_ms = ping(ctx).await?;
    Ok(HealthDetails {
        status: "ok",
        version: VERSION,
        uptime_secs: ctx.started_at.elapsed().as_secs(),
        database: DatabaseHealth {
            backend: backend_name(ctx.db.get_database_backend()),
            round_trip_ms,
        },
        disk: disk_usage(&ctx.settings.data_dir),
    })
}

fn disk_usage(path: &std::path::Path) -> Option<DiskHealth> {
    let (free_bytes, total_bytes) = statvfs(path)?;
    Some(DiskHealth {
        path: path.display().to_string(),
        free_bytes,
        total_bytes,
    })
}

#[cfg(unix)]
fn statvfs(path: &std::path::Path) -> Option<(u64, u64)> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: c_path is NUL-terminated and stat is a valid out-pointer for the call.
    let rc = unsafe { libc::statvfs(c_path.as_ptr(), &mut stat) };
    (rc == 0).then(|| {
        let frsize = stat.f_frsize as u64;
        (stat.f_bavail as u64 * frsize, stat.f_blocks as u64 * frsize)
    })
}

#[cfg(not(unix))]
fn statvfs(_path: &std::path::Path) -> Option<(u64, u64)> {
    None
}
