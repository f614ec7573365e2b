//! Become-a-coach applications.

use actix_web::{HttpResponse, get, post, web};
use service::coaching::applications;

use super::dto::{ApplicationDto, ApplicationRequest, ApplicationsQuery, ReviewRequest};
use crate::dto::{Page, PageQuery};
use crate::error::ApiError;
use crate::extract::{AuthUser, ClientInfo, ValidatedJson};
use crate::state::AppState;

/// Applies to become a coach. An administrator reviews the application; when approved, the
/// applicant's sessions end (their role changes) and they sign in again as a coach.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot apply
/// - `already_coach`: the caller already has a coach profile
/// - `application_pending`: an application of the caller's is under review
/// - `validation_failed`: invalid fields, or a trial rate above the hourly rate
#[utoipa::path(
    operation_id = "create_coach_application",
    tag = "coaching",
    security(("bearer" = [])),
    request_body = ApplicationRequest,
    responses(
        (status = 201, description = "The application, under review", body = ApplicationDto),
    )
)]
#[post("/coach-applications")]
pub async fn apply(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<ApplicationRequest>,
) -> Result<HttpResponse, ApiError> {
    let application = applications::apply(&state.db, &user.0, body.0.into()).await?;
    Ok(HttpResponse::Created().json(ApplicationDto::from(application)))
}

/// Applications, newest first: all of them for administrators, one's own for anyone else.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot read applications
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "list_coach_applications",
    tag = "coaching",
    security(("bearer" = [])),
    params(PageQuery, ApplicationsQuery),
    responses(
        (status = 200, description = "A page of applications", body = Page<ApplicationDto>),
    )
)]
#[get("/coach-applications")]
pub async fn list_applications(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
    filter: web::Query<ApplicationsQuery>,
) -> Result<web::Json<Page<ApplicationDto>>, ApiError> {
    let filter = applications::Filter {
        status: filter.into_inner().status,
    };
    let page = applications::list(&state.db, &user.0, filter, page.page()?).await?;
    Ok(web::Json(page.into()))
}

/// One application: the applicant's own, or any for administrators.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot read applications
/// - `not_found`: no such application, or not the caller's
#[utoipa::path(
    operation_id = "get_coach_application",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")),
    responses(
        (status = 200, description = "The application", body = ApplicationDto),
    )
)]
#[get("/coach-applications/{id}")]
pub async fn get_application(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<ApplicationDto>, ApiError> {
    let application = applications::get(&state.db, &user.0, id.into_inner()).await?;
    Ok(web::Json(application.into()))
}

/// Approves an application (administrators): the applicant becomes a coach with a profile built
/// from it, and is told. Audited.
///
/// Problems:
/// - `forbidden`: not an administrator
/// - `insufficient_scope`: the API key lacks `coaching:admin`
/// - `not_found`: no such application
/// - `application_reviewed`: it was already approved or rejected
/// - `validation_failed`: invalid fields, or the applicant's account is not active
#[utoipa::path(
    operation_id = "approve_coach_application",
    tag = "coaching",
    security(("bearer" = []), ("apiKey" = ["coaching:admin"])),
    params(("id" = i64, Path, description = "Application id")),
    request_body = ReviewRequest,
    responses(
        (status = 200, description = "The approved application", body = ApplicationDto),
    )
)]
#[post("/coach-applications/{id}/approve")]
pub async fn approve_application(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
    body: ValidatedJson<ReviewRequest>,
) -> Result<web::Json<ApplicationDto>, ApiError> {
    let application = applications::approve(
        &state.db,
        &user.0,
        &client.0,
        id.into_inner(),
        body.0.into(),
    )
    .await?;
    Ok(web::Json(application.into()))
}

/// Rejects an application (administrators); the applicant is told, with the note. Audited.
///
/// Problems:
/// - `forbidden`: not an administrator
/// - `insufficient_scope`: the API key lacks `coaching:admin`
/// - `not_found`: no such application
/// - `application_reviewed`: it was already approved or rejected
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "reject_coach_application",
    tag = "coaching",
    security(("bearer" = []), ("apiKey" = ["coaching:admin"])),
    params(("id" = i64, Path, description = "Application id")),
    request_body = ReviewRequest,
    responses(
        (status = 200, description = "The rejected application", body = ApplicationDto),
    )
)]
#[post("/coach-applications/{id}/reject")]
pub async fn reject_application(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
    body: ValidatedJson<ReviewRequest>,
) -> Result<web::Json<ApplicationDto>, ApiError> {
    let application = applications::reject(
        &state.db,
        &user.0,
        &client.0,
        id.into_inner(),
        body.0.into(),
    )
    .await?;
    Ok(web::Json(application.into()))
}
