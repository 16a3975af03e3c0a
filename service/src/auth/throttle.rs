//! Sign-in attempts, counted per account and per client address in the database (so every
//! replica agrees). An attempt is *reserved* before the password is hashed, by one conditional
//! UPDATE (`failures < limit`), so however many guesses arrive at once, at most `limit` per window
//! get a verdict; the rest are refused with 429 + Retry-After. A wrong password keeps its
//! reservation (reaching the limit blocks the key for a while); a right one gives it back. The
//! `failures` column therefore counts failures plus attempts still being checked.

use chrono::{DateTime, Duration, Utc};
use entity::login_throttle::{self, Column, Entity};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, Set};

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

/// A key and how many attempts it may make per window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    pub key: String,
    pub limit: i32,
}

/// Not blocked at `now`.
fn unblocked(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(Column::BlockedUntil.is_null())
        .add(Column::BlockedUntil.lte(now))
}

/// How long an attempt waits for a slot that attempts still being checked hold.
const WAIT_FOR_SLOT: std::time::Duration = std::time::Duration::from_secs(10);
const POLL: std::time::Duration = std::time::Duration::from_millis(50);

/// Reserves one attempt on every key, or none: refused (`RateLimited`) when a key is blocked or
/// has used its attempts for this window. Each reservation is a single UPDATE guarded by
/// `failures < limit`, which the database applies atomically on SQLite, PostgreSQL and MariaDB.
///
/// The count includes attempts still being checked, so when the slots are taken but the key is
/// not blocked, those attempts are in flight: this one waits for them (a right password gives its
/// slot back, wrong ones end in a block), so many right sign-ins at once all get through while
/// a burst of guesses still gets at most `limit` verdicts.
pub async fn reserve(db: &impl ConnectionTrait, keys: &[Limit]) -> Result<()> {
    let deadline = tokio::time::Instant::now() + WAIT_FOR_SLOT;
    loop {
        let now = Utc::now();
        let Some(full) = try_reserve(db, keys, now).await? else {
            return Ok(());
        };
        let row = Entity::find_by_id(full.key.clone()).one(db).await?;
        let blocked = row
            .as_ref()
            .and_then(|r| r.blocked_until)
            .is_some_and(|until| until > now);
        if blocked || tokio::time::Instant::now() >= deadline {
            return Err(refusal(row, now));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// One try at reserving every key: the key that had no slot, if any (earlier keys given back).
async fn try_reserve<'k>(
    db: &impl ConnectionTrait,
    keys: &'k [Limit],
    now: DateTime<Utc>,
) -> Result<Option<&'k Limit>> {
    for (i, k) in keys.iter().enumerate() {
        start_window(db, &k.key, now).await?;
        let reserved = Entity::update_many()
            .col_expr(Column::Failures, Expr::col(Column::Failures).add(1))
            .filter(Column::Key.eq(k.key.as_str()))
            .filter(Column::Failures.lt(k.limit))
            .filter(unblocked(now))
            .exec(db)
            .await?
            .rows_affected
            == 1;
        if !reserved {
            for earlier in &keys[..i] {
                release(db, &earlier.key).await?;
            }
            return Ok(Some(k));
        }
    }
    Ok(None)
}

/// Makes sure the key has a row, and starts a new window when the last one (or its block) is over.
/// Both statements are idempotent, so racing callers agree.
async fn start_window(db: &impl ConnectionTrait, key: &str, now: DateTime<Utc>) -> Result<()> {
    let row = login_throttle::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(0),
        window_started_at: Set(now),
        blocked_until: Set(None),
    };
    // Usually the row is there already (or another attempt creates it first): nothing to do.
    Entity::insert(row)
        .on_conflict_do_nothing()
        .exec_without_returning(db)
        .await?;
    let window_over = Condition::all()
        .add(Column::BlockedUntil.is_null())
        .add(Column::WindowStartedAt.lt(now - Duration::minutes(WINDOW_MINUTES)));
    let block_over = Condition::all()
        .add(Column::BlockedUntil.is_not_null())
        .add(Column::BlockedUntil.lte(now));
    Entity::update_many()
        .col_expr(Column::Failures, Expr::value(0))
        .col_expr(Column::WindowStartedAt, Expr::value(now))
        .col_expr(
            Column::BlockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(Column::Key.eq(key))
        .filter(Condition::any().add(window_over).add(block_over))
        .exec(db)
        .await?;
    Ok(())
}

/// How long a refused key waits: until its block ends, else until its window ends.
fn refusal(row: Option<login_throttle::Model>, now: DateTime<Utc>) -> ServiceError {
    let until = row.map(|r| {
        r.blocked_until
            .filter(|b| *b > now)
            .unwrap_or(r.window_started_at + Duration::minutes(WINDOW_MINUTES))
    });
    let retry_after_secs = until.map_or(60, |u| Ord::max((u - now).num_seconds(), 1) as u64);
    ServiceError::RateLimited { retry_after_secs }
}

/// The attempts were wrong: they keep their reservations, and a key that has used up its
/// attempts is blocked for `BLOCK_MINUTES`.
pub async fn failed(db: &impl ConnectionTrait, keys: &[Limit]) -> Result<()> {
    let now = Utc::now();
    for k in keys {
        Entity::update_many()
            .col_expr(
                Column::BlockedUntil,
                Expr::value(Some(now + Duration::minutes(BLOCK_MINUTES))),
            )
            .filter(Column::Key.eq(k.key.as_str()))
            .filter(Column::Failures.gte(k.limit))
            .filter(Column::BlockedUntil.is_null())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Gives back a reservation that did not fail (a right password): it must not count against
/// the key (one office behind one address signs in many people).
pub async fn release(db: &impl ConnectionTrait, key: &str) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::Failures, Expr::col(Column::Failures).sub(1))
        .filter(Column::Key.eq(key))
        .filter(Column::Failures.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets a key: its failures and any block.
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<()> {
    Entity::delete_by_id(key.to_owned()).exec(db).await?;
    Ok(())
}

/// Forgets keys with nothing left to remember (their window is over and no block lasts), so
/// guesses at unknown emails do not leave rows for ever. Run by the server's housekeeping.
pub async fn sweep(db: &impl ConnectionTrait) -> Result<u64> {
    let now = Utc::now();
    let result = Entity::delete_many()
        .filter(Column::WindowStartedAt.lt(now - Duration::minutes(WINDOW_MINUTES)))
        .filter(unblocked(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
