//! `/auth` and `/api-keys`: registration, login, token refresh and logout, password reset,
//! e-mail verification, and API keys for integrators. Sign-up, sign-in and reset requests are
//! rate limited per IP and per account (see the 429 responses).

mod api_keys;
pub mod dto;
pub(crate) mod rate_limit;
mod recovery;
mod sessions;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(sessions::register)
        .service(sessions::login)
        .service(sessions::refresh)
        .service(sessions::logout)
        .service(recovery::request_password_reset)
        .service(recovery::confirm_password_reset)
        .service(recovery::verify_email)
        .service(api_keys::create)
        .service(api_keys::list)
        .service(api_keys::revoke);
}
