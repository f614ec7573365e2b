//! Placeholder: filled by the learning issue.

use utoipa_actix_web::service_config::ServiceConfig;

/// Problem codes of this domain: (code, English, French).
pub const MESSAGES: &[(&str, &str, &str)] = &[];

/// Registers this domain's routes.
pub fn configure(_cfg: &mut ServiceConfig) {}
