//! The worker: claims due jobs with a conditional UPDATE and a lease, runs them, records the
//! outcome (see the module docs of [`crate::jobs`]).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::enums::JobStatus;
use entity::jobs::background_jobs::{self, Column};
use std::panic::AssertUnwindSafe;

use futures_util::{FutureExt as _, StreamExt as _};
use rand::Rng as _;
use sea_orm::sea_query::{Condition, Expr, ExprTrait as _};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio::sync::watch;

use super::{Context, handler, recurring};
use crate::{Deps, Result};

/// How a worker behaves.
#[derive(Clone, Debug)]
pub struct WorkerOptions {
    /// Identifies this worker in `lockedBy` (host and process, plus a random suffix).
    pub id: String,
    /// Jobs run at once by this worker.
    pub concurrency: usize,
    /// How long a claim lasts; a job still running after it may be claimed by another worker.
    pub lease: Duration,
    /// Pause between polls when nothing is due.
    pub poll_interval: Duration,
}

impl WorkerOptions {
    /// Options with a fresh worker id.
    pub fn new(concurrency: usize, lease: Duration, poll_interval: Duration) -> Self {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".to_owned());
        let suffix: u32 = rand::rng().random();
        Self {
            id: format!("{host}:{}:{suffix:08x}", std::process::id()),
            concurrency: concurrency.max(1),
            lease,
            poll_interval,
        }
    }
}

/// Runs background jobs; one per replica.
#[derive(Debug)]
pub struct Worker {
    db: DatabaseConnection,
    deps: Deps,
    options: WorkerOptions,
    /// Latest occurrence of each recurring job this worker queued: saves an INSERT per poll. The
    /// unique key in the table is what makes an occurrence run once across replicas.
    scheduled: Mutex<HashMap<&'static str, DateTime<Utc>>>,
}

/// How many due jobs one round looks at.
const BATCH: u64 = 32;
/// Longest `lastError` kept.
const ERROR_MAX: usize = 4000;

/// Delay before retrying after `attempts` failed attempts: 10 s doubling up to an hour, with up to
/// 25 % random jitter so that jobs failing together do not retry together.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    let base = Ord::min(10_i64.saturating_mul(1_i64 << Ord::min(exponent, 12)), 3600);
    let jitter = rand::rng().random_range(0..=base / 4);
    chrono::Duration::seconds(base + jitter)
}

impl Worker {
    pub fn new(db: DatabaseConnection, deps: Deps, options: WorkerOptions) -> Self {
        Self {
            db,
            deps,
            options,
            scheduled: Mutex::new(HashMap::new()),
        }
    }

    /// The worker's id (as written in `lockedBy`).
    pub fn id(&self) -> &str {
        &self.options.id
    }

