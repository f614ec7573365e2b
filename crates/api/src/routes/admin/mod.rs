//! `/admin`: platform administration (administrators only): the audit log. User management is
//! in the users domain, grants in enrollments.

mod audit;
pub mod dto;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(audit::list_audit_logs);
}
