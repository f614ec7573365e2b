//! Course reviews: public reading, one review per entitled learner.

use actix_web::{HttpResponse, get, post, web};
use service::courses::reviews;

use super::dto::{CreateReviewRequest, ReviewDto};
use crate::dto::{Page, PageQuery};
use crate::error::ApiError;
use crate::extract::{AuthUser, MaybeAuthUser, ValidatedJson};
use crate::state::AppState;

/// Reviews of a course, newest first.
///
/// Problems:
/// - `unauthenticated`: credentials sent but invalid
/// - `not_found`: no such course, or not visible to the caller
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "list_reviews",
    tag = "courses",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(("id" = i64, Path, description = "Course id"), PageQuery),
    responses(
        (status = 200, description = "A page of reviews", body = Page<ReviewDto>),
    )
)]
#[get("/courses/{id}/reviews")]
pub async fn list_reviews(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    id: web::Path<i64>,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<ReviewDto>>, ApiError> {
    let page = reviews::list(&state.db, user.0.as_ref(), id.into_inner(), page.page()?).await?;
    Ok(web::Json(page.into()))
}

/// Reviews a course: once per learner, and only with an enrollment that opens the course.
///
/// Problems:
/// - `enrollment_required`: not enrolled in the course
/// - `insufficient_scope`: API keys cannot do this
/// - `not_found`: no such course, or not visible to the caller
/// - `already_reviewed`
/// - `validation_failed`: invalid rating or comment
#[utoipa::path(
    operation_id = "create_review",
    tag = "courses",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Course id")),
    request_body = CreateReviewRequest,
    responses(
        (status = 201, description = "The review", body = ReviewDto),
    )
)]
#[post("/courses/{id}/reviews")]
pub async fn create_review(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<CreateReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let review = reviews::create(&state.db, &user.0, id.into_inner(), body.0.into()).await?;
    Ok(HttpResponse::Created().json(ReviewDto::from(review)))
}
