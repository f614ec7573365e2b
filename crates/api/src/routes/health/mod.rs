//! Probes for orchestrators and the Prometheus endpoint.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;
use crate::state::AppState;

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(live).service(ready).service(metrics);
}

/// Probe answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when healthy.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness: the process is up and serving requests.
///
/// For orchestrators' liveness probes; it never touches the database, so a database outage
/// does not get healthy instances restarted. Anyone may call it.
#[utoipa::path(
    operation_id = "health_live",
    tag = "health",
    responses((status = 200, description = "The process is alive", body = Health))
)]
#[get("/health/live")]
pub async fn live() -> web::Json<Health> {
    web::Json(Health { status: "ok" })
}

/// Readiness: the database answers.
///
/// Turns 503 within seconds when the database becomes unreachable and back to 200 when it
/// returns, without a restart: load balancers stop routing to an instance that cannot serve.
/// Anyone may call it.
#[utoipa::path(
    operation_id = "health_ready",
    tag = "health",
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "The database is unreachable", body = crate::error::ProblemDetails, content_type = "application/problem+json")
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    let timeout = state
        .settings
        .db_acquire_timeout
        .min(Duration::from_secs(2));
    if service::db::ping(&state.db, timeout).await {
        Ok(web::Json(Health { status: "ok" }))
    } else {
        Err(service::Error::Unavailable("readiness ping failed".to_owned()).into())
    }
}

/// Prometheus metrics in the text exposition format.
///
/// `rusing_academy_http_requests_total` (by method, route template and status),
/// `rusing_academy_http_request_duration_seconds`, and `rusing_academy_db_pool_connections`.
/// For the operator's scraper; it holds no personal data.
#[utoipa::path(
    operation_id = "metrics",
    tag = "health",
    responses((status = 200, description = "Metrics", content_type = "text/plain", body = String))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&state.db))
}
