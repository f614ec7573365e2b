//! `/admin`: user management and the audit log (administrators only).

use actix_web::{get, patch, web};
use chrono::{DateTime, Utc};
use entity::auth::audit_logs;
use entity::enums::{UserRole, UserStatus};
use entity::users::users;
use serde::{Deserialize, Serialize};
use service::admin::audit;
use service::users::admin::{self as user_admin, Changes, Filter};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::dto::{Page, PageQuery, UserDto};
use crate::error::{ApiError, ProblemDetails};
use crate::extract::{AuthUser, ClientInfo, ValidatedJson};
use crate::state::AppState;

/// A user as administrators see it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdminUserDto {
    #[serde(flatten)]
    pub user: UserDto,
    pub last_login_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<users::Model> for AdminUserDto {
    fn from(u: users::Model) -> Self {
        let (last_login_at, updated_at) = (u.last_login_at, u.updated_at);
        Self {
            user: u.into(),
            last_login_at,
            updated_at,
        }
    }
}

/// Filters of the user list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    pub role: Option<UserRole>,
    pub status: Option<UserStatus>,
    /// Case-insensitive search in e-mail, first and last name.
    pub q: Option<String>,
}

/// Role or status change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdminUserPatch {
    pub role: Option<UserRole>,
    /// `active` or `suspended` (deletion is the owner's decision).
    pub status: Option<UserStatus>,
}

/// An audit event.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogDto {
    pub id: i64,
    pub actor_id: Option<i64>,
    #[schema(example = "user.updated")]
    pub action: String,
    #[schema(example = "user")]
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<audit_logs::Model> for AuditLogDto {
    fn from(a: audit_logs::Model) -> Self {
        Self {
            id: a.id,
            actor_id: a.actor_id,
            action: a.action,
            entity_type: a.entity_type,
            entity_id: a.entity_id,
            before: a.before,
            after: a.after,
            ip: a.ip,
            request_id: a.request_id,
            created_at: a.created_at,
        }
    }
}

/// Filters of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct AuditQuery {
    #[param(example = "user.updated")]
    pub action: Option<String>,
    pub actor_id: Option<i64>,
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
}

/// All users, newest first, with filters.
#[utoipa::path(
    operation_id = "admin_list_users",
    tag = "admin",
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
    let filter = filter.into_inner();
    let page = user_admin::list(
        &state.db,
        &user.0,
        Filter {
            role: filter.role,
            status: filter.status,
            q: filter.q,
        },
        page.page()?,
    )
    .await?;
    Ok(web::Json(Page::from_page(page, AdminUserDto::from)))
}

/// One user.
#[utoipa::path(
    operation_id = "admin_get_user",
    tag = "admin",
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
        user_admin::get(&state.db, &user.0, id.into_inner())
            .await?
            .into(),
    ))
}

/// Changes a user's role or status (audited with before and after). Suspension signs the user
/// out everywhere. The last active administrator cannot be demoted or suspended.
#[utoipa::path(
    operation_id = "admin_update_user",
    tag = "admin",
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
    let changes = Changes {
        role: body.0.role,
        status: body.0.status,
    };
    Ok(web::Json(
        user_admin::update(&state.db, &user.0, id.into_inner(), changes, &client.0)
            .await?
            .into(),
    ))
}

/// The audit log, newest first.
#[utoipa::path(
    operation_id = "admin_list_audit_logs",
    tag = "admin",
    security(("bearer" = []), ("apiKey" = ["audit:read"])),
    params(PageQuery, AuditQuery),
    responses(
        (status = 200, description = "A page of events", body = Page<AuditLogDto>),
        (status = 403, description = "Not an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/admin/audit-logs")]
pub async fn list_audit_logs(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
    filter: web::Query<AuditQuery>,
) -> Result<web::Json<Page<AuditLogDto>>, ApiError> {
    let f = filter.into_inner();
    let filter = audit::Filter {
        action: f.action,
        actor_id: f.actor_id,
        entity_type: f.entity_type,
        entity_id: f.entity_id,
    };
    let page = audit::list(&state.db, &user.0, filter, page.page()?).await?;
    Ok(web::Json(Page::from_page(page, AuditLogDto::from)))
}
