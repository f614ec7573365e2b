//! HTTP routes, one module per domain. Every route is registered through
//! `utoipa_actix_web`, whose `service` only accepts handlers annotated with `#[utoipa::path]`:
//! a route cannot exist without being in the OpenAPI document.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod admin;
pub mod api_keys;
pub mod auth;
pub mod certificates;
pub mod courses;
pub mod health;
pub mod jobs;
pub mod learning;
pub mod users;

/// Routes under `/api/v1`.
pub fn api_v1(cfg: &mut ServiceConfig) {
    cfg.service(auth::register)
        .service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(auth::request_password_reset)
        .service(auth::confirm_password_reset)
        .service(auth::verify_email)
        .service(users::get_me)
        .service(users::update_me)
        .service(users::get_profile)
        .service(users::put_profile)
        .service(users::export)
        .service(users::delete_me)
        .service(admin::list_users)
        .service(admin::get_user)
        .service(admin::update_user)
        .service(admin::list_audit_logs)
        .service(api_keys::create)
        .service(api_keys::list)
        .service(api_keys::revoke);
    courses::configure(cfg);
    learning::configure(cfg);
    certificates::configure(cfg);
    jobs::configure(cfg);
}

/// Routes outside `/api/v1` (probes and metrics).
pub fn root(cfg: &mut ServiceConfig) {
    cfg.service(health::live)
        .service(health::ready)
        .service(health::metrics);
}
