//! The black-box suite, one folder per domain (the domain names of `service` and `entity`) plus
//! `walks`, the end-to-end walks that cross domains. A single test binary keeps link time down.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

mod admin;
mod auth;
mod calendly;
mod certificates;
mod chat;
mod coaching;
mod courses;
mod enrollments;
mod jobs;
mod notifications;
mod payments;
mod platform;
mod progress;
mod realtime;
mod schema;
mod users;
mod walks;
