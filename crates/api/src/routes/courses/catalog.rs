//! The public catalog: published courses, and one course with its outline (drafts and archived
//! courses only for administrators and the instructor).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use service::courses::{Key, catalog};

use super::dto::{CatalogQuery, CourseDetailDto, CourseDto};
use crate::dto::{Page, PageQuery, tagged};
use crate::error::ApiError;
use crate::extract::MaybeAuthUser;
use crate::state::AppState;

/// The public catalog: published courses, most recently published first, each with its rating.
///
/// Problems:
/// - `invalid_query`: malformed filter
/// - `unauthenticated`: credentials sent but invalid
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "list_courses",
    tag = "courses",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(PageQuery, CatalogQuery),
    responses(
        (status = 200, description = "A page of published courses", body = Page<CourseDto>),
    )
)]
#[get("/courses")]
pub async fn list_courses(
    state: web::Data<AppState>,
    _user: MaybeAuthUser,
    page: web::Query<PageQuery>,
    filter: web::Query<CatalogQuery>,
) -> Result<web::Json<Page<CourseDto>>, ApiError> {
    let page = catalog::list(&state.db, filter.into_inner().into(), page.page()?).await?;
    Ok(web::Json(page.into()))
}

/// A course with its rating and outline, by id or slug. Drafts and archived courses exist only
/// for administrators and the instructor.
///
/// Problems:
/// - `unauthenticated`: credentials sent but invalid
/// - `not_found`: no such course, or not visible to the caller
#[utoipa::path(
    operation_id = "get_course",
    tag = "courses",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Course id, or its slug", example = "sle-oral-interaction-level-b")),
    responses(
        (status = 200, description = "The course and its outline", body = CourseDetailDto,
            headers(("ETag" = String, description = "Version of the course (changes with its outline)"))),
    )
)]
#[get("/courses/{id}")]
pub async fn get_course(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let outline = catalog::get(&state.db, user.0.as_ref(), &Key::parse(&id)).await?;
    Ok(tagged(StatusCode::OK, &CourseDetailDto::from(outline)))
}
