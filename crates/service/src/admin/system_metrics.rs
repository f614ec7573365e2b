//! `systemMetrics`: periodic samples of operational figures, read by operators
//! (`GET /admin/metrics`): every minute, once across replicas, the connection pool of the replica
//! that samples and the job queue (queued jobs due, dead jobs). Samples are kept
//! [`METRIC_RETENTION_DAYS`] days and error logs [`ERROR_RETENTION_DAYS`] days ([`PurgeOperations`]).

use chrono::{DateTime, Duration, Utc};
use entity::admin::{error_logs, system_metrics};
use entity::enums::JobStatus;
use entity::jobs::background_jobs;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::auth::actor::Actor;
use crate::jobs::recurring::{RecurringJob, Schedule};
use crate::jobs::{Context, Job};
use crate::pagination::{self, Cursor, Page, PageRequest};

/// Samples the connection pool of the replica that runs it, every minute (once across replicas).
#[derive(Debug, Serialize, Deserialize)]
pub struct SamplePool {
    pub occurrence: DateTime<Utc>,
}

impl Job for SamplePool {
    const KIND: &'static str = "admin.sample_pool";
    const MAX_ATTEMPTS: i32 = 1;

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let (open, idle) = crate::db::pool_usage(ctx.db);
        let due = background_jobs::Entity::find()
            .filter(background_jobs::Column::Status.eq(JobStatus::Queued))
            .filter(background_jobs::Column::RunAt.lte(ctx.now))
            .count(ctx.db)
            .await?;
        let dead = background_jobs::Entity::find()
            .filter(background_jobs::Column::Status.eq(JobStatus::Dead))
            .count(ctx.db)
            .await?;
        record(
            ctx.db,
            &[
                ("db_pool_open", open as f64),
                ("db_pool_in_use", (open - idle) as f64),
                ("job_queue_due", due as f64),
                ("job_queue_dead", dead as f64),
            ],
        )
        .await
    }
}

impl RecurringJob for SamplePool {
    const SCHEDULE: Schedule = Schedule::EverySeconds(60);

    fn occurrence(at: DateTime<Utc>) -> Self {
        Self { occurrence: at }
    }
}

crate::register_recurring_job!(SamplePool);

/// Writes one row per `(metric, value)`, all stamped now.
pub async fn record(db: &impl ConnectionTrait, samples: &[(&str, f64)]) -> Result<()> {
    let now = crate::now();
    let rows = samples
        .iter()
        .map(|(metric, value)| system_metrics::ActiveModel {
            metric: Set((*metric).to_owned()),
            value: Set(*value),
            timestamp: Set(now),
            created_at: Set(now),
            ..Default::default()
        });
    system_metrics::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// How long samples are kept.
pub const METRIC_RETENTION_DAYS: i64 = 30;
/// How long error logs are kept.
pub const ERROR_RETENTION_DAYS: i64 = 90;
/// Longest metric name (the column's length).
pub const MAX_METRIC: usize = 128;

/// Filters of the samples.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub name: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Samples, newest first (administrators; keys need `ops:read`).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: Filter,
    page: PageRequest,
) -> Result<Page<system_metrics::Model>> {
    actor.require_admin("ops:read")?;
    let mut query = system_metrics::Entity::find();
    if let Some(name) = filter.name {
        query = query.filter(system_metrics::Column::Metric.eq(name));
    }
    let query = pagination::within(
        query,
        system_metrics::Column::Timestamp,
        filter.from,
        filter.to,
    );
    let rows = pagination::keyset(
        query,
        system_metrics::Column::Timestamp,
        system_metrics::Column::Id,
        &page,
    )
    .all(db)
    .await?;
    Ok(pagination::finish(rows, &page, |row| Cursor {
        at: row.timestamp,
        id: row.id,
    }))
}

/// Deletes samples and error logs past their retention, daily (once across replicas).
#[derive(Debug, Serialize, Deserialize)]
pub struct PurgeOperations {
    pub occurrence: DateTime<Utc>,
}

impl Job for PurgeOperations {
    const KIND: &'static str = "admin.purge_operations";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        system_metrics::Entity::delete_many()
            .filter(
                system_metrics::Column::Timestamp
                    .lt(ctx.now - Duration::days(METRIC_RETENTION_DAYS)),
            )
            .exec(ctx.db)
            .await?;
        error_logs::Entity::delete_many()
            .filter(
                error_logs::Column::Timestamp.lt(ctx.now - Duration::days(ERROR_RETENTION_DAYS)),
            )
            .exec(ctx.db)
            .await?;
        Ok(())
    }
}

impl RecurringJob for PurgeOperations {
    const SCHEDULE: Schedule = Schedule::DailyAt {
        hour: 4,
        minute: 30,
    };

    fn occurrence(at: DateTime<Utc>) -> Self {
        Self { occurrence: at }
    }
}

crate::register_recurring_job!(PurgeOperations);
