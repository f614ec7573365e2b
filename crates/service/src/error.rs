//! The service error: what went wrong, in domain terms.

use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// Result of a service function.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field, as the client named it (camelCase, dotted for nested fields).
    pub field: String,
    /// Stable machine-readable code (`too_short`, `invalid_email`, ...).
    pub code: String,
    /// Human-readable explanation in English.
    pub message: String,
}

/// Everything a service function can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The resource does not exist, or the caller may not know that it does.
    #[error("not found")]
    NotFound,
    /// The caller is not authenticated, or the credentials are wrong; `code` says which.
    #[error("unauthenticated: {code}")]
    Unauthenticated { code: &'static str },
    /// The caller may see the resource but not do this to it.
    #[error("forbidden: {code}")]
    Forbidden { code: &'static str },
    /// The request conflicts with the current state (duplicate, wrong state, stale version).
    #[error("conflict: {code}")]
    Conflict { code: &'static str },
    /// Input that is well-formed but breaks a rule.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// A business rule refuses the operation (`payment_required`, `attempts_exhausted`, ...).
    #[error("rule: {code}")]
    Rule { code: &'static str },
    /// The database cannot be reached right now.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A dependency (Stripe, Calendly, SMTP) failed.
    #[error("dependency {dependency} failed: {message}")]
    Dependency {
        dependency: &'static str,
        message: String,
    },
    /// Anything else: a bug or an unexpected database error. Never shown to clients.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A single-field validation error.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }])
    }

    /// Whether the error is a unique-constraint violation (used to turn races into conflicts).
    pub fn is_unique_violation(err: &DbErr) -> bool {
        matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        match &err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => Self::Unavailable(err.to_string()),
            DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))
                if is_connection_error(e.as_ref()) =>
            {
                Self::Unavailable(err.to_string())
            }
            _ => Self::Internal(err.to_string()),
        }
    }
}

fn is_connection_error(err: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error as E;
    matches!(
        err,
        E::Io(_) | E::PoolTimedOut | E::PoolClosed | E::Tls(_) | E::WorkerCrashed
    )
}
