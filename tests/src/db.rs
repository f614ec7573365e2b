//! Test databases: every test owns a fresh one.
//!
//! Without `TEST_DATABASE_URL` a test gets a SQLite file in a temporary directory. With
//! `TEST_DATABASE_URL=mysql://root@127.0.0.1:3306` it gets a new MySQL/MariaDB database named
//! `ra_test_<unix time>_<random>`, dropped when the [`TestDb`] is dropped; databases left behind by
//! crashed runs are swept once they are an hour old.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use migration::{Migrator, MigratorTrait};
use rand::Rng;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use tempfile::TempDir;
use tokio::sync::OnceCell;

/// A fresh, empty database owned by one test.
pub struct TestDb {
    /// Connection URL of the database (what `DATABASE_URL` would be).
    pub url: String,
    /// An open connection to it.
    pub conn: DatabaseConnection,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] TempDir),
    MySql { server: String, name: String },
}

/// The MySQL server URL from `TEST_DATABASE_URL`, if the suite runs against MySQL/MariaDB.
pub fn mysql_server() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
        .map(|url| url.trim_end_matches('/').to_owned())
}

static SWEPT: OnceCell<()> = OnceCell::const_new();

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

async fn connect(url: &str) -> DatabaseConnection {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(5)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    match Database::connect(options).await {
        Ok(conn) => conn,
        Err(err) => panic!("cannot connect to test database {url}: {err}"),
    }
}

async fn sweep_stale_databases(server: &str) {
    let admin = connect(server).await;
    let rows = admin
        .query_all_raw(sea_orm::Statement::from_string(
            DbBackend::MySql,
            "SHOW DATABASES LIKE 'ra\\_test\\_%'",
        ))
        .await
        .unwrap_or_default();
    let cutoff = unix_now().saturating_sub(3600);
    for row in rows {
        let Ok(name) = row.try_get_by_index::<String>(0) else {
            continue;
        };
        let created = name
            .split('_')
            .nth(2)
            .and_then(|t| t.parse::<u64>().ok())
            .unwrap_or(u64::MAX);
        if created < cutoff {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS `{name}`"))
                .await;
        }
    }
    let _ = admin.close().await;
}

impl TestDb {
    /// A new empty database (no tables).
    pub async fn empty() -> Self {
        match mysql_server() {
            Some(server) => {
                SWEPT.get_or_init(|| sweep_stale_databases(&server)).await;
                let name = format!("ra_test_{}_{:08x}", unix_now(), rand::rng().random::<u32>());
                let admin = connect(&server).await;
                if let Err(err) = admin
                    .execute_unprepared(&format!(
                        "CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
                    ))
                    .await
                {
                    panic!("cannot create test database {name}: {err}");
                }
                let _ = admin.close().await;
                let url = format!("{server}/{name}");
                let conn = connect(&url).await;
                Self {
                    url,
                    conn,
                    cleanup: Cleanup::MySql { server, name },
                }
            }
            None => {
                let dir = match tempfile::tempdir() {
                    Ok(dir) => dir,
                    Err(err) => panic!("cannot create a temporary directory: {err}"),
                };
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                let conn = connect(&url).await;
                Self {
                    url,
                    conn,
                    cleanup: Cleanup::Sqlite(dir),
                }
            }
        }
    }

    /// A new database with every migration applied.
    pub async fn migrated() -> Self {
        let db = Self::empty().await;
        if let Err(err) = Migrator::up(&db.conn, None).await {
            panic!("migrations failed: {err}");
        }
        db
    }

    /// The backend the suite runs against.
    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::MySql { server, name } = &self.cleanup {
            let (server, name) = (server.clone(), name.clone());
            // Drop runs inside the test's runtime, which cannot be blocked on: use a thread with
            // its own small runtime.
            let _ = std::thread::spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                runtime.block_on(async {
                    let admin = connect(&server).await;
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS `{name}`"))
                        .await;
                    let _ = admin.close().await;
                });
            })
            .join();
        }
    }
}
