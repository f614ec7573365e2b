//! Credentials: password hashing now; tokens, sessions and API keys with the accounts issue.

pub mod password;
