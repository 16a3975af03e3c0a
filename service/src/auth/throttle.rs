//! Failed sign-ins, counted per account and per client address in the database (so every replica
//! agrees). Past the limit inside the window, the key is blocked for a while: 429 + Retry-After.

use chrono::{Duration, Utc};
use entity::login_throttle::{self, Column, Entity};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::{Result, ServiceError};

pub const ACCOUNT_LIMIT: i32 = 5;
pub const ADDRESS_LIMIT: i32 = 20;
pub const WINDOW_MINUTES: i64 = 15;
pub const BLOCK_MINUTES: i64 = 15;

pub fn account_key(normalized_email: &str) -> String {
    format!("acct:{normalized_email}")
}

pub fn address_key(addr: &std::net::IpAddr) -> String {
    format!("ip:{addr}")
}

/// Refuses when any of `keys` is blocked now.
pub async fn check(db: &impl ConnectionTrait, keys: &[String]) -> Result<()> {
    let now = Utc::now();
    let rows = Entity::find()
        .filter(Column::Key.is_in(keys.iter().cloned()))
        .all(db)
        .await?;
    let wait = rows
        .iter()
        .filter_map(|r| r.blocked_until)
        .filter(|until| *until > now)
        .map(|until| (until - now).num_seconds().max(1) as u64)
        .max();
    match wait {
        Some(retry_after_secs) => Err(ServiceError::RateLimited { retry_after_secs }),
        None => Ok(()),
    }
}

pub async fn record_failure(db: &impl ConnectionTrait, key: &str, limit: i32) -> Result<()> {
    let now = Utc::now();
    let window = Duration::minutes(WINDOW_MINUTES);
    match Entity::find_by_id(key.to_owned()).one(db).await? {
        None => {
            let row = login_throttle::ActiveModel {
                key: Set(key.to_owned()),
                failures: Set(1),
                window_started_at: Set(now),
                blocked_until: Set(if limit <= 1 {
                    Some(now + Duration::minutes(BLOCK_MINUTES))
                } else {
                    None
                }),
            };
            // Two failures racing to create the row: the loser's count is lost, which only
            // makes the limit one attempt looser.
            if let Err(e) = Entity::insert(row).exec(db).await {
                tracing::debug!(error = %e, "throttle row insert raced");
            }
        }
        Some(row) => {
            let (failures, started) = if row.window_started_at + window < now {
                (1, now)
            } else {
                (row.failures + 1, row.window_started_at)
            };
            let blocked = (failures >= limit).then(|| now + Duration::minutes(BLOCK_MINUTES));
            let mut active: login_throttle::ActiveModel = row.into();
            active.failures = Set(failures);
            active.window_started_at = Set(started);
            active.blocked_until = Set(blocked);
            active.update(db).await?;
        }
    }
    Ok(())
}

pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<()> {
    Entity::delete_by_id(key.to_owned()).exec(db).await?;
    Ok(())
}
