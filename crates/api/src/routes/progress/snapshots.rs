//! Daily snapshots of the caller's progress in each course.

use actix_web::{get, web};
use service::progress::snapshots;

use super::dto::SnapshotDto;
use crate::dto::{Page, PageQuery};
use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::state::AppState;

/// The caller's daily progress snapshots, newest first.
///
/// Problems:
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "list_my_progress_snapshots",
    tag = "progress",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of snapshots", body = Page<SnapshotDto>),
    )
)]
#[get("/users/me/progress-snapshots")]
pub async fn my_snapshots(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<SnapshotDto>>, ApiError> {
    let page = snapshots::mine(&state.db, &user.0, page.page()?).await?;
    Ok(web::Json(page.into()))
}
