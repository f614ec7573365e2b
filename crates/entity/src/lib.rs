//! The RusingAcademy data model: one [sea-orm](https://www.sea-ql.org/SeaORM/) entity per table,
//! grouped by domain. Table and column names are camelCase exactly as in the product schema
//! (`lessonProgress.userId`); Rust fields are snake_case and mapped with `rename_all`.
//!
//! Entities are persistence types only. They are never serialised into API responses: the API
//! crate has its own DTOs, so a secret column (see [`Secret`]) has no path to a client.
//!
//! Every foreign key has a `Relation` variant; the first foreign key between two tables also has a
//! `Related` implementation (both directions), so `find_related` walks the whole graph:
//! users → enrollments → courses → modules → lessons → lessonProgress, coachProfiles → sessions →
//! sessionRecordings/sessionFeedback, chatRooms → chatRoomMembers/chatMessages, payments → refunds.

// `users::users`, `courses::courses`, ...: a domain folder may hold the table it is named after.
#![allow(clippy::module_inception)]

pub mod admin;
pub mod auth;
pub mod calendly;
pub mod certificates;
pub mod chat;
pub mod coaching;
pub mod courses;
pub mod enrollments;
pub mod enums;
pub mod hr;
pub mod jobs;
pub mod notifications;
pub mod payments;
pub mod progress;
pub mod realtime;
mod registry;
pub mod reports;
mod secret;
pub mod users;

pub use registry::TABLE_COUNT;
pub use secret::Secret;
