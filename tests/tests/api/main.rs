//! The black-box suite, one module per domain. A single test binary keeps link time down.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

mod admin;
mod auth;
mod certificates;
mod courses;
mod learning;
mod platform;
mod schema;
mod users;
