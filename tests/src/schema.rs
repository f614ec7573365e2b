//! Reads the live schema back from SQLite (`PRAGMA`s) or MySQL (`information_schema`), and the
//! expected one from the entities, so tests can compare the two.

use std::collections::BTreeMap;

use sea_orm::sea_query::StringLen;

use sea_orm::sea_query::{TableName, TableRef};
use sea_orm::{
    ColumnTrait, ColumnType, ConnectionTrait, DbBackend, EntityTrait, IdenStatic, Iterable,
    RelationTrait, Statement,
};

/// Broad storage family of a column, comparable across backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Integer,
    Text,
    Boolean,
    DateTime,
    Date,
    Json,
    Float,
    Other,
}

/// A column as the database reports it.
#[derive(Clone, Debug)]
pub struct DbColumn {
    pub name: String,
    pub declared: String,
    pub family: Family,
    pub nullable: bool,
    pub max_len: Option<u32>,
}

/// An index as the database reports it.
#[derive(Clone, Debug)]
pub struct DbIndex {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
}

/// A column as the entity declares it.
#[derive(Clone, Debug)]
pub struct EntityColumn {
    pub name: String,
    pub family: Family,
    pub nullable: bool,
    pub max_len: Option<u32>,
}

/// A table as the entity declares it.
#[derive(Clone, Debug)]
pub struct EntityTable {
    pub name: String,
    pub columns: Vec<EntityColumn>,
    /// `(column, referenced table)` for every `belongs_to` relation.
    pub foreign_keys: Vec<(String, String)>,
}

fn entity_family(ty: &ColumnType) -> (Family, Option<u32>) {
    match ty {
        ColumnType::Integer | ColumnType::BigInteger | ColumnType::SmallInteger => {
            (Family::Integer, None)
        }
        ColumnType::String(StringLen::N(n)) => (Family::Text, Some(*n)),
        ColumnType::Char(n) => (Family::Text, *n),
        ColumnType::String(_) | ColumnType::Text => (Family::Text, None),
        ColumnType::Boolean => (Family::Boolean, None),
        ColumnType::DateTime | ColumnType::Timestamp | ColumnType::TimestampWithTimeZone => {
            (Family::DateTime, None)
        }
        ColumnType::Date => (Family::Date, None),
        ColumnType::Json | ColumnType::JsonBinary => (Family::Json, None),
        ColumnType::Double | ColumnType::Float => (Family::Float, None),
        _ => (Family::Other, None),
    }
}

fn table_name(table: &TableRef) -> String {
    match table {
        TableRef::Table(TableName(_, iden), _) => iden.to_string(),
        _ => String::new(),
    }
}

/// The expected shape of one entity's table.
pub fn entity_table<E: EntityTrait>() -> EntityTable {
    let columns = E::Column::iter()
        .map(|column| {
            let def = column.def();
            let (family, max_len) = entity_family(def.get_column_type());
            EntityColumn {
                name: column.as_str().to_owned(),
                family,
                nullable: def.is_null(),
                max_len,
            }
        })
        .collect();
    let foreign_keys = E::Relation::iter()
        .map(|relation| relation.def())
        .filter_map(|def| match def.from_col {
            sea_orm::Identity::Unary(col) if col.to_string() != "id" => {
                Some((col.to_string(), table_name(&def.to_tbl)))
            }
            _ => None,
        })
        .collect();
    EntityTable {
        name: E::default().table_name().to_owned(),
        columns,
        foreign_keys,
    }
}

macro_rules! entity_tables {
    ($($entity:path),* $(,)?) => {
        vec![$($crate::schema::entity_table::<$entity>()),*]
    };
}

/// The expected shape of every table, from the entities.
pub fn all_entity_tables() -> Vec<EntityTable> {
    entity::for_each_entity!(entity_tables)
}

async fn rows(db: &impl ConnectionTrait, sql: String) -> Vec<sea_orm::QueryResult> {
    let backend = db.get_database_backend();
    match db.query_all_raw(Statement::from_string(backend, sql)).await {
        Ok(rows) => rows,
        Err(err) => panic!("introspection query failed: {err}"),
    }
}

fn get<T: sea_orm::TryGetable>(row: &sea_orm::QueryResult, column: &str) -> T {
    match row.try_get::<T>("", column) {
        Ok(value) => value,
        Err(err) => panic!("introspection column {column}: {err:?}"),
    }
}

