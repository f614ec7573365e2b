//! Durable background jobs on `backgroundJobs`, and the transactional outbox built on them.
//!
//! A side effect of a change (a mail, a domain event, later a push or a webhook delivery) is a
//! job row inserted by [`enqueue`] **in the same transaction as the change**: if the change rolls
//! back, the job never existed; if it commits, the job will run, even across restarts.
//!
//! - A job is a serde type implementing [`Job`] (its `KIND` names it in the table) and registered
//!   with [`register_job!`], next to its code: the registry is collected at link time, so a new
//!   domain adds jobs without editing a central list.
//! - Workers ([`Worker`], one per replica, see `serve`) claim due jobs with a conditional `UPDATE …
//!   WHERE status IN ('queued','failed') AND runAt <= now` (or an expired lease), whose affected-row
//!   count decides the winner: no `SELECT … FOR UPDATE SKIP LOCKED`, which TiDB ignores. A claim
//!   sets a lease (`lockedBy`, `lockedUntil`); a worker that dies leaves a lease that expires, and
//!   the job is claimed again. Results are written only by the lease holder.
//! - A failed attempt is retried with exponential backoff and jitter (status `failed`, `runAt` in
//!   the future); after `maxAttempts` the job is `dead` with its last error, until an administrator
//!   retries it. Handlers must therefore be idempotent: a job may run more than once (a lease that
//!   expired while it was still running, a crash after its effect but before its result).
//! - Recurring work ([`recurring`]) and domain events ([`events`]) are jobs too.

pub mod admin;
pub mod events;
pub mod recurring;
mod worker;

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use entity::enums::JobStatus;
use entity::jobs::background_jobs;
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, DatabaseConnection, EntityTrait, Set};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use worker::{Worker, WorkerOptions};

use crate::{Deps, Error, Result};

#[doc(hidden)]
pub use linkme;

/// Longest `uniqueKey` (the column's length).
pub const UNIQUE_KEY_MAX: usize = 191;

/// A kind of background work: its payload is `Self`, stored as JSON.
pub trait Job: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The `kind` column: `<domain>.<what>`, at most 64 characters, stable across releases.
    const KIND: &'static str;
    /// Attempts before the job is `dead`.
    const MAX_ATTEMPTS: i32 = 8;

    /// Does the work. Must be idempotent (see the module docs).
    fn run(self, ctx: &Context<'_>) -> impl Future<Output = Result<()>> + Send;
}

/// What a running job can use.
pub struct Context<'a> {
    /// The pool: a handler opens its own transactions where it needs them.
    pub db: &'a DatabaseConnection,
    pub deps: &'a Deps,
    /// The job's row, as claimed (attempts already counts this attempt).
    pub job: &'a background_jobs::Model,
    /// The time this run is for (the worker's clock; tests move it forward).
    pub now: DateTime<Utc>,
}

/// A boxed, type-erased run of one job.
pub type RunFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// One registered job kind.
pub struct Handler {
    pub kind: &'static str,
    pub run: for<'a> fn(&'a Context<'a>, serde_json::Value) -> RunFuture<'a>,
}

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handler").field("kind", &self.kind).finish()
    }
}

/// Every registered job kind.
#[allow(unsafe_code)] // linkme's link section; no unsafe code is written
#[linkme::distributed_slice]
pub static HANDLERS: [Handler];

/// The handler of `kind`, if one is registered.
pub fn handler(kind: &str) -> Option<&'static Handler> {
    HANDLERS.iter().find(|h| h.kind == kind)
}

/// Decodes the payload and runs the job (what [`register_job!`] stores for a type).
pub fn run_typed<'a, J: Job>(ctx: &'a Context<'a>, payload: serde_json::Value) -> RunFuture<'a> {
    Box::pin(async move {
        let job: J = serde_json::from_value(payload)
            .map_err(|e| Error::Internal(format!("{} payload: {e}", J::KIND)))?;
        job.run(ctx).await
    })
}

/// Registers a [`Job`] type so that workers can run it: `register_job!(SendPasswordReset);`
#[macro_export]
macro_rules! register_job {
    ($job:ty) => {
        const _: () = {
            #[allow(unsafe_code)] // linkme's link section; no unsafe code is written
            #[$crate::jobs::linkme::distributed_slice($crate::jobs::HANDLERS)]
            #[linkme(crate = $crate::jobs::linkme)]
            static HANDLER: $crate::jobs::Handler = $crate::jobs::Handler {
                kind: <$job as $crate::jobs::Job>::KIND,
                run: $crate::jobs::run_typed::<$job>,
            };
        };
    };
}

fn row<J: Job>(
    job: &J,
    run_at: DateTime<Utc>,
    unique_key: Option<String>,
) -> Result<background_jobs::ActiveModel> {
    let payload = serde_json::to_value(job)
        .map_err(|e| Error::Internal(format!("{} payload: {e}", J::KIND)))?;
    let now = crate::now();
    Ok(background_jobs::ActiveModel {
        id: NotSet,
        kind: Set(J::KIND.to_owned()),
        payload: Set(payload),
        status: Set(JobStatus::Queued),
        run_at: Set(run_at),
        attempts: Set(0),
        max_attempts: Set(J::MAX_ATTEMPTS),
        locked_by: Set(None),
        locked_until: Set(None),
        last_error: Set(None),
        unique_key: Set(unique_key),
        created_at: Set(now),
        updated_at: Set(now),
    })
}

/// Queues `job` to run as soon as a worker is free. Call it with the transaction of the change
/// the job belongs to: it commits or rolls back with it.
pub async fn enqueue<J: Job>(db: &impl ConnectionTrait, job: &J) -> Result<()> {
    enqueue_at(db, job, crate::now()).await
}

/// Queues `job` to run at `run_at` (see [`enqueue`]).
pub async fn enqueue_at<J: Job>(
    db: &impl ConnectionTrait,
    job: &J,
    run_at: DateTime<Utc>,
) -> Result<()> {
    background_jobs::Entity::insert(row(job, run_at, None)?)
        .exec(db)
        .await?;
    Ok(())
}

/// Queues `job` unless a job with `unique_key` was ever queued; returns whether this call queued
/// it. Many replicas may race: the unique index lets exactly one insert through.
pub async fn enqueue_once<J: Job>(
    db: &impl ConnectionTrait,
    job: &J,
    run_at: DateTime<Utc>,
    unique_key: &str,
) -> Result<bool> {
    let key: String = unique_key.chars().take(UNIQUE_KEY_MAX).collect();
    match background_jobs::Entity::insert(row(job, run_at, Some(key))?)
        .exec_without_returning(db)
        .await
    {
        Ok(_) => Ok(true),
        Err(err) if Error::is_unique_violation(&err) => Ok(false),
        Err(err) => Err(err.into()),
    }
}
