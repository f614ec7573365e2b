//! Shared application state, handed to handlers as `web::Data<AppState>`.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use service::Deps;
use service::auth::rate_limit::RateLimiter;

use crate::config::Settings;
use crate::middleware::metrics::Metrics;

/// Everything a handler may need; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    /// External clients (mailer, signer, credentials) the service functions and jobs use.
    pub deps: Deps,
    pub limiter: RateLimiter,
    pub metrics: Metrics,
}

/// Id of the authenticated caller, stored in the request extensions by the auth extractor so
/// that error logs can name the user.
#[derive(Clone, Copy, Debug)]
pub struct CurrentUser(pub i64);
