//! Credentials and security records: reset and verification tokens, refresh tokens, API keys, audit log, idempotency keys.

pub mod api_keys;
pub mod audit_logs;
pub mod email_verifications;
pub mod idempotency_keys;
pub mod password_resets;
pub mod refresh_tokens;
