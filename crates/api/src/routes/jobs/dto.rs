//! Request and response types of the job queue's administration.

use chrono::{DateTime, Utc};
use entity::enums::JobStatus;
use entity::jobs::background_jobs;
use serde::{Deserialize, Serialize};
use service::jobs::admin::Filter;
use utoipa::{IntoParams, ToSchema};

use crate::bounded::Text;

/// A background job, as administrators see it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobDto {
    #[schema(example = 1289)]
    pub id: i64,
    /// What the job does: `<domain>.<what>`.
    #[schema(example = "auth.send_password_reset")]
    pub kind: String,
    pub status: JobStatus,
    /// When the job is (or was) due.
    pub run_at: DateTime<Utc>,
    /// Attempts made so far.
    #[schema(example = 1)]
    pub attempts: i32,
    #[schema(example = 8)]
    pub max_attempts: i32,
    /// The worker holding the job while it runs.
    pub locked_by: Option<String>,
    /// End of that worker's lease.
    pub locked_until: Option<DateTime<Utc>>,
    /// Error of the last failed attempt.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<background_jobs::Model> for JobDto {
    fn from(job: background_jobs::Model) -> Self {
        Self {
            id: job.id,
            kind: job.kind,
            status: job.status,
            run_at: job.run_at,
            attempts: job.attempts,
            max_attempts: job.max_attempts,
            locked_by: job.locked_by,
            locked_until: job.locked_until,
            last_error: job.last_error,
            created_at: job.created_at,
            updated_at: job.updated_at,
        }
    }
}

/// Filters of the job list. The payload is not shown: it may hold personal data.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct JobQuery {
    /// Only jobs in this state.
    pub status: Option<JobStatus>,
    /// Only jobs of this kind, for example `auth.send_email_verification`.
    pub kind: Option<Text<1, 64>>,
}

impl From<JobQuery> for Filter {
    fn from(query: JobQuery) -> Self {
        Self {
            status: query.status,
            kind: query.kind.map(Into::into),
        }
    }
}
