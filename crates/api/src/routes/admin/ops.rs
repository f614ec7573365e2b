//! The operator's views: sampled metrics (`GET /admin/metrics`) and recorded server errors
//! (`GET /admin/error-logs`), newest first, with filters (administrators; keys need `ops:read`).

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use entity::admin::{error_logs, system_metrics};
use serde::{Deserialize, Serialize};
use service::admin::{error_logs as errors, system_metrics as metrics};
use utoipa::{IntoParams, ToSchema};

use crate::bounded::{Id, Instant, Int, Text};
use crate::dto::{Page, PageQuery};
use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::state::AppState;

/// Filters of the samples.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MetricsQuery {
    /// One metric: `db_pool_open`, `db_pool_in_use`, `job_queue_due`, `job_queue_dead`.
    pub name: Option<Text<1, { metrics::MAX_METRIC }>>,
    /// From this instant (inclusive).
    pub from: Option<Instant>,
    /// Until this instant (exclusive).
    pub to: Option<Instant>,
}

/// One sample.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetricDto {
    pub id: i64,
    pub metric: String,
    pub value: f64,
    pub timestamp: DateTime<Utc>,
}

impl From<system_metrics::Model> for MetricDto {
    fn from(m: system_metrics::Model) -> Self {
        Self {
            id: m.id,
            metric: m.metric,
            value: m.value,
            timestamp: m.timestamp,
        }
    }
}

/// Filters of the error log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct ErrorLogsQuery {
    /// Requests whose path starts with this, e.g. `/api/v1/checkout`.
    pub path: Option<Text<1, { errors::MAX_PATH }>>,
    /// The answered status, e.g. 500.
    pub status: Option<Int<500, 599>>,
    /// The signed-in user of the request.
    pub user_id: Option<Id>,
    /// From this instant (inclusive).
    pub from: Option<Instant>,
    /// Until this instant (exclusive).
    pub to: Option<Instant>,
}

/// One recorded server error (the cause is kept here, never shown to clients).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorLogDto {
    pub id: i64,
    pub level: String,
    pub message: String,
    pub user_id: Option<i64>,
    pub request_id: Option<String>,
    pub path: Option<String>,
    pub method: Option<String>,
    pub status: Option<i32>,
    pub timestamp: DateTime<Utc>,
}

impl From<error_logs::Model> for ErrorLogDto {
    fn from(e: error_logs::Model) -> Self {
        Self {
            id: e.id,
            level: e.level,
            message: e.message,
            user_id: e.user_id,
            request_id: e.request_id,
            path: e.path,
            method: e.method,
            status: e.status,
            timestamp: e.timestamp,
        }
    }
}

/// Sampled operational metrics, newest first: every minute (once across replicas) the
/// connection pool of the sampling replica and the job queue (jobs due, dead jobs). Kept 30 days.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `ops:read`
/// - `forbidden`: administrators only
/// - `validation_failed`: invalid limit, cursor or filters
#[utoipa::path(
    operation_id = "admin_list_metrics",
    tag = "admin",
    security(("bearer" = []), ("apiKey" = ["ops:read"])),
    params(PageQuery, MetricsQuery),
    responses((status = 200, description = "A page of samples", body = Page<MetricDto>))
)]
#[get("/admin/metrics")]
pub async fn list_metrics(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
    filter: web::Query<MetricsQuery>,
) -> Result<web::Json<Page<MetricDto>>, ApiError> {
    let q = filter.into_inner();
    let filter = metrics::Filter {
        name: q.name.map(Into::into),
        from: q.from.map(Into::into),
        to: q.to.map(Into::into),
    };
    let page = metrics::list(&state.db, &user.0, filter, page.page()?).await?;
    Ok(web::Json(page.map(MetricDto::from).into()))
}

/// Recorded server errors (every 5xx answered, with its request id, path, method and user),
/// newest first. Kept 90 days.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `ops:read`
/// - `forbidden`: administrators only
/// - `validation_failed`: invalid limit, cursor or filters
#[utoipa::path(
    operation_id = "admin_list_error_logs",
    tag = "admin",
    security(("bearer" = []), ("apiKey" = ["ops:read"])),
    params(PageQuery, ErrorLogsQuery),
    responses((status = 200, description = "A page of errors", body = Page<ErrorLogDto>))
)]
#[get("/admin/error-logs")]
pub async fn list_error_logs(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
    filter: web::Query<ErrorLogsQuery>,
) -> Result<web::Json<Page<ErrorLogDto>>, ApiError> {
    let q = filter.into_inner();
    let filter = errors::Filter {
        path: q.path.map(Into::into),
        status: q.status.map(i32::from),
        user_id: q.user_id.map(Int::get),
        from: q.from.map(Into::into),
        to: q.to.map(Into::into),
    };
    let page = errors::list(&state.db, &user.0, filter, page.page()?).await?;
    Ok(web::Json(page.map(ErrorLogDto::from).into()))
}
