//! Column and index helpers shared by the migrations, so every table follows the same type rules
//! (see SCHEMA.md): BIGINT ids, integer cents, `CHAR(3)` currencies, short `VARCHAR` enums, and
//! microsecond `DATETIME` timestamps in UTC.
//!
//! Only portable DDL is used: no triggers, procedures, FULLTEXT or SPATIAL, so the same statements
//! run on SQLite, MySQL/MariaDB and TiDB.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

/// Whether an index is unique.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    Yes,
    No,
}

/// What happens to referencing rows when the referenced row is deleted.
#[derive(Clone, Copy)]
pub enum OnDelete {
    /// Composition: the child cannot exist without its parent.
    Cascade,
    /// A nullable reference that outlives its target (audit rows, "reviewed by", ...).
    SetNull,
    /// The referenced row may not be deleted while referenced (financial records, ...).
    Restrict,
}

/// `BIGINT AUTO_INCREMENT PRIMARY KEY` (`INTEGER PRIMARY KEY AUTOINCREMENT` on SQLite).
pub fn pk(name: &str) -> ColumnDef {
    ColumnDef::new(name.to_owned())
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

pub fn big(name: &str) -> ColumnDef {
    ColumnDef::new(name.to_owned()).big_integer().to_owned()
}

pub fn int(name: &str) -> ColumnDef {
    ColumnDef::new(name.to_owned()).integer().to_owned()
}

pub fn double(name: &str) -> ColumnDef {
    ColumnDef::new(name.to_owned()).double().to_owned()
}

pub fn boolean(name: &str) -> ColumnDef {
    ColumnDef::new(name.to_owned()).boolean().to_owned()
}

pub fn string(name: &str, len: u32) -> ColumnDef {
    ColumnDef::new(name.to_owned()).string_len(len).to_owned()
}

/// A string compared byte for byte on every backend (`utf8mb4_bin` on MySQL, whose default
/// collations would treat `marie@…` and `marié@…` as the same address). SQLite and TiDB compare
/// binary by default.
pub fn binary_string(backend: DatabaseBackend, name: &str, len: u32) -> ColumnDef {
    let mut column = string(name, len);
    if backend == DatabaseBackend::MySql {
        column.extra("COLLATE utf8mb4_bin");
    }
    column
}

pub fn text(name: &str) -> ColumnDef {
    ColumnDef::new(name.to_owned()).text().to_owned()
}

/// ISO 4217 currency code, `CAD` by default.
pub fn currency(name: &str) -> ColumnDef {
    ColumnDef::new(name.to_owned())
        .char_len(3)
        .default("CAD")
        .to_owned()
}

/// A string-backed enum value (never a native `ENUM`).
pub fn enumeration(name: &str) -> ColumnDef {
    string(name, 32)
}

pub fn json(name: &str) -> ColumnDef {
    ColumnDef::new(name.to_owned()).json().to_owned()
}

pub fn date(name: &str) -> ColumnDef {
    ColumnDef::new(name.to_owned()).date().to_owned()
}

/// A UTC instant. `DATETIME(6)` on MySQL/TiDB keeps microseconds, which chat and progress
/// ordering rely on, and avoids `TIMESTAMP`'s implicit `ON UPDATE` and 2038 limit.
pub fn timestamp(backend: DatabaseBackend, name: &str) -> ColumnDef {
    let mut column = ColumnDef::new(name.to_owned());
    match backend {
        DatabaseBackend::MySql => column.custom("DATETIME(6)").to_owned(),
        _ => column.date_time().to_owned(),
    }
}

/// An inline foreign key `fk_<table>_<column>` to `<target>.id`. Inline, because SQLite cannot add
/// foreign keys to an existing table.
pub fn foreign_key(
    table: &str,
    column: &str,
    target: &str,
    on_delete: OnDelete,
) -> ForeignKeyCreateStatement {
    let action = match on_delete {
        OnDelete::Cascade => ForeignKeyAction::Cascade,
        OnDelete::SetNull => ForeignKeyAction::SetNull,
        OnDelete::Restrict => ForeignKeyAction::Restrict,
    };
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table.to_owned(), column.to_owned())
        .to(target.to_owned(), "id")
        .on_delete(action)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}

/// Creates an index unless one of that name exists (MySQL has no `CREATE INDEX IF NOT EXISTS`),
/// so a migration interrupted half-way can simply be run again.
pub async fn create_index(
    manager: &SchemaManager<'_>,
    table: &str,
    name: &str,
    columns: &[&str],
    unique: Unique,
) -> Result<(), DbErr> {
    if manager.has_index(table, name).await? {
        return Ok(());
    }
    let mut index = Index::create();
    index.name(name).table(table.to_owned());
    for column in columns {
        index.col(String::from(*column));
    }
    if unique == Unique::Yes {
        index.unique();
    }
    manager.create_index(index.to_owned()).await
}

/// Drops tables (children first), tolerating ones that are already gone.
pub async fn drop_tables(manager: &SchemaManager<'_>, tables: &[&str]) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(
                Table::drop()
                    .table(String::from(*table))
                    .if_exists()
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}
