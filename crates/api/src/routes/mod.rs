//! HTTP routes, one folder per domain, named like the domain in the service crate. Every route is
//! registered through `utoipa_actix_web`, whose `service` only accepts handlers annotated with
//! `#[utoipa::path]`: a route cannot exist without being in the OpenAPI document.
//!
//! A domain folder holds `mod.rs` (what the domain serves, and `configure`, which registers all
//! of its routes), `dto.rs` (its request and response types, converted with `From` to and from
//! the service's types) and one file per resource with its handlers; a domain with a single
//! resource keeps its handlers in `mod.rs`. Each operation is tagged with its domain's name.
//! Helpers several domains use live in `crate::dto` and `crate::extract`.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod admin;
pub mod auth;
pub mod calendly;
pub mod certificates;
pub mod chat;
pub mod coaching;
pub mod courses;
pub mod enrollments;
pub mod health;
pub mod jobs;
pub mod notifications;
pub mod payments;
pub mod progress;
pub mod realtime;
pub mod users;

/// Routes under `/api/v1`.
pub fn api_v1(cfg: &mut ServiceConfig) {
    auth::configure(cfg);
    users::configure(cfg);
    admin::configure(cfg);
    courses::configure(cfg);
    enrollments::configure(cfg);
    progress::configure(cfg);
    certificates::configure(cfg);
    // Before coaching: `/coaches/me/…` routes of its own.
    payments::configure(cfg);
    coaching::configure(cfg);
    chat::configure(cfg);
    notifications::configure(cfg);
    realtime::configure(cfg);
    jobs::configure(cfg);
    calendly::configure(cfg);
}

/// Routes outside `/api/v1` (probes and metrics).
pub fn root(cfg: &mut ServiceConfig) {
    health::configure(cfg);
}
