//! `errorLogs`: every unhandled (5xx) error, with its request context, for operators.

use entity::admin::error_logs;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::Result;

/// Context of a failed request.
#[derive(Debug, Clone, Default)]
pub struct FailedRequest {
    pub message: String,
    pub stack: Option<String>,
    pub user_id: Option<i64>,
    pub request_id: Option<String>,
    pub path: Option<String>,
    pub method: Option<String>,
    pub status: Option<i32>,
}

fn truncate(value: &str, max: usize) -> String {
    value.chars().take(max).collect()
}

/// Records an unhandled error.
pub async fn record(db: &impl ConnectionTrait, failed: FailedRequest) -> Result<()> {
    let now = crate::now();
    error_logs::ActiveModel {
        level: Set("error".to_owned()),
        message: Set(truncate(&failed.message, 10_000)),
        stack: Set(failed.stack.map(|s| truncate(&s, 20_000))),
        user_id: Set(failed.user_id),
        timestamp: Set(now),
        request_id: Set(failed.request_id.map(|s| truncate(&s, 64))),
        path: Set(failed.path.map(|s| truncate(&s, 512))),
        method: Set(failed.method.map(|s| truncate(&s, 10))),
        status: Set(failed.status),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
