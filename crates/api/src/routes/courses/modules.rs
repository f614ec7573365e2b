//! Modules of a course: creation, order, changes and deletion (administrators and the course's
//! instructor).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, patch, post, put, web};
use service::courses::outline;

use super::dto::{
    CourseDetailDto, CreateModuleRequest, ModuleDto, ReorderModulesRequest, UpdateModuleRequest,
};
use crate::dto::tagged;
use crate::error::ApiError;
use crate::extract::{AuthUser, IfMatch, ValidatedJson};
use crate::state::AppState;

/// Adds a module to a course (administrators and its instructor).
///
/// Problems:
/// - `forbidden`: not the instructor or an administrator
/// - `not_found`: no such course, or not visible to the caller
/// - `order_taken`
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "create_module",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Course id")),
    request_body = CreateModuleRequest,
    responses(
        (status = 201, description = "The new module", body = ModuleDto,
            headers(("ETag" = String, description = "Version of the module"))),
    )
)]
#[post("/courses/{id}/modules")]
pub async fn create_module(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<CreateModuleRequest>,
) -> Result<HttpResponse, ApiError> {
    let module = outline::create_module(&state.db, &user.0, id.into_inner(), body.0.into()).await?;
    Ok(tagged(StatusCode::CREATED, &ModuleDto::from(module)))
}

/// Puts a course's modules in a new order (every module id exactly once); `If-Match` is the
/// course's `ETag`.
///
/// Problems:
/// - `forbidden`: not the instructor or an administrator
/// - `not_found`: no such course, or not visible to the caller
/// - `precondition_failed`
/// - `validation_failed`: `moduleIds` is not a permutation of the course's modules
#[utoipa::path(
    operation_id = "reorder_modules",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(
        ("id" = i64, Path, description = "Course id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the course"),
    ),
    request_body = ReorderModulesRequest,
    responses(
        (status = 200, description = "The course with its new outline", body = CourseDetailDto,
            headers(("ETag" = String, description = "New version of the course"))),
    )
)]
#[put("/courses/{id}/modules/order")]
pub async fn reorder_modules(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: ValidatedJson<ReorderModulesRequest>,
) -> Result<HttpResponse, ApiError> {
    let outline = outline::reorder_modules(
        &state.db,
        &user.0,
        id.into_inner(),
        body.0.module_ids.convert(),
        if_match.get(),
    )
    .await?;
    Ok(tagged(StatusCode::OK, &CourseDetailDto::from(outline)))
}

/// Changes a module (administrators and the course's instructor).
///
/// Problems:
/// - `forbidden`: not the instructor or an administrator
/// - `not_found`: no such module, or not visible to the caller
/// - `order_taken`
/// - `precondition_failed`
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "update_module",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(
        ("id" = i64, Path, description = "Module id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being changed"),
    ),
    request_body = UpdateModuleRequest,
    responses(
        (status = 200, description = "The updated module", body = ModuleDto,
            headers(("ETag" = String, description = "New version of the module"))),
    )
)]
#[patch("/modules/{id}")]
pub async fn update_module(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: ValidatedJson<UpdateModuleRequest>,
) -> Result<HttpResponse, ApiError> {
    let module = outline::update_module(
        &state.db,
        &user.0,
        id.into_inner(),
        body.0.into(),
        if_match.get(),
    )
    .await?;
    Ok(tagged(StatusCode::OK, &ModuleDto::from(module)))
}

/// Deletes a module with its lessons (administrators and the course's instructor).
///
/// Problems:
/// - `forbidden`: not the instructor or an administrator
/// - `not_found`: no such module, or not visible to the caller
#[utoipa::path(
    operation_id = "delete_module",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Module id")),
    responses(
        (status = 204, description = "Deleted"),
    )
)]
#[delete("/modules/{id}")]
pub async fn delete_module(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    outline::delete_module(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