    /// Polls until `stop` flips: queues due occurrences of recurring jobs, runs due jobs, and
    /// sleeps `poll_interval` when none is due. A job in progress when `stop` flips is finished;
    /// nothing new is claimed.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        tracing::info!(worker = %self.options.id, "job worker started");
        loop {
            if *stop.borrow() {
                break;
            }
            match self.run_due(crate::now(), &stop).await {
                Ok(ran) if ran > 0 => continue,
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "job worker round failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(self.options.poll_interval) => {}
                _ = stop.changed() => break,
            }
        }
        tracing::info!(worker = %self.options.id, "job worker stopped");
    }

    /// Queues the recurring occurrences due now, then claims and runs due jobs until none is
    /// left (jobs that the run queued for now included). Returns how many ran. `at` is a lower
    /// bound of the clock: the worker passes the current time, tests a later one to make retries
    /// and schedules due. Every claim, lease and retry time is computed from a fresh reading.
    pub async fn run_due(&self, at: DateTime<Utc>, stop: &watch::Receiver<bool>) -> Result<usize> {
        self.schedule_recurring(clock(at)).await;
        let mut ran = 0;
        loop {
            if *stop.borrow() {
                return Ok(ran);
            }
            let now = clock(at);
            self.bury_exhausted(now).await?;
            let mut due = background_jobs::Entity::find()
                .filter(waiting_and_due(now))
                .order_by_asc(Column::RunAt)
                .limit(BATCH)
                .all(&self.db)
                .await?;
            due.extend(
                background_jobs::Entity::find()
                    .filter(abandoned(now))
                    .limit(BATCH)
                    .all(&self.db)
                    .await?,
            );
            if due.is_empty() {
                return Ok(ran);
            }
            let outcomes: Vec<Result<bool>> = futures_util::stream::iter(due)
                .map(|job| self.claim_and_run(job, at, stop))
                .buffer_unordered(self.options.concurrency)
                .collect()
                .await;
            let mut claimed = 0;
            for outcome in outcomes {
                if outcome? {
                    claimed += 1;
                }
            }
            ran += claimed;
            if claimed == 0 {
                // Every candidate was taken by another worker: look again, the next ones may be free.
                tokio::task::yield_now().await;
            }
        }
    }

    /// Queues the latest occurrence of each schedule; one failing schedule does not stop the others.
    async fn schedule_recurring(&self, now: DateTime<Utc>) {
        for job in recurring::RECURRING.iter() {
            let occurrence = job.schedule.latest(now);
            let known = self
                .scheduled
                .lock()
                .ok()
                .and_then(|map| map.get(job.kind).copied());
            if known.is_some_and(|t| t >= occurrence) {
                continue;
            }
            if let Err(err) = (job.enqueue)(&self.db, occurrence).await {
                tracing::warn!(kind = job.kind, error = %err, "recurring job not queued");
                continue;
            }
            if let Ok(mut map) = self.scheduled.lock() {
                map.insert(job.kind, occurrence);
            }
        }
    }

    /// Jobs whose worker vanished during their last attempt (the process died, so no error was
    /// recorded) are dead rather than claimed again forever.
    async fn bury_exhausted(&self, now: DateTime<Utc>) -> Result<()> {
        let exhausted_ids: Vec<i64> = background_jobs::Entity::find()
            .select_only()
            .column(Column::Id)
            .filter(exhausted(now))
            .limit(BATCH)
            .into_tuple()
            .all(&self.db)
            .await?;
        for id in exhausted_ids {
            // One row at a time, by primary key, with the condition repeated: replicas doing the
            // same cannot deadlock on a range of the index, and only one of them writes.
            let buried = background_jobs::Entity::update_many()
                .col_expr(Column::Status, Expr::value(JobStatus::Dead))
                .col_expr(
                    Column::LastError,
                    Expr::value("the worker stopped during the last attempt (lease expired)"),
                )
                .col_expr(Column::LockedBy, Expr::value(Option::<String>::None))
                .col_expr(
                    Column::LockedUntil,
                    Expr::value(Option::<DateTime<Utc>>::None),
                )
                .col_expr(Column::UpdatedAt, Expr::value(crate::now()))
                .filter(Column::Id.eq(id))
                .filter(exhausted(now))
                .exec(&self.db)
                .await;
            match buried.map_err(crate::Error::from) {
                Ok(_) | Err(crate::Error::Busy(_)) => {}
                Err(err) => return Err(err),
            }
        }
        Ok(())
    }

    /// Claims `job` (false when another worker won it, or the worker is stopping) and runs it.
    async fn claim_and_run(
        &self,
        job: background_jobs::Model,
        at: DateTime<Utc>,
        stop: &watch::Receiver<bool>,
    ) -> Result<bool> {
        if *stop.borrow() {
            return Ok(false);
        }
        let now = clock(at);
        let lease =
            chrono::Duration::from_std(self.options.lease).unwrap_or(chrono::Duration::minutes(5));
        let claimed = background_jobs::Entity::update_many()
            .col_expr(Column::Status, Expr::value(JobStatus::Running))
            .col_expr(Column::LockedBy, Expr::value(self.options.id.clone()))
            .col_expr(Column::LockedUntil, Expr::value(now + lease))
            .col_expr(Column::Attempts, Expr::value(job.attempts + 1))
            .col_expr(Column::UpdatedAt, Expr::value(crate::now()))
            .filter(Column::Id.eq(job.id))
            // The attempt count read is the one claimed: it fences this attempt's outcome.
            .filter(Column::Attempts.eq(job.attempts))
            .filter(
                Condition::any()
                    .add(waiting_and_due(now))
                    .add(abandoned(now)),
            )
            .exec(&self.db)
            .await;
        match claimed.map_err(crate::Error::from) {
            Ok(claimed) if claimed.rows_affected == 1 => {}
            // Another worker took it, or a lock conflict with one that is taking it.
            Ok(_) | Err(crate::Error::Busy(_)) => return Ok(false),
            Err(err) => return Err(err),
        }
        let job = background_jobs::Model {
            status: JobStatus::Running,
            locked_by: Some(self.options.id.clone()),
            locked_until: Some(now + lease),
            attempts: job.attempts + 1,
            ..job
        };
        let outcome = match handler(&job.kind) {
            Some(handler) => {
                let ctx = Context {
                    db: &self.db,
                    deps: &self.deps,
                    job: &job,
                    now,
                };
                // A handler must end well within its lease, or another worker would run it too;
                // a panicking one fails its attempt and does not take the worker down.
                let limit = self.options.lease.mul_f64(0.8);
                let run = AssertUnwindSafe((handler.run)(&ctx, job.payload.clone())).catch_unwind();
                match tokio::time::timeout(limit, run).await {
                    Ok(Ok(outcome)) => outcome,
                    Ok(Err(_)) => Err(crate::Error::Internal(format!(
                        "job `{}` panicked",
                        job.kind
                    ))),
                    Err(_) => Err(crate::Error::Internal(format!(
                        "job `{}` timed out after {} s",
                        job.kind,
                        limit.as_secs()
                    ))),
                }
            }
            None => Err(crate::Error::Internal(format!(
                "no handler for job kind `{}` on this worker",
                job.kind
            ))),
        };
        self.finish(&job, clock(at), outcome).await?;
        Ok(true)
    }

    /// Records the outcome, if this attempt still holds the job (same worker, same attempt).
    async fn finish(
        &self,
        job: &background_jobs::Model,
        now: DateTime<Utc>,
        outcome: Result<()>,
    ) -> Result<()> {
        let update = background_jobs::Entity::update_many()
            .col_expr(Column::LockedBy, Expr::value(Option::<String>::None))
            .col_expr(
                Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(Column::UpdatedAt, Expr::value(crate::now()));
        let update = match &outcome {
            Ok(()) => {
                tracing::info!(job = job.id, kind = %job.kind, attempt = job.attempts, "job succeeded");
                update
                    .col_expr(Column::Status, Expr::value(JobStatus::Succeeded))
                    .col_expr(Column::LastError, Expr::value(Option::<String>::None))
            }
            Err(err) => {
                let message: String = err.to_string().chars().take(ERROR_MAX).collect();
                let dead = job.attempts >= job.max_attempts;
                if dead {
                    tracing::error!(job = job.id, kind = %job.kind, attempt = job.attempts, error = %message, "job dead");
                } else {
                    tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, error = %message, "job attempt failed");
                }
                let update = update.col_expr(Column::LastError, Expr::value(message));
                if dead {
                    update.col_expr(Column::Status, Expr::value(JobStatus::Dead))
                } else {
                    update
                        .col_expr(Column::Status, Expr::value(JobStatus::Failed))
                        .col_expr(Column::RunAt, Expr::value(now + backoff(job.attempts)))
                }
            }
        };
        let update = update
            .filter(Column::Id.eq(job.id))
            .filter(Column::Status.eq(JobStatus::Running))
            .filter(Column::LockedBy.eq(self.options.id.clone()))
            .filter(Column::Attempts.eq(job.attempts));
        let written =
            crate::db::retrying(|| async { Ok(update.clone().exec(&self.db).await?) }).await?;
        if written.rows_affected != 1 {
            tracing::warn!(job = job.id, kind = %job.kind, "job lease lost before its outcome was written");
        }
        Ok(())
    }
}

