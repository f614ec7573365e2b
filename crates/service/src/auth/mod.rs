//! Identity and credentials: password hashing and policy, access and refresh tokens, password
//! recovery and e-mail verification, API keys, and the request rate limiter.

pub mod actor;
pub mod api_keys;
pub mod password;
pub mod policy;
pub mod rate_limit;
pub mod recovery;
pub mod sessions;
pub mod tokens;

use std::time::Duration;

use password::Passwords;
use tokens::JwtKeys;

/// The credential machinery, built once at start-up.
#[derive(Clone, Debug)]
pub struct Auth {
    pub jwt: JwtKeys,
    pub passwords: Passwords,
    /// Lifetime of a refresh token.
    pub refresh_ttl: Duration,
}
