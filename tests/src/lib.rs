//! Test support for the black-box suite in `tests/tests`: fresh databases, schema introspection,
//! `db_*` arrangement helpers, `spawn_app`, and the API helpers several test domains share.

pub mod app;
pub mod calendly;
pub mod certificates;
pub mod chat;
pub mod coaching;
pub mod courses;
pub mod db;
pub mod enrollments;
pub mod events;
pub mod fixtures;
pub mod http;
pub mod payments;
pub mod progress;
pub mod proxy;
pub mod push;
pub mod push_crypto;
pub mod schema;
pub mod stripe;
pub mod users;