fn family_of(declared: &str) -> Family {
    let d = declared.to_ascii_lowercase();
    if d.starts_with("tinyint(1)") || d.starts_with("bool") {
        Family::Boolean
    } else if d.starts_with("datetime") || d.starts_with("timestamp") {
        Family::DateTime
    } else if d.starts_with("date") {
        Family::Date
    } else if d.starts_with("json") || d == "longtext" {
        Family::Json
    } else if d.contains("int") {
        Family::Integer
    } else if d.starts_with("varchar") || d.starts_with("char") || d.contains("text") {
        Family::Text
    } else if d.starts_with("double") || d.starts_with("real") || d.starts_with("float") {
        Family::Float
    } else {
        Family::Other
    }
}

fn declared_len(declared: &str) -> Option<u32> {
    let open = declared.find('(')?;
    let close = declared.find(')')?;
    declared.get(open + 1..close)?.parse().ok()
}

/// Names of all tables, excluding SQLite internals.
pub async fn tables(db: &impl ConnectionTrait) -> Vec<String> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => "SELECT name AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name".to_owned(),
        _ => "SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME".to_owned(),
    };
    rows(db, sql)
        .await
        .iter()
        .map(|r| get::<String>(r, "n"))
        .collect()
}

/// Columns of a table as the database reports them.
pub async fn columns(db: &impl ConnectionTrait, table: &str) -> Vec<DbColumn> {
    match db.get_database_backend() {
        DbBackend::Sqlite => rows(db, format!("PRAGMA table_info(\"{table}\")"))
            .await
            .iter()
            .map(|r| {
                let declared: String = get(r, "type");
                let pk: i32 = get(r, "pk");
                let notnull: i32 = get(r, "notnull");
                DbColumn {
                    name: get(r, "name"),
                    family: family_of(&declared),
                    max_len: declared_len(&declared),
                    declared,
                    nullable: notnull == 0 && pk == 0,
                }
            })
            .collect(),
        _ => rows(
            db,
            format!(
                "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS declared, IS_NULLABLE AS nullable \
                 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}' \
                 ORDER BY ORDINAL_POSITION"
            ),
        )
        .await
        .iter()
        .map(|r| {
            let declared: String = get(r, "declared");
            let nullable: String = get(r, "nullable");
            DbColumn {
                name: get(r, "name"),
                family: family_of(&declared),
                max_len: declared_len(&declared),
                declared,
                nullable: nullable == "YES",
            }
        })
        .collect(),
    }
}

/// Indexes of a table (the primary key excluded), with their columns in order.
pub async fn indexes(db: &impl ConnectionTrait, table: &str) -> Vec<DbIndex> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let mut out = Vec::new();
            for r in rows(db, format!("PRAGMA index_list(\"{table}\")")).await {
                let name: String = get(&r, "name");
                let origin: String = get(&r, "origin");
                if origin == "pk" {
                    continue;
                }
                let unique: i32 = get(&r, "unique");
                let columns = rows(db, format!("PRAGMA index_info(\"{name}\")"))
                    .await
                    .iter()
                    .map(|c| get::<String>(c, "name"))
                    .collect();
                out.push(DbIndex {
                    name,
                    columns,
                    unique: unique == 1,
                });
            }
            out
        }
        _ => {
            let mut by_name: BTreeMap<String, DbIndex> = BTreeMap::new();
            for r in rows(
                db,
                format!(
                    "SELECT INDEX_NAME AS name, COLUMN_NAME AS col, NON_UNIQUE AS non_unique \
                     FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}' \
                     AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX"
                ),
            )
            .await
            {
                let name: String = get(&r, "name");
                let non_unique: i64 = get(&r, "non_unique");
                by_name
                    .entry(name.clone())
                    .or_insert_with(|| DbIndex {
                        name,
                        columns: Vec::new(),
                        unique: non_unique == 0,
                    })
                    .columns
                    .push(get(&r, "col"));
            }
            by_name.into_values().collect()
        }
    }
}

/// `(column, referenced table, referenced column)` for every foreign key of a table.
pub async fn foreign_keys(db: &impl ConnectionTrait, table: &str) -> Vec<(String, String, String)> {
    match db.get_database_backend() {
        DbBackend::Sqlite => rows(db, format!("PRAGMA foreign_key_list(\"{table}\")"))
            .await
            .iter()
            .map(|r| (get(r, "from"), get(r, "table"), get(r, "to")))
            .collect(),
        _ => rows(
            db,
            format!(
                "SELECT COLUMN_NAME AS c, REFERENCED_TABLE_NAME AS t, REFERENCED_COLUMN_NAME AS r \
                 FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() \
                 AND TABLE_NAME = '{table}' AND REFERENCED_TABLE_NAME IS NOT NULL"
            ),
        )
        .await
        .iter()
        .map(|r| (get(r, "c"), get(r, "t"), get(r, "r")))
        .collect(),
    }
}
