//! Database connection: pool settings and the embedded SQLite default.

use std::path::Path;
use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr, TransactionTrait,
};

/// What service functions run on: the pool, or a caller's transaction. Both can run statements
/// and open a transaction, which inside a caller's transaction is a savepoint, so that callers can
/// compose several service functions into one atomic change (`let tx = db.begin().await?;
/// enrollments::grant(&tx, ..).await?; jobs::enqueue(&tx, ..).await?; tx.commit().await?`).
pub trait Db: ConnectionTrait + TransactionTrait {}

impl<T: ConnectionTrait + TransactionTrait> Db for T {}

/// How to open the pool.
#[derive(Debug, Clone)]
pub struct DbOptions {
    pub url: String,
    pub max_connections: u32,
    /// How long a request waits for a connection before the database counts as unavailable.
    pub acquire_timeout: Duration,
}

/// Opens the pool. For a SQLite file URL the parent directory is created first, and the file
/// itself is created if missing.
pub async fn connect(options: &DbOptions) -> Result<DatabaseConnection, DbErr> {
    let mut url = options.url.clone();
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or_default();
        if !file.is_empty() && file != ":memory:" {
            if let Some(parent) = Path::new(file)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent).map_err(|e| {
                    DbErr::Custom(format!("cannot create {}: {e}", parent.display()))
                })?;
            }
            if !url.contains("mode=") {
                url.push_str(if url.contains('?') {
                    "&mode=rwc"
                } else {
                    "?mode=rwc"
                });
            }
        }
    }
    let mut connect = ConnectOptions::new(url);
    connect
        .max_connections(options.max_connections)
        .min_connections(0)
        .connect_timeout(options.acquire_timeout)
        .acquire_timeout(options.acquire_timeout)
        .idle_timeout(Duration::from_secs(300))
        .sqlx_logging(false)
        // WAL lets readers run beside the single writer; the busy timeout makes concurrent
        // writers queue instead of failing with "database is locked".
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    Database::connect(connect).await
}

/// Whether the database answers within `timeout`.
pub async fn ping(db: &DatabaseConnection, timeout: Duration) -> bool {
    matches!(tokio::time::timeout(timeout, db.ping()).await, Ok(Ok(())))
}

/// Connections open in the pool, and how many of them are idle.
pub fn pool_usage(db: &DatabaseConnection) -> (i64, i64) {
    let (size, idle) = match db.get_database_backend() {
        sea_orm::DbBackend::MySql => {
            let pool = db.get_mysql_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
    };
    (i64::from(size), i64::try_from(idle).unwrap_or(0))
}
