//! A column value that must never reach a log line: password hashes, token hashes, encrypted
//! third-party tokens.

use sea_orm::DeriveValueType;

/// A secret or secret-derived string column.
///
/// `Debug` prints `[redacted]`, so `tracing::debug!(?user)` cannot leak it, and there is no
/// `Serialize` implementation, so it cannot end up in a JSON body by accident. Read the value
/// deliberately with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, DeriveValueType)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value that is already hashed or encrypted.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The stored value, for verification or decryption.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}
