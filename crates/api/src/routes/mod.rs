//! HTTP routes, one module per domain. Every route is registered through
//! `utoipa_actix_web`, whose `service` only accepts handlers annotated with `#[utoipa::path]`:
//! a route cannot exist without being in the OpenAPI document.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod health;

/// Routes under `/api/v1`.
pub fn api_v1(_cfg: &mut ServiceConfig) {}

/// Routes outside `/api/v1` (probes and metrics).
pub fn root(cfg: &mut ServiceConfig) {
    cfg.service(health::live)
        .service(health::ready)
        .service(health::metrics);
}
