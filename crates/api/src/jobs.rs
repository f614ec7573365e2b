//! In-process background tasks. Each one stops when the shutdown channel flips.

use std::time::Duration;

use actix_web::web;
use tokio::sync::watch;

use crate::state::AppState;

/// Samples the pool usage into `systemMetrics` every `every`.
pub async fn sample_system_metrics(
    state: web::Data<AppState>,
    mut stop: watch::Receiver<bool>,
    every: Duration,
) {
    let mut ticker = tokio::time::interval(every);
    ticker.tick().await;
    loop {
        tokio::select! {
            _ = ticker.tick() => {
                let (open, idle) = crate::middleware::metrics::pool_usage(&state.db);
                let samples = [("db_pool_open", open as f64), ("db_pool_in_use", (open - idle) as f64)];
                if let Err(err) = service::admin::system_metrics::record(&state.db, &samples).await {
                    tracing::warn!(error = %err, "system metrics sample failed");
                }
            }
            _ = stop.changed() => break,
        }
    }
}
