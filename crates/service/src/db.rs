//! Database connection: pool settings and the embedded SQLite default.

use std::path::Path;
use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

/// What service functions run on: the pool, or a caller's transaction. Both can run statements
/// and open a transaction, which inside a caller's transaction is a savepoint, so that callers can
/// compose several service functions into one atomic change (`let tx = db.begin().await?;
/// enrollments::grant(&tx, ..).await?; jobs::enqueue(&tx, ..).await?; tx.commit().await?`).
pub trait Db: ConnectionTrait + TransactionTrait {}

impl<T: ConnectionTrait + TransactionTrait> Db for T {}

/// Opens a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`: the write lock is
/// taken at once (waiting up to the busy timeout), so two transactions that both read then write
/// cannot deadlock into `SQLITE_BUSY_SNAPSHOT`. Inside a caller's transaction it is a savepoint.
pub async fn begin<D: Db>(db: &D) -> Result<D::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Locks the row of `entity` with primary key `id` for the rest of the transaction (a no-op
/// `UPDATE`: a row lock on MySQL/TiDB, the write lock on SQLite). Writers that lock the same
/// parent row first are serialised: they cannot deadlock on the children's index gaps, and each
/// reads what the previous one committed (take the lock before the transaction's first read).
pub async fn lock<E>(db: &impl ConnectionTrait, id_column: E::Column, id: i64) -> crate::Result<()>
where
    E: sea_orm::EntityTrait,
{
    use sea_orm::{ColumnTrait as _, QueryFilter as _, sea_query::Expr};
    E::update_many()
        .col_expr(id_column, Expr::col(id_column))
        .filter(id_column.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Attempts of an operation that meets serialization failures.
const ATTEMPTS: u32 = 5;

/// Runs `op`, and runs it again (up to 5 attempts, a few random milliseconds apart) when the
/// database reports a serialization failure ([`crate::Error::Busy`]: a deadlock, a lock wait
/// timeout, a TiDB write conflict, SQLite busy). `op` must be a whole transaction: it is replayed
/// from the start, after the failed attempt was rolled back.
pub async fn retrying<T, F, Fut>(mut op: F) -> crate::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = crate::Result<T>>,
{
    let mut attempt = 1;
    loop {
        match op().await {
            Err(crate::Error::Busy(cause)) if attempt < ATTEMPTS => {
                tracing::debug!(attempt, %cause, "serialization failure, retrying");
                let pause = {
                    use rand::Rng as _;
                    rand::rng().random_range(2..=10 * u64::from(attempt))
                };
                tokio::time::sleep(Duration::from_millis(pause)).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// How to open the pool.
#[derive(Debug, Clone)]
pub struct DbOptions {
    pub url: String,
    pub max_connections: u32,
    /// How long a request waits for a connection before the database counts as unavailable.
    pub acquire_timeout: Duration,
}

/// Opens the pool. For a SQLite file URL the parent directory is created first (0700), and the
/// file itself is created if missing: empty and 0600 before SQLite opens it, so that neither the
/// database nor its `-wal` and `-shm` files (which SQLite creates with the database's mode) are
/// readable by other users (see [`crate::files`]).
pub async fn connect(options: &DbOptions) -> Result<DatabaseConnection, DbErr> {
    let mut url = options.url.clone();
    if let Some(path) = url.strip_prefix("sqlite://") {
        // Decoded as sqlx decodes it (`%3F` for a `?` in a file name).
        let file = percent_decoded(path.split('?').next().unwrap_or_default());
        if !file.is_empty() && file != ":memory:" {
            if let Some(parent) = Path::new(&file)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                crate::files::create_private_dir(parent).map_err(|e| {
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
            if url.contains("mode=rwc") {
                crate::files::create_private_file(Path::new(&file))
                    .map_err(|e| DbErr::Custom(format!("cannot create {file}: {e}")))?;
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

/// `text` with its `%XX` escapes decoded (lossy outside UTF-8).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_paths_are_percent_decoded_like_sqlx_does() {
        assert_eq!(
            super::percent_decoded("./data/a%20b%3F.db"),
            "./data/a b?.db"
        );
        assert_eq!(super::percent_decoded("100%.db"), "100%.db");
        assert_eq!(super::percent_decoded("%zz%4"), "%zz%4");
    }
}
