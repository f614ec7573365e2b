//! The schema, on SQLite and on MySQL/MariaDB: migrations against what the entities describe, and
//! round trips through the entities' relations.

mod migrations;
mod relations;
