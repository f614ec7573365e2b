//! The command-line operations that work on the database outside `serve`, as functions of the
//! settings, so that the suite runs them as `main` does: `seed-demo` and the connection the
//! commands share.

use std::io::Write;

use entity::users::users;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ActiveEnum as _, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::config::{AppEnv, Settings};

/// A small pool on `DATABASE_URL`, for one command.
pub async fn connect(settings: &Settings) -> anyhow::Result<sea_orm::DatabaseConnection> {
    Ok(service::db::connect(&service::db::DbOptions {
        url: settings.database_url.clone(),
        max_connections: 2,
        acquire_timeout: settings.db_acquire_timeout,
    })
    .await?)
}

/// `seed-demo`: migrates, loads the demo data set ([`service::demo`]) with every demo account's
/// password set to `password`, and writes the accounts to `out`.
///
/// Refused with `APP_ENV=production`, before anything is opened or written: the demo accounts
/// (an administrator among them) share a password that is printed on the console and, by default,
/// written in the source, so they must never exist where real people's data lives.
pub async fn seed_demo(
    settings: &Settings,
    password: &str,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    if settings.app_env == AppEnv::Production {
        anyhow::bail!(
            "seed-demo refuses to run with APP_ENV=production: the demo accounts, an administrator \
             among them, share a known password; nothing was written"
        );
    }
    let db = connect(settings).await?;
    Migrator::up(&db, None).await?;
    let hash = service::auth::password::Passwords::new(1)?
        .hash(password)
        .await?;
    let summary = service::demo::seed(&db, &hash).await?;
    writeln!(
        out,
        "demo data: {} rows created, {} already present; every demo account's password is {password:?}",
        summary.created, summary.existing
    )?;
    let accounts = users::Entity::find()
        .filter(users::Column::Email.ends_with("@demo.rusingacademy.ca"))
        .order_by_asc(users::Column::Role)
        .order_by_asc(users::Column::Email)
        .all(&db)
        .await?;
    writeln!(out, "demo accounts:")?;
    for account in accounts {
        writeln!(out, "  {:<10} {}", account.role.to_value(), account.email)?;
    }
    Ok(())
}
