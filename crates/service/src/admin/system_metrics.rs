//! `systemMetrics`: periodic samples of operational figures.

use chrono::{DateTime, Utc};
use entity::admin::system_metrics;
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::jobs::recurring::{RecurringJob, Schedule};
use crate::jobs::{Context, Job};

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
        record(
            ctx.db,
            &[
                ("db_pool_open", open as f64),
                ("db_pool_in_use", (open - idle) as f64),
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
