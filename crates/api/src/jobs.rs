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

/// Writes yesterday's progress snapshots at start (idempotent) and then every day at 00:10 UTC.
pub async fn daily_snapshots(state: web::Data<AppState>, mut stop: watch::Receiver<bool>) {
    loop {
        let yesterday = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
        match service::progress::snapshots::take(&state.db, yesterday).await {
            Ok(count) => tracing::info!(%yesterday, count, "progress snapshots written"),
            Err(err) => tracing::warn!(error = %err, "progress snapshots failed"),
        }
        let now = chrono::Utc::now();
        let next = (now.date_naive() + chrono::Duration::days(1))
            .and_hms_opt(0, 10, 0)
            .map_or(now + chrono::Duration::days(1), |t| t.and_utc());
        let wait = (next - now).to_std().unwrap_or(Duration::from_secs(86_400));
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => break,
        }
    }
}
