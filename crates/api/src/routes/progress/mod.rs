//! Learning progress: lessons reported online, offline batches replayed by `/sync/progress`,
//! course progress, and daily snapshots.

pub mod dto;
mod online;
mod snapshots;
mod sync;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(online::put_progress)
        .service(online::course_progress)
        .service(sync::sync_progress)
        .service(snapshots::my_snapshots);
}
