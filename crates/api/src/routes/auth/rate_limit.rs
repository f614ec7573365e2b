//! Rate limits of the `/auth` endpoints, per client IP and per account: 429 `rate_limited` with
//! `Retry-After` past them.

use std::time::Duration;

use service::problem::RATE_LIMITED;

use crate::error::ApiError;
use crate::extract::ClientInfo;
use crate::state::AppState;

/// Window of the login limits.
pub const MINUTE: Duration = Duration::from_secs(60);
/// Window of the registration and reset limits.
pub const HOUR: Duration = Duration::from_secs(3600);

/// Counts a request against the limit of `scope` for `who` (key `<scope>:<who>`); 429
/// `rate_limited` with `Retry-After` past it.
pub fn rate_limit(
    state: &AppState,
    scope: &str,
    who: &str,
    limit: u32,
    window: Duration,
) -> Result<(), ApiError> {
    state
        .limiter
        .hit(&format!("{scope}:{who}"), limit, window)
        .map_err(|wait| ApiError::new(RATE_LIMITED).retry_after(wait.0))
}

/// The client's IP, the key of per-address limits (behind `TRUSTED_PROXIES`, the address their
/// `X-Forwarded-For` names; see [`crate::client_ip`]).
pub fn ip(client: &ClientInfo) -> &str {
    client.0.ip.as_deref().unwrap_or("unknown")
}

/// The account an e-mail address names, the key of per-account limits: trimmed, lower-case.
pub fn account(email: &str) -> String {
    email.trim().to_lowercase()
}
