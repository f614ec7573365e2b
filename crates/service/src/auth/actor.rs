//! Who is calling: the authenticated user and, for API keys, the scopes they are limited to.

use entity::enums::UserRole;

use crate::auth::INSUFFICIENT_SCOPE;
use crate::problem::FORBIDDEN;
use crate::{Error, Result};

/// The authenticated caller, as every service function sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: UserRole,
    /// `None` for a user's own session (full access for the role); the key's scopes for an API key.
    pub scopes: Option<Vec<String>>,
    /// The account's `credentialVersion` when the caller was authenticated: issuing a new
    /// credential checks it has not moved on since (`credentials::lock_current`).
    pub credential_version: i32,
}

/// Scopes an API key can be given.
pub const SCOPES: &[&str] = &[
    "profile:read",
    "users:read",
    "users:write",
    "audit:read",
    "courses:write",
    "learning:read",
    "coaching:read",
    "coaching:admin",
    "payments:read",
    "payments:admin",
    "flags:admin",
    "ops:read",
];

impl Actor {
    /// Whether the caller is an administrator.
    pub fn is_admin(&self) -> bool {
        self.role == UserRole::Admin
    }

    /// Refuses callers without one of `roles` (403 `forbidden`).
    pub fn require_role(&self, roles: &[UserRole]) -> Result<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(Error::from(FORBIDDEN))
        }
    }

    /// Refuses API keys without `scope` (403 `insufficient_scope`); sessions pass.
    pub fn require_scope(&self, scope: &str) -> Result<()> {
        match &self.scopes {
            Some(scopes) if !scopes.iter().any(|s| s == scope) => {
                Err(Error::from(INSUFFICIENT_SCOPE))
            }
            _ => Ok(()),
        }
    }

    /// Refuses API keys (403 `insufficient_scope`): for writes that only a signed-in person may make.
    pub fn require_session(&self) -> Result<()> {
        if self.scopes.is_some() {
            return Err(Error::from(INSUFFICIENT_SCOPE));
        }
        Ok(())
    }

    /// An administrator acting with `scope` (both checks at once).
    pub fn require_admin(&self, scope: &str) -> Result<()> {
        self.require_role(&[UserRole::Admin])?;
        self.require_scope(scope)
    }
}
