//! Connecting to the database and bringing its schema up to date.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QuerySelect,
    QueryTrait, Select, SqliteTransactionMode, TransactionOptions, TransactionTrait,
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

/// Totals from this many rows on are kept for [`TOTALS_TTL`]: counting 20,000 rows costs a
/// millisecond or more on every backend (an index-only scan still visits every entry) while the
/// page itself is read in a tenth of that. Smaller totals are always counted afresh.
pub const TOTALS_FROM: u64 = 1_000;
/// How long a large total may lag the table.
pub const TOTALS_TTL: Duration = Duration::from_secs(1);

/// One page of `select` with the total count: what every list answers. Pages are 1-based.
///
/// The total costs no query when the page is not full (it is then the offset plus the rows
/// read); a large total is shared for [`TOTALS_TTL`] by every request listing the same thing, so
/// it may lag a write by that long, while the rows themselves are always current.
pub async fn page<E>(
    ctx: &crate::Ctx,
    select: Select<E>,
    req: entity::PageRequest,
) -> Result<entity::Page<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let offset = (req.page - 1) * req.per_page;
    let items = select
        .clone()
        .limit(req.per_page)
        .offset(offset)
        .all(&ctx.db)
        .await?;
    let read = items.len() as u64;
    let total = if read < req.per_page && (read > 0 || offset == 0) {
        offset + read
    } else {
        total(ctx, select, req.per_page).await?
    };
    Ok(entity::Page {
        items,
        total,
        page: req.page,
        per_page: req.per_page,
        can_create: false,
    })
}

async fn total<E>(ctx: &crate::Ctx, select: Select<E>, per_page: u64) -> Result<u64, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let statement = select.build(ctx.db.get_database_backend());
    let key = format!("{}\u{0}{:?}", statement.sql, statement.values);
    if let Some(total) = ctx.totals.get(&key) {
        return Ok(total);
    }
    let stamp = ctx.totals.stamp();
    let total = select.paginate(&ctx.db, per_page).num_items().await?;
    if total >= TOTALS_FROM {
        ctx.totals.insert(key, total, stamp);
    }
    Ok(total)
}

/// Whether an insert or update broke a unique key (a name taken, a port claimed by a racer).
pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
