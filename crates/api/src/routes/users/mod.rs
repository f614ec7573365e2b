//! `/users/me` and `/admin/users`: one's own account, profile, SLE results, data export and
//! deletion; user management by administrators.

mod admin;
pub mod dto;
mod me;
mod sle;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(me::get_me)
        .service(me::update_me)
        .service(me::get_profile)
        .service(me::put_profile)
        .service(me::export)
        .service(me::delete_me)
        .service(sle::get_sle_results)
        .service(sle::put_sle_results)
        .service(admin::list_users)
        .service(admin::get_user)
        .service(admin::update_user);
}
