//! `/admin/jobs`: the durable job queue as administrators see it (see `service::jobs`): list
//! jobs by status and kind, and run a failed or dead job again.

mod dto;

use actix_web::{get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use self::dto::{JobDto, JobQuery};
use crate::dto::{Page, PageQuery};
use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::state::AppState;
use service::jobs::admin;

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_jobs).service(retry_job);
}

/// Background jobs, newest first: mails, domain events, recurring work. Administrators, signed
/// in (API keys are refused).
///
/// Problems:
/// - `forbidden`: not an administrator
/// - `insufficient_scope`: API keys cannot manage jobs
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "admin_list_jobs",
    tag = "jobs",
    security(("bearer" = [])),
    params(PageQuery, JobQuery),
    responses(
        (status = 200, description = "A page of jobs", body = Page<JobDto>),
    )
)]
#[get("/admin/jobs")]
pub async fn list_jobs(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
    filter: web::Query<JobQuery>,
) -> Result<web::Json<Page<JobDto>>, ApiError> {
    let page = admin::list(&state.db, &user.0, filter.into_inner().into(), page.page()?).await?;
    Ok(web::Json(page.into()))
}

/// Makes a failed, dead or waiting job due now, with a fresh budget of attempts. Administrators,
/// signed in (API keys are refused).
///
/// Problems:
/// - `forbidden`: not an administrator
/// - `insufficient_scope`: API keys cannot manage jobs
/// - `not_found`: no such job
/// - `job_not_retryable`: the job is running or succeeded
#[utoipa::path(
    operation_id = "admin_retry_job",
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job, queued to run now", body = JobDto),
    )
)]
#[post("/admin/jobs/{id}/retry")]
pub async fn retry_job(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<JobDto>, ApiError> {
    Ok(web::Json(
        admin::retry(&state.db, &user.0, id.into_inner())
            .await?
            .into(),
    ))
}
