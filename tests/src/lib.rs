//! Test support for the black-box suite in `tests/tests`: fresh databases, schema introspection,
//! `db_*` arrangement helpers, `spawn_app`, and the API helpers several test domains share.

pub mod app;
pub mod certificates;
pub mod courses;
pub mod db;
pub mod enrollments;
pub mod fixtures;
pub mod progress;
pub mod proxy;
pub mod schema;
pub mod users;
