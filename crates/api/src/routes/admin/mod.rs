//! `/admin`: platform administration (administrators only): the audit log, feature flags (which
//! every user reads evaluated for themselves at `/feature-flags/me`) and the operator's views
//! (metrics samples, server errors). User management is in the users domain, grants in
//! enrollments.

mod audit;
pub mod dto;
pub mod flags;
pub mod ops;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(audit::list_audit_logs)
        .service(flags::my_flags)
        .service(flags::list_flags)
        .service(flags::create_flag)
        .service(flags::get_flag)
        .service(flags::update_flag)
        .service(flags::delete_flag)
        .service(flags::flag_history)
        .service(ops::list_metrics)
        .service(ops::list_error_logs);
}
