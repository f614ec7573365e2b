//! `/admin/audit-logs`: the audit log, newest first, with filters.

use actix_web::{get, web};
use service::admin::audit;

use super::dto::{AuditLogDto, AuditQuery};
use crate::dto::{Page, PageQuery};
use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::state::AppState;

/// The audit log, newest first.
///
/// Problems:
/// - `forbidden`: not an administrator
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "admin_list_audit_logs",
    tag = "admin",
    security(("bearer" = []), ("apiKey" = ["audit:read"])),
    params(PageQuery, AuditQuery),
    responses(
        (status = 200, description = "A page of events", body = Page<AuditLogDto>),
    )
)]
#[get("/admin/audit-logs")]
pub async fn list_audit_logs(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
    filter: web::Query<AuditQuery>,
) -> Result<web::Json<Page<AuditLogDto>>, ApiError> {
    let page = audit::list(&state.db, &user.0, filter.into_inner().into(), page.page()?).await?;
    Ok(web::Json(page.into()))
}
