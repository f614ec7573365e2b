//! The background worker of `serve`: see `service::jobs`. Recurring work (snapshots, clean-up,
//! metrics samples) is scheduled through the same queue, so there is no other background task.

use service::jobs::{Worker, WorkerOptions};

use crate::state::AppState;

/// The worker of this process, or `None` when `JOB_WORKERS=0`.
pub fn worker(state: &AppState) -> Option<Worker> {
    let settings = &state.settings;
    (settings.job_workers > 0).then(|| {
        Worker::new(
            state.db.clone(),
            state.deps.clone(),
            WorkerOptions::new(
                settings.job_workers,
                settings.job_lease,
                settings.job_poll_interval,
            ),
        )
    })
}
