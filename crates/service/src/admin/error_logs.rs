//! `errorLogs`: every unhandled (5xx) error, with its request context, for operators
//! (`GET /admin/error-logs`); kept [`super::system_metrics::ERROR_RETENTION_DAYS`] days.

use chrono::{DateTime, Utc};
use entity::admin::error_logs;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::Result;
use crate::auth::actor::Actor;
use crate::pagination::{self, Cursor, Page, PageRequest};

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

/// Longest path filter (the column's length).
pub const MAX_PATH: usize = 512;

/// Filters of the error log.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Requests whose path starts with this.
    pub path: Option<String>,
    pub status: Option<i32>,
    pub user_id: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Recorded errors, newest first (administrators; keys need `ops:read`).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: Filter,
    page: PageRequest,
) -> Result<Page<error_logs::Model>> {
    actor.require_admin("ops:read")?;
    let mut query = error_logs::Entity::find();
    if let Some(path) = filter.path {
        query = query.filter(error_logs::Column::Path.starts_with(path));
    }
    if let Some(status) = filter.status {
        query = query.filter(error_logs::Column::Status.eq(status));
    }
    if let Some(user_id) = filter.user_id {
        query = query.filter(error_logs::Column::UserId.eq(user_id));
    }
    let query = pagination::within(query, error_logs::Column::Timestamp, filter.from, filter.to);
    let rows = pagination::keyset(
        query,
        error_logs::Column::CreatedAt,
        error_logs::Column::Id,
        &page,
    )
    .all(db)
    .await?;
    Ok(pagination::finish(rows, &page, |row| Cursor {
        at: row.created_at,
        id: row.id,
    }))
}
