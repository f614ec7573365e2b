//! Learning paths: bundles of published courses taken in order.

use actix_web::{get, web};
use service::courses::{Key, paths};

use super::dto::{LearningPathDetailDto, LearningPathDto};
use crate::dto::{Page, PageQuery};
use crate::error::ApiError;
use crate::extract::MaybeAuthUser;
use crate::state::AppState;

/// Published learning paths, newest first, with their number of courses and price.
///
/// Problems:
/// - `unauthenticated`: credentials sent but invalid
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "list_learning_paths",
    tag = "courses",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of learning paths", body = Page<LearningPathDto>),
    )
)]
#[get("/learning-paths")]
pub async fn list_learning_paths(
    state: web::Data<AppState>,
    _user: MaybeAuthUser,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<LearningPathDto>>, ApiError> {
    let page = paths::list(&state.db, page.page()?).await?;
    Ok(web::Json(page.into()))
}

/// A learning path, by id or slug, with its published courses in order.
///
/// Problems:
/// - `unauthenticated`: credentials sent but invalid
/// - `not_found`: no such published learning path
#[utoipa::path(
    operation_id = "get_learning_path",
    tag = "courses",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Learning path id, or its slug", example = "sle-b-level-path")),
    responses(
        (status = 200, description = "The learning path and its courses", body = LearningPathDetailDto),
    )
)]
#[get("/learning-paths/{id}")]
pub async fn get_learning_path(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    id: web::Path<String>,
) -> Result<web::Json<LearningPathDetailDto>, ApiError> {
    let path = paths::get(&state.db, user.0.as_ref(), &Key::parse(&id)).await?;
    Ok(web::Json(path.into()))
}