/// The current time, or `at` when that is later (tests run the queue in the future).
fn clock(at: DateTime<Utc>) -> DateTime<Utc> {
    Ord::max(at, crate::now())
}

/// Queued or failed jobs whose time has come.
fn waiting_and_due(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(Column::Status.is_in([JobStatus::Queued, JobStatus::Failed]))
        .add(Column::RunAt.lte(now))
}

/// Running jobs whose lease expired after their last attempt.
fn exhausted(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(Column::Status.eq(JobStatus::Running))
        .add(Column::LockedUntil.lt(now))
        .add(Expr::col(Column::Attempts).gte(Expr::col(Column::MaxAttempts)))
}

/// Running jobs whose lease expired with attempts left: their worker is gone.
fn abandoned(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(Column::Status.eq(JobStatus::Running))
        .add(Column::LockedUntil.lt(now))
        .add(Expr::col(Column::Attempts).lt(Expr::col(Column::MaxAttempts)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_with_bounded_jitter_and_a_ceiling() {
        for attempts in 1..=30 {
            let base = Ord::min(10_i64 << Ord::min(attempts - 1, 12), 3600);
            let delay = backoff(attempts).num_seconds();
            assert!(
                (base..=base + base / 4).contains(&delay),
                "{attempts}: {delay}"
            );
        }
    }
}
