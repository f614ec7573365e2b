//! The black-box suite, one module per domain. A single test binary keeps link time down.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

mod auth;
mod platform;
mod schema;
