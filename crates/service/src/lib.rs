//! Business rules of RusingAcademy.
//!
//! Every public function takes a database handle (`&impl ConnectionTrait` or a connection it can
//! open a transaction on), decides authorisation itself, and returns domain values or an
//! [`Error`]. Nothing here knows about HTTP: the API crate maps [`Error`] to problem+json once.

pub mod admin;
pub mod auth;
pub mod certificates;
pub mod courses;
pub mod db;
pub mod demo;
pub mod enrollments;
mod error;
pub mod mail;
pub mod pagination;
pub mod progress;
pub mod users;

pub use error::{Error, FieldError, Result};
