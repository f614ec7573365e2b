//! Cross-cutting request handling, in the order a request meets it:
//! tracing span and request id → [`metrics`] → [`problem`] rendering → [`security`] headers →
//! CORS → [`security::body_limit`] → routing.

pub mod idempotency;
pub mod metrics;
pub mod problem;
pub mod security;
