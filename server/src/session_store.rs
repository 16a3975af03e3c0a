//! tower-sessions records in nuri's own database, so sessions survive restarts and are shared by
//! every replica. Loaded records are kept in memory for `service::auth::cache::TTL`: a session
//! ended here (logout, rotation) is forgotten at once, one ended by another replica within that
//! bound.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use entity::session::{self, Column, Entity};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use service::auth::cache::{TtlCache, CAPACITY, TTL};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, ExpiredDeletion, Result};
use tower_sessions::SessionStore;

#[derive(Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    cache: Arc<TtlCache<Id, Record>>,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbSessionStore").finish_non_exhaustive()
    }
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            cache: Arc::new(TtlCache::new(TTL, CAPACITY)),
        }
    }

    fn to_row(record: &Record) -> Result<session::ActiveModel> {
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        let expiry = record.expiry_date;
        let expires_at =
            DateTime::<Utc>::from_timestamp(expiry.unix_timestamp(), expiry.nanosecond())
                .ok_or_else(|| Error::Encode("expiry out of range".into()))?;
        Ok(session::ActiveModel {
            id: Set(record.id.to_string()),
            data: Set(data),
            expires_at: Set(expires_at),
        })
    }
}

/// `continuously_delete_expired` (tower-sessions) runs this on a timer; see `cli::serve`.
#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> Result<()> {
        let res = Entity::delete_many()
            .filter(Column::ExpiresAt.lt(Utc::now()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        self.cache.clear();
        if res.rows_affected > 0 {
            tracing::info!(removed = res.rows_affected, "expired sessions removed");
        }
        Ok(())
    }
}

fn backend(e: sea_orm::DbErr) -> Error {
    Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A 128-bit random id colliding is astronomically unlikely; retry rather than overwrite.
        for _ in 0..3 {
            match Entity::insert(Self::to_row(record)?).exec(&self.db).await {
                Ok(_) => return Ok(()),
                Err(e)
                    if matches!(
                        e.sql_err(),
                        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                    ) =>
                {
                    record.id = Id::default();
                }
                Err(e) => return Err(backend(e)),
            }
        }
        Err(Error::Backend("could not allocate a session id".into()))
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let written = Entity::insert(Self::to_row(record)?)
            .on_conflict(
                OnConflict::column(Column::Id)
                    .update_columns([Column::Data, Column::ExpiresAt])
                    .to_owned(),
            )
            .exec(&self.db)
            .await
            .map_err(backend);
        // Forgotten even when the write failed: the row may or may not have changed.
        self.cache.remove(&record.id);
        written?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        if let Some(record) = self.cache.get(id) {
            if record.expiry_date > time::OffsetDateTime::now_utc() {
                return Ok(Some(record));
            }
        }
        let stamp = self.cache.stamp();
        let Some(row) = Entity::find_by_id(id.to_string())
            .filter(Column::ExpiresAt.gt(Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data).map_err(|e| Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(|e| Error::Decode(e.to_string()))?;
        let record = Record {
            id: *id,
            data,
            expiry_date,
        };
        self.cache.insert(*id, record.clone(), stamp);
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        let deleted = Entity::delete_by_id(id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend);
        self.cache.remove(id);
        deleted?;
        Ok(())
    }
}
