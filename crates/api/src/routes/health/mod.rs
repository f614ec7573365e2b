//! Probes for orchestrators and the Prometheus endpoint (behind `METRICS_TOKEN` when set, not
//! exposed in production without it).

use std::time::Duration;

use actix_web::http::header::AUTHORIZATION;
use actix_web::{HttpRequest, HttpResponse, get, web};
use secrecy::{ExposeSecret as _, SecretString};
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::config::AppEnv;
use crate::error::{ApiError, INVALID_METRICS_TOKEN, ROUTE_NOT_FOUND};
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
/// For the operator's scraper; it holds no personal data. When `METRICS_TOKEN` is configured,
/// the scraper sends it as `Authorization: Bearer <METRICS_TOKEN>`. Without `METRICS_TOKEN`, the
/// endpoint is not exposed in production (`APP_ENV=production`: 404, as for an unknown path) and
/// open to anyone in development.
///
/// Problems:
/// - `invalid_metrics_token`: `METRICS_TOKEN` is configured and the request does not carry it
/// - `route_not_found`: production without `METRICS_TOKEN`
#[utoipa::path(
    operation_id = "metrics",
    tag = "health",
    responses((status = 200, description = "Metrics", content_type = "text/plain", body = String))
)]
#[get("/metrics")]
pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    match &state.settings.metrics_token {
        Some(token) if !bearer_is(&req, token) => return Err(ApiError::new(INVALID_METRICS_TOKEN)),
        None if state.settings.app_env == AppEnv::Production => {
            return Err(ApiError::new(ROUTE_NOT_FOUND));
        }
        _ => {}
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&state.db)))
}

/// Whether the request carries `Authorization: Bearer <expected>`. Both sides are hashed first
/// and the digests compared in constant time, so neither the token's content nor its length
/// shows in the answer's timing.
fn bearer_is(req: &HttpRequest, expected: &SecretString) -> bool {
    let Some(header) = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let (scheme, credentials) = header.split_once(' ').unwrap_or((header, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return false;
    }
    let sent = Sha256::digest(credentials.trim().as_bytes());
    let expected = Sha256::digest(expected.expose_secret().as_bytes());
    sent.ct_eq(&expected).into()
}
