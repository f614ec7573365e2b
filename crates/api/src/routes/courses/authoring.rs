//! Course authoring (administrators and coaches): drafts, changes, archiving and publication.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, patch, post, web};
use service::courses::authoring;

use super::dto::{CourseDto, CreateCourseRequest, UpdateCourseRequest};
use crate::dto::{created, tagged};
use crate::error::{ApiError, ProblemDetails};
use crate::extract::{AuthUser, IfMatch, ValidatedJson};
use crate::state::AppState;

/// Creates a draft course (administrators and coaches).
#[utoipa::path(
    operation_id = "create_course",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    request_body = CreateCourseRequest,
    responses(
        (status = 201, description = "The new draft", body = CourseDto,
            headers(("ETag" = String, description = "Version of the course"), ("Location" = String, description = "URL of the course"))),
        (status = 403, description = "`forbidden`: learners cannot create courses", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`slug_taken`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/courses")]
pub async fn create_course(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<CreateCourseRequest>,
) -> Result<HttpResponse, ApiError> {
    let course = authoring::create_course(&state.db, &user.0, body.0.into()).await?;
    let location = format!("/api/v1/courses/{}", course.course.id);
    Ok(created(location, &CourseDto::from(course)))
}

/// Changes a course (administrators and its instructor). Send `If-Match` with the `ETag` you
/// read to avoid overwriting someone else's change.
#[utoipa::path(
    operation_id = "update_course",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(
        ("id" = i64, Path, description = "Course id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being changed"),
    ),
    request_body = UpdateCourseRequest,
    responses(
        (status = 200, description = "The updated course", body = CourseDto,
            headers(("ETag" = String, description = "New version of the course"))),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such course, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`slug_taken`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: the course changed since it was read", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid or non-writable fields", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[patch("/courses/{id}")]
pub async fn update_course(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: ValidatedJson<UpdateCourseRequest>,
) -> Result<HttpResponse, ApiError> {
    let course = authoring::update_course(
        &state.db,
        &user.0,
        id.into_inner(),
        body.0.into(),
        if_match.get(),
    )
    .await?;
    Ok(tagged(StatusCode::OK, &CourseDto::from(course)))
}

/// Archives a course: it leaves the catalog but keeps its enrollments, progress and
/// certificates (administrators and its instructor).
#[utoipa::path(
    operation_id = "archive_course",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Course id")),
    responses(
        (status = 204, description = "Archived"),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such course, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[delete("/courses/{id}")]
pub async fn archive_course(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    authoring::archive_course(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Publishes a course: it needs at least one module with at least one lesson, and English and
/// French titles on the course, its modules and lessons. Idempotent.
#[utoipa::path(
    operation_id = "publish_course",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Course id")),
    responses(
        (status = 200, description = "The published course", body = CourseDto,
            headers(("ETag" = String, description = "New version of the course"))),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such course, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`course_changed`: the outline changed during publication", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`course_not_publishable` (no lesson yet) or `validation_failed` (missing titles, one entry per title)", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/courses/{id}/publish")]
pub async fn publish_course(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let course = authoring::publish_course(&state.db, &user.0, id.into_inner()).await?;
    Ok(tagged(StatusCode::OK, &CourseDto::from(course)))
}
