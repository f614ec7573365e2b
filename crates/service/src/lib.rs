//! Business rules of RusingAcademy.
//!
//! Every public function takes a database handle (`&impl ConnectionTrait` or a connection it can
//! open a transaction on), decides authorisation itself, and returns domain values or an
//! [`Error`]. Nothing here knows about HTTP: the API crate maps [`Error`] to problem+json once.

pub mod admin;
pub mod auth;
pub mod calendly;
pub mod certificates;
pub mod chat;
pub mod coaching;
pub mod courses;
pub mod crypto;
pub mod db;
pub mod demo;
mod deps;
pub mod enrollments;
mod error;
pub mod files;
pub mod idempotency;
pub mod jobs;
pub mod mail;
pub mod notifications;
pub mod pagination;
pub mod payments;
pub mod problem;
pub mod progress;
pub mod realtime;
pub mod users;
pub mod webhooks;

pub use deps::Deps;
pub use error::{Error, FieldError, Result};
pub use problem::{Kind, Problem};

/// The current time at the database's precision (microseconds, as `DATETIME(6)` stores it), so a
/// value echoed from memory equals what a later read returns.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound as _;
    chrono::Utc::now().trunc_subsecs(6)
}
