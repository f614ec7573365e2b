//! `/users/me/sle-results`: the caller's self-reported Second Language Evaluation results.

use actix_web::{get, put, web};
use service::users::sle;

use super::dto::{SleResultsDto, SleResultsRequest};
use crate::error::ApiError;
use crate::extract::{AuthUser, ValidatedJson};
use crate::state::AppState;

/// The caller's SLE results.
///
/// Official results, self-assessments and coach assessments, one per skill (reading, writing,
/// oral) and source. Any signed-in user; an API key needs the `profile:read` scope.
#[utoipa::path(
    operation_id = "get_my_sle_results",
    tag = "users",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    responses(
        (status = 200, description = "My results", body = SleResultsDto),
    )
)]
#[get("/users/me/sle-results")]
pub async fn get_sle_results(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<SleResultsDto>, ApiError> {
    Ok(web::Json(sle::mine(&state.db, &user.0).await?.into()))
}

/// Replaces the caller's self-reported SLE results (one per skill and source).
///
/// Problems:
/// - `validation_failed`: invalid results
#[utoipa::path(
    operation_id = "put_my_sle_results",
    tag = "users",
    security(("bearer" = [])),
    request_body = SleResultsRequest,
    responses(
        (status = 200, description = "The saved results", body = SleResultsDto),
    )
)]
#[put("/users/me/sle-results")]
pub async fn put_sle_results(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<SleResultsRequest>,
) -> Result<web::Json<SleResultsDto>, ApiError> {
    let saved = sle::replace(&state.db, &user.0, body.0.into()).await?;
    Ok(web::Json(saved.into()))
}
