//! The session store: expired records are removed by tower-sessions' `ExpiredDeletion`; live ones
//! stay.

use std::collections::HashMap;

use entity::session;
use sea_orm::EntityTrait;
use server::session_store::DbSessionStore;
use service::testing::TestDb;
use time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::SessionStore;

fn record(expires_in: Duration) -> Record {
    Record {
        id: Id::default(),
        data: HashMap::from([("user".to_owned(), serde_json::json!(1))]),
        expiry_date: OffsetDateTime::now_utc() + expires_in,
    }
}

#[tokio::test]
async fn expired_sessions_are_deleted_and_live_ones_kept() {
    for backend in service::testing::backends() {
        let (tdb, db) = TestDb::new(backend).await;
        let store = DbSessionStore::new(db.clone());
        let mut expired = record(Duration::seconds(-5));
        let mut live = record(Duration::hours(1));
        store.create(&mut expired).await.unwrap();
        store.create(&mut live).await.unwrap();
        let stored = || async {
            let mut ids: Vec<String> = session::Entity::find()
                .all(&db)
                .await
                .unwrap()
                .into_iter()
                .map(|row| row.id)
                .collect();
            ids.sort();
            ids
        };
        let mut both = vec![expired.id.to_string(), live.id.to_string()];
        both.sort();
        assert_eq!(stored().await, both, "{backend}");

        store.delete_expired().await.unwrap();
        assert_eq!(
            stored().await,
            [live.id.to_string()],
            "{backend}: only the live one stays"
        );
        assert_eq!(
            store.load(&live.id).await.unwrap().map(|r| r.data),
            Some(live.data.clone()),
            "{backend}: live session lost"
        );
        tdb.finish(db).await;
    }
}
