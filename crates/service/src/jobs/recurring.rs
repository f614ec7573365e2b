//! Recurring jobs: work that runs on a schedule (daily snapshots, credential clean-up, metrics
//! samples). Every worker queues the latest due occurrence of each schedule with the unique key
//! `<kind>@<occurrence>`, so that N replicas queue, and therefore run, each occurrence once.
//! Missed occurrences (every replica down) are not caught up: the next poll queues the latest.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Duration, TimeZone as _, Utc};
use sea_orm::DatabaseConnection;

use super::{Job, enqueue_once};
use crate::Result;

/// When a recurring job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// At every multiple of this many seconds since the Unix epoch (UTC).
    EverySeconds(u32),
    /// Every day at this UTC time.
    DailyAt { hour: u32, minute: u32 },
}

impl Schedule {
    /// The latest occurrence at or before `now`.
    pub fn latest(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match *self {
            Schedule::EverySeconds(period) => {
                let period = i64::from(period.max(1));
                let at = now.timestamp().div_euclid(period) * period;
                Utc.timestamp_opt(at, 0).single().unwrap_or(now)
            }
            Schedule::DailyAt { hour, minute } => {
                let today = now
                    .date_naive()
                    .and_hms_opt(hour, minute, 0)
                    .map_or(now, |t| t.and_utc());
                if today <= now {
                    today
                } else {
                    today - Duration::days(1)
                }
            }
        }
    }
}

/// A job that runs on a schedule; its payload says which occurrence it is.
pub trait RecurringJob: Job {
    const SCHEDULE: Schedule;
    /// The job for the occurrence at `at`.
    fn occurrence(at: DateTime<Utc>) -> Self;
}

/// Boxed future of queuing one occurrence.
pub type EnqueueFuture<'a> = Pin<Box<dyn Future<Output = Result<bool>> + Send + 'a>>;

/// One registered schedule.
pub struct Recurring {
    pub kind: &'static str,
    pub schedule: Schedule,
    pub enqueue: for<'a> fn(&'a DatabaseConnection, DateTime<Utc>) -> EnqueueFuture<'a>,
}

impl std::fmt::Debug for Recurring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recurring")
            .field("kind", &self.kind)
            .field("schedule", &self.schedule)
            .finish()
    }
}

/// Every registered schedule.
#[allow(unsafe_code)] // linkme's link section; no unsafe code is written
#[linkme::distributed_slice]
pub static RECURRING: [Recurring];

/// Queues the occurrence at `at` of `J` unless some worker already did.
pub fn enqueue_occurrence<J: RecurringJob>(
    db: &DatabaseConnection,
    at: DateTime<Utc>,
) -> EnqueueFuture<'_> {
    Box::pin(async move {
        let key = format!("{}@{}", J::KIND, at.to_rfc3339());
        enqueue_once(db, &J::occurrence(at), at, &key).await
    })
}

/// Registers a [`RecurringJob`]: its handler and its schedule.
#[macro_export]
macro_rules! register_recurring_job {
    ($job:ty) => {
        $crate::register_job!($job);
        const _: () = {
            #[allow(unsafe_code)] // linkme's link section; no unsafe code is written
            #[$crate::jobs::linkme::distributed_slice($crate::jobs::recurring::RECURRING)]
            #[linkme(crate = $crate::jobs::linkme)]
            static RECURRING: $crate::jobs::recurring::Recurring =
                $crate::jobs::recurring::Recurring {
                    kind: <$job as $crate::jobs::Job>::KIND,
                    schedule: <$job as $crate::jobs::recurring::RecurringJob>::SCHEDULE,
                    enqueue: $crate::jobs::recurring::enqueue_occurrence::<$job>,
                };
        };
    };
}

/// Daily at 03:00 UTC: deletes jobs that succeeded more than a week ago, and dead jobs after 30
/// days (time enough for administrators to look at them; their payloads may hold personal data).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct PurgeFinishedJobs {
    pub occurrence: DateTime<Utc>,
}

impl Job for PurgeFinishedJobs {
    const KIND: &'static str = "jobs.purge_finished";
    const MAX_ATTEMPTS: i32 = 3;

    async fn run(self, ctx: &super::Context<'_>) -> Result<()> {
        use entity::enums::JobStatus;
        use entity::jobs::background_jobs::{Column, Entity};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        Entity::delete_many()
            .filter(Column::Status.eq(JobStatus::Succeeded))
            .filter(Column::UpdatedAt.lt(ctx.now - Duration::days(7)))
            .exec(ctx.db)
            .await?;
        Entity::delete_many()
            .filter(Column::Status.eq(JobStatus::Dead))
            .filter(Column::UpdatedAt.lt(ctx.now - Duration::days(30)))
            .exec(ctx.db)
            .await?;
        Ok(())
    }
}

impl RecurringJob for PurgeFinishedJobs {
    const SCHEDULE: Schedule = Schedule::DailyAt { hour: 3, minute: 0 };

    fn occurrence(at: DateTime<Utc>) -> Self {
        Self { occurrence: at }
    }
}

crate::register_recurring_job!(PurgeFinishedJobs);

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_latest_occurrence_is_at_or_before_now() {
        let daily = Schedule::DailyAt {
            hour: 0,
            minute: 10,
        };
        assert_eq!(
            daily.latest(at("2026-12-01T00:09:59Z")),
            at("2026-11-30T00:10:00Z")
        );
        assert_eq!(
            daily.latest(at("2026-12-01T00:10:00Z")),
            at("2026-12-01T00:10:00Z")
        );
        assert_eq!(
            daily.latest(at("2026-12-01T23:00:00Z")),
            at("2026-12-01T00:10:00Z")
        );
        let minutely = Schedule::EverySeconds(60);
        assert_eq!(
            minutely.latest(at("2026-12-01T10:00:59Z")),
            at("2026-12-01T10:00:00Z")
        );
        assert_eq!(
            minutely.latest(at("2026-12-01T10:01:00Z")),
            at("2026-12-01T10:01:00Z")
        );
    }
}
