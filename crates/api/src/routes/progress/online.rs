//! Online progress: a lesson's progress reported as it happens, and the caller's progress in a
//! course.

use actix_web::{get, put, web};
use service::progress;

use super::dto::{CourseProgressDto, LessonProgressDto, ProgressRequest};
use crate::error::ApiError;
use crate::extract::{AuthUser, ValidatedJson};
use crate::state::AppState;

/// Records progress in a lesson of a course the caller is enrolled in (the same merge as the
/// offline sync: progress never decreases, completion is sticky, time adds up).
///
/// Completing the last lesson completes the course (the enrollment becomes `completed`) and, if
/// the course has a certificate, issues it, but only to an account whose e-mail address is
/// verified: otherwise the certificate is withheld and issued when the address is verified
/// (`POST /auth/verify-email`), without completing anything again.
///
/// Problems:
/// - `enrollment_required`
/// - `not_found`: no such lesson
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "put_lesson_progress",
    tag = "progress",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Lesson id")),
    request_body = ProgressRequest,
    responses(
        (status = 200, description = "The merged progress", body = LessonProgressDto),
    )
)]
#[put("/lessons/{id}/progress")]
pub async fn put_progress(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<ProgressRequest>,
) -> Result<web::Json<LessonProgressDto>, ApiError> {
    let op = body.0.into_operation(id.into_inner());
    let view = progress::report(&state.db, &state.deps.signer, &user.0, op).await?;
    Ok(web::Json(view.into()))
}

/// The caller's progress in a course (404 unless enrolled).
///
/// Problems:
/// - `not_found`: not enrolled in this course
#[utoipa::path(
    operation_id = "get_course_progress",
    tag = "progress",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    params(("id" = i64, Path, description = "Course id")),
    responses(
        (status = 200, description = "Course progress", body = CourseProgressDto),
    )
)]
#[get("/courses/{id}/progress")]
pub async fn course_progress(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<CourseProgressDto>, ApiError> {
    let p = progress::of_course(&state.db, &user.0, id.into_inner()).await?;
    Ok(web::Json(p.into()))
}
