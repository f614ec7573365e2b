//! Test support for the black-box suite in `tests/tests`: fresh databases, schema introspection,
//! `db_*` arrangement helpers and (with the application) `spawn_app`.

pub mod app;
pub mod db;
pub mod fixtures;
pub mod proxy;
pub mod schema;
