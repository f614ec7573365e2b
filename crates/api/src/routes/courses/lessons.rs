//! Lessons of a module: reading (content for entitled callers), and authoring by administrators
//! and the course's instructor.

use actix_web::http::StatusCode;
use actix_web::http::header::ETAG;
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use service::courses::{catalog, etag, outline};

use super::dto::{
    CreateLessonRequest, LessonDto, ModuleOutlineDto, ReorderLessonsRequest, UpdateLessonRequest,
};
use crate::dto::{created, tagged};
use crate::error::ApiError;
use crate::extract::{AuthUser, IfMatch, MaybeAuthUser, ValidatedJson};
use crate::state::AppState;

/// Adds a lesson to a module (administrators and the course's instructor).
///
/// Problems:
/// - `forbidden`: not the instructor or an administrator
/// - `not_found`: no such module, or not visible to the caller
/// - `order_taken`
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "create_lesson",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Module id")),
    request_body = CreateLessonRequest,
    responses(
        (status = 201, description = "The new lesson", body = LessonDto,
            headers(("ETag" = String, description = "Version of the lesson"), ("Location" = String, description = "URL of the lesson"))),
    )
)]
#[post("/modules/{id}/lessons")]
pub async fn create_lesson(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<CreateLessonRequest>,
) -> Result<HttpResponse, ApiError> {
    let lesson = outline::create_lesson(&state.db, &user.0, id.into_inner(), body.0.into()).await?;
    let location = format!("/api/v1/lessons/{}", lesson.lesson.id);
    Ok(created(location, &LessonDto::from(lesson)))
}

/// Puts a module's lessons in a new order (every lesson id exactly once); `If-Match` is the
/// module's `ETag`.
///
/// Problems:
/// - `forbidden`: not the instructor or an administrator
/// - `not_found`: no such module, or not visible to the caller
/// - `precondition_failed`
/// - `validation_failed`: `lessonIds` is not a permutation of the module's lessons
#[utoipa::path(
    operation_id = "reorder_lessons",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(
        ("id" = i64, Path, description = "Module id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the module"),
    ),
    request_body = ReorderLessonsRequest,
    responses(
        (status = 200, description = "The module with its lessons in the new order", body = ModuleOutlineDto,
            headers(("ETag" = String, description = "New version of the module"))),
    )
)]
#[put("/modules/{id}/lessons/order")]
pub async fn reorder_lessons(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: ValidatedJson<ReorderLessonsRequest>,
) -> Result<HttpResponse, ApiError> {
    let (module, outline) = outline::reorder_lessons(
        &state.db,
        &user.0,
        id.into_inner(),
        body.0.lesson_ids.convert(),
        if_match.get(),
    )
    .await?;
    // The order of the lessons is the module's: the answer carries the module's version.
    Ok(HttpResponse::Ok()
        .insert_header((ETAG, etag(module.id, module.updated_at)))
        .json(ModuleOutlineDto::from(outline)))
}

/// A lesson. Its content is returned to learners enrolled in the course, the instructor,
/// administrators, and everyone for preview lessons; otherwise it is null and `locked` is true.
///
/// Problems:
/// - `unauthenticated`: credentials sent but invalid
/// - `not_found`: no such lesson, or its course is not visible to the caller
#[utoipa::path(
    operation_id = "get_lesson",
    tag = "courses",
    security((), ("bearer" = []), ("apiKey" = ["learning:read"])),
    params(("id" = i64, Path, description = "Lesson id")),
    responses(
        (status = 200, description = "The lesson", body = LessonDto,
            headers(("ETag" = String, description = "Version of the lesson"))),
    )
)]
#[get("/lessons/{id}")]
pub async fn get_lesson(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let lesson = catalog::lesson(&state.db, user.0.as_ref(), id.into_inner()).await?;
    Ok(tagged(StatusCode::OK, &LessonDto::from(lesson)))
}

/// Changes a lesson (administrators and the course's instructor).
///
/// Problems:
/// - `forbidden`: not the instructor or an administrator
/// - `not_found`: no such lesson, or not visible to the caller
/// - `order_taken`
/// - `precondition_failed`
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "update_lesson",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(
        ("id" = i64, Path, description = "Lesson id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being changed"),
    ),
    request_body = UpdateLessonRequest,
    responses(
        (status = 200, description = "The updated lesson", body = LessonDto,
            headers(("ETag" = String, description = "New version of the lesson"))),
    )
)]
#[patch("/lessons/{id}")]
pub async fn update_lesson(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: ValidatedJson<UpdateLessonRequest>,
) -> Result<HttpResponse, ApiError> {
    let lesson = outline::update_lesson(
        &state.db,
        &user.0,
        id.into_inner(),
        body.0.into(),
        if_match.get(),
    )
    .await?;
    Ok(tagged(StatusCode::OK, &LessonDto::from(lesson)))
}

/// Deletes a lesson and the progress recorded on it (administrators and the course's
/// instructor).
///
/// Problems:
/// - `forbidden`: not the instructor or an administrator
/// - `not_found`: no such lesson, or not visible to the caller
#[utoipa::path(
    operation_id = "delete_lesson",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Lesson id")),
    responses(
        (status = 204, description = "Deleted"),
    )
)]
#[delete("/lessons/{id}")]
pub async fn delete_lesson(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    outline::delete_lesson(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
