//! The service error: what went wrong, in domain terms.

use sea_orm::{DbErr, RuntimeErr, SqlErr};

use crate::problem::Problem;

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
    /// A declared refusal: not found, conflict, a broken rule, ... (see [`crate::problem`]).
    #[error("{}", .0.code)]
    Problem(&'static Problem),
    /// Input that is well-formed but breaks a rule, field by field.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// A serialization failure (deadlock, lock wait timeout, write conflict, SQLite busy): the
    /// whole transaction may be retried ([`crate::db::retrying`] does).
    #[error("database busy: {0}")]
    Busy(String),
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

impl From<&'static Problem> for Error {
    fn from(problem: &'static Problem) -> Self {
        Self::Problem(problem)
    }
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

    /// Whether this is the declared `problem`.
    pub fn is(&self, problem: &'static Problem) -> bool {
        matches!(self, Self::Problem(p) if std::ptr::eq(*p, problem))
    }

    /// A unique violation as [`Error::Busy`] (a concurrent insert won: retrying reads its row),
    /// anything else as usual. For "put" operations run under [`crate::db::retrying`].
    pub fn busy_if_unique(err: DbErr) -> Self {
        if Self::is_unique_violation(&err) {
            Self::Busy(err.to_string())
        } else {
            err.into()
        }
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
            _ if is_serialization_failure(&err) => Self::Busy(err.to_string()),
            _ => Self::Internal(err.to_string()),
        }
    }
}

/// Deadlock (MySQL 1213), lock wait timeout (1205), a row changed since the snapshot (MariaDB
/// 1020, with `innodb_snapshot_isolation`), TiDB write conflicts (9007, 8002, 8022), SQLite busy
/// or locked (5, 517, 6).
fn is_serialization_failure(err: &DbErr) -> bool {
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return false;
    };
    let Some(db) = e.as_database_error() else {
        return false;
    };
    if let Some(mysql) = db.try_downcast_ref::<sea_orm::sqlx::mysql::MySqlDatabaseError>() {
        return matches!(mysql.number(), 1020 | 1205 | 1213 | 8002 | 8022 | 9007);
    }
    matches!(
        db.code().as_deref(),
        Some("5" | "517" | "6" | "261" | "262")
    )
}

fn is_connection_error(err: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error as E;
    matches!(
        err,
        E::Io(_) | E::PoolTimedOut | E::PoolClosed | E::Tls(_) | E::WorkerCrashed
    )
}
