//! Course reviews: public reading, one review per entitled learner.

use actix_web::{HttpResponse, get, post, web};
use service::courses::reviews;

use super::dto::{CreateReviewRequest, ReviewDto};
use crate::dto::{Page, PageQuery};
use crate::error::{ApiError, ProblemDetails};
use crate::extract::{AuthUser, MaybeAuthUser, ValidatedJson};
use crate::state::AppState;

/// Reviews of a course, newest first.
#[utoipa::path(
    operation_id = "list_reviews",
    tag = "courses",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(("id" = i64, Path, description = "Course id"), PageQuery),
    responses(
        (status = 200, description = "A page of reviews", body = Page<ReviewDto>),
        (status = 401, description = "Credentials sent but invalid", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such course, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = ProblemDetails, content_type = "application/problem+json"),
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
#[utoipa::path(
    operation_id = "create_review",
    tag = "courses",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Course id")),
    request_body = CreateReviewRequest,
    responses(
        (status = 201, description = "The review", body = ReviewDto),
        (status = 403, description = "`enrollment_required`, or `insufficient_scope` for API keys", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such course, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`already_reviewed`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid rating or comment", body = ProblemDetails, content_type = "application/problem+json"),
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
