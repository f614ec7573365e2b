//! `/admin/users`: user management by administrators (list, read, role and status changes).

use actix_web::{get, patch, web};
use service::users::admin;

use super::dto::{AdminUserDto, AdminUserPatch, UserListQuery};
use crate::dto::{Page, PageQuery};
use crate::error::{ApiError, ProblemDetails};
use crate::extract::{AuthUser, ClientInfo, ValidatedJson};
use crate::state::AppState;

/// All users, newest first, with filters.
#[utoipa::path(
    operation_id = "admin_list_users",
    tag = "users",
    security(("bearer" = []), ("apiKey" = ["users:read"])),
    params(PageQuery, UserListQuery),
    responses(
        (status = 200, description = "A page of users", body = Page<AdminUserDto>),
        (status = 403, description = "Not an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/admin/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
    filter: web::Query<UserListQuery>,
) -> Result<web::Json<Page<AdminUserDto>>, ApiError> {
    let page = admin::list(&state.db, &user.0, filter.into_inner().into(), page.page()?).await?;
    Ok(web::Json(page.into()))
}

/// One user.
#[utoipa::path(
    operation_id = "admin_get_user",
    tag = "users",
    security(("bearer" = []), ("apiKey" = ["users:read"])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = AdminUserDto),
        (status = 403, description = "Not an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/admin/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<AdminUserDto>, ApiError> {
    Ok(web::Json(
        admin::get(&state.db, &user.0, id.into_inner())
            .await?
            .into(),
    ))
}

/// Changes a user's role or status (audited with before and after). Suspension signs the user
/// out everywhere. The last active administrator cannot be demoted or suspended.
#[utoipa::path(
    operation_id = "admin_update_user",
    tag = "users",
    security(("bearer" = []), ("apiKey" = ["users:write"])),
    params(("id" = i64, Path, description = "User id")),
    request_body = AdminUserPatch,
    responses(
        (status = 200, description = "The updated user", body = AdminUserDto),
        (status = 403, description = "Not an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`last_admin`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[patch("/admin/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
    body: ValidatedJson<AdminUserPatch>,
) -> Result<web::Json<AdminUserDto>, ApiError> {
    let updated = admin::update(
        &state.db,
        &user.0,
        id.into_inner(),
        body.0.into(),
        &client.0,
    )
    .await?;
    Ok(web::Json(updated.into()))
}
