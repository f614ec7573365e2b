//! Enrollment in courses: self-enrollment in free courses, the caller's enrollments, and
//! administrators' grants.

pub mod dto;

use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::dto::{Page, PageQuery};
use crate::error::ApiError;
use crate::extract::{AuthUser, ClientInfo, ValidatedJson};
use crate::state::AppState;
use dto::{EnrollmentDto, GrantRequest, MyEnrollmentDto};

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(enroll)
        .service(my_enrollments)
        .service(admin_grant);
}

/// Enrolls the caller in a free published course, or in a paid one while their subscription
/// runs (enrollment source `subscription`). Otherwise a paid course answers 402
/// `payment_required` whose `links.checkout` is the request that buys it
/// (`POST /checkout` with `{"purpose": "course", "referenceId": <id>}`); paid courses are also
/// entered through a learning path or an administrator.
///
/// Problems:
/// - `payment_required`: a paid course; see `links.checkout`
/// - `not_found`: no such published course
/// - `already_enrolled`
#[utoipa::path(
    operation_id = "enroll",
    tag = "enrollments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Course id")),
    responses(
        (status = 201, description = "Enrolled", body = EnrollmentDto),
    )
)]
#[post("/courses/{id}/enroll")]
pub async fn enroll(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let enrollment = service::enrollments::enroll_free(&state.db, &user.0, id)
        .await
        .map_err(|err| {
            let payment = err.is(service::problem::PAYMENT_REQUIRED);
            let err = ApiError::from(err);
            if payment {
                err.with_links(crate::routes::payments::checkout_link("course", id))
            } else {
                err
            }
        })?;
    Ok(HttpResponse::Created().json(EnrollmentDto::from(enrollment)))
}

/// The caller's enrollments, newest first.
///
/// Problems:
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "list_my_enrollments",
    tag = "enrollments",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of enrollments", body = Page<MyEnrollmentDto>),
    )
)]
#[get("/users/me/enrollments")]
pub async fn my_enrollments(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<MyEnrollmentDto>>, ApiError> {
    let page = service::enrollments::mine(&state.db, &user.0, page.page()?).await?;
    Ok(web::Json(page.into()))
}

/// Enrolls a user in a published course, paid or free (administrators; audited).
///
/// Problems:
/// - `forbidden`: not an administrator
/// - `validation_failed`: unknown user or course
#[utoipa::path(
    operation_id = "admin_grant_enrollment",
    tag = "enrollments",
    security(("bearer" = []), ("apiKey" = ["users:write"])),
    request_body = GrantRequest,
    responses(
        (status = 201, description = "Enrolled (or already enrolled)", body = EnrollmentDto),
    )
)]
#[post("/admin/enrollments")]
pub async fn admin_grant(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: ValidatedJson<GrantRequest>,
) -> Result<HttpResponse, ApiError> {
    let enrollment = service::enrollments::admin_grant(
        &state.db,
        &user.0,
        body.0.user_id.get(),
        body.0.course_id.get(),
        &client.0,
    )
    .await?;
    Ok(HttpResponse::Created().json(EnrollmentDto::from(enrollment)))
}
