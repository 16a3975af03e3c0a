//! Connecting to the database and bringing its schema up to date.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

/// The embedded default: a SQLite file in the data dir.
pub fn default_sqlite_url(data_dir: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("nuri.db").display())
}

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opt = ConnectOptions::new(url.to_owned());
    opt.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        // WAL lets readers run beside the writer; the pragmas must hold on every pooled
        // connection, so they go into the connect options rather than a one-off statement.
        opt.max_connections(8).map_sqlx_sqlite_opts(|o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .create_if_missing(true)
        });
    } else {
        opt.max_connections(20);
    }
    Database::connect(opt).await
}

/// Starts a transaction that may write. On SQLite it is `BEGIN IMMEDIATE`: a deferred transaction
/// starts as a reader, and when it later tries to write while another connection holds (or has
/// just released) the write lock it fails at once with SQLITE_BUSY — the busy timeout cannot help,
/// because waiting would not make its read snapshot current again. An immediate transaction takes
/// the write lock at BEGIN, where SQLite does wait out the busy timeout. PostgreSQL and MariaDB
/// ignore the mode and start an ordinary transaction. Every transaction in nuri goes through here
/// (clippy's `disallowed-methods` refuses a plain `begin`).
pub async fn begin<C>(db: &C) -> Result<C::Transaction, DbErr>
where
    C: TransactionTrait,
{
    #[allow(clippy::disallowed_methods)]
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Connect and migrate: what `nuri serve` and the tests do first.
pub async fn open(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url).await?;
    migrate(&db).await?;
    Ok(db)
}

/// One page of `select` with the total count: what every list answers. Pages are 1-based.
pub async fn page<'db, C, S>(
    db: &'db C,
    select: S,
    req: entity::PageRequest,
) -> Result<entity::Page<<S::Selector as sea_orm::SelectorTrait>::Item>, DbErr>
where
    C: sea_orm::ConnectionTrait,
    S: sea_orm::PaginatorTrait<'db, C>,
{
    let paginator = select.paginate(db, req.per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(req.page - 1).await?;
    Ok(entity::Page {
        items,
        total,
        page: req.page,
        per_page: req.per_page,
    })
}
