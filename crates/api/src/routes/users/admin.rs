//! `/admin/users`: user management by administrators (list, read, role and status changes).

use actix_web::{get, patch, web};
use service::users::admin;

use super::dto::{AdminUserDto, AdminUserPatch, UserListQuery};
use crate::dto::{Page, PageQuery};
use crate::error::ApiError;
use crate::extract::{AuthUser, ClientInfo, ValidatedJson};
use crate::state::AppState;

/// All users, newest first, with filters.
///
/// Problems:
/// - `forbidden`: not an administrator
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "admin_list_users",
    tag = "users",
    security(("bearer" = []), ("apiKey" = ["users:read"])),
    params(PageQuery, UserListQuery),
    responses(
        (status = 200, description = "A page of users", body = Page<AdminUserDto>),
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
///
/// Problems:
/// - `forbidden`: not an administrator
/// - `not_found`: no such user
#[utoipa::path(
    operation_id = "admin_get_user",
    tag = "users",
    security(("bearer" = []), ("apiKey" = ["users:read"])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = AdminUserDto),
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
///
/// Problems:
/// - `forbidden`: not an administrator
/// - `not_found`: no such user
/// - `last_admin`
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "admin_update_user",
    tag = "users",
    security(("bearer" = []), ("apiKey" = ["users:write"])),
    params(("id" = i64, Path, description = "User id")),
    request_body = AdminUserPatch,
    responses(
        (status = 200, description = "The updated user", body = AdminUserDto),
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
