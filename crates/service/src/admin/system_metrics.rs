//! `systemMetrics`: periodic samples of operational figures.

use entity::admin::system_metrics;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::Result;

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
