//! Course authoring (administrators and coaches): drafts, changes, archiving and publication.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, patch, post, web};
use service::courses::authoring;

use super::dto::{CourseDto, CreateCourseRequest, UpdateCourseRequest};
use crate::dto::{created, tagged};
use crate::error::ApiError;
use crate::extract::{AuthUser, IfMatch, ValidatedJson};
use crate::state::AppState;

/// Creates a draft course (administrators and coaches).
///
/// Problems:
/// - `forbidden`: learners cannot create courses
/// - `slug_taken`
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "create_course",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    request_body = CreateCourseRequest,
    responses(
        (status = 201, description = "The new draft", body = CourseDto,
            headers(("ETag" = String, description = "Version of the course"), ("Location" = String, description = "URL of the course"))),
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
///
/// Problems:
/// - `forbidden`: not the instructor or an administrator
/// - `not_found`: no such course, or not visible to the caller
/// - `slug_taken`
/// - `precondition_failed`: the course changed since it was read
/// - `validation_failed`: invalid or non-writable fields
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
///
/// Problems:
/// - `forbidden`: not the instructor or an administrator
/// - `not_found`: no such course, or not visible to the caller
#[utoipa::path(
    operation_id = "archive_course",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Course id")),
    responses(
        (status = 204, description = "Archived"),
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
///
/// Problems:
/// - `forbidden`: not the instructor or an administrator
/// - `not_found`: no such course, or not visible to the caller
/// - `course_changed`: the outline changed during publication
/// - `course_not_publishable`: no module with a lesson yet
/// - `validation_failed`: missing titles, one entry per title
#[utoipa::path(
    operation_id = "publish_course",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Course id")),
    responses(
        (status = 200, description = "The published course", body = CourseDto,
            headers(("ETag" = String, description = "New version of the course"))),
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
