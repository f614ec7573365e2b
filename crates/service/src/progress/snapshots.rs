//! Daily progress snapshots: one `progressSnapshots` row per (learner, course) with activity
//! that day, for trend charts and HR reports. Idempotent: running a day twice changes nothing.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::courses::{lessons, modules};
use entity::enrollments::enrollments;
use entity::progress::{lesson_progress, progress_snapshots};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait,
    Set,
};
use serde::{Deserialize, Serialize};

use crate::auth::actor::Actor;
use crate::db::Db;
use crate::jobs::recurring::{RecurringJob, Schedule};
use crate::jobs::{Context, Job};
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::{Error, Result};

/// Writes the previous UTC day's snapshots, every day at 00:10 UTC (once across replicas).
#[derive(Debug, Serialize, Deserialize)]
pub struct TakeDailySnapshots {
    /// The occurrence: snapshots are taken for the day before it.
    pub occurrence: DateTime<Utc>,
}

impl Job for TakeDailySnapshots {
    const KIND: &'static str = "progress.take_daily_snapshots";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let day = self.occurrence.date_naive() - chrono::Duration::days(1);
        let count = take(ctx.db, day).await?;
        tracing::info!(%day, count, "progress snapshots written");
        Ok(())
    }
}

impl RecurringJob for TakeDailySnapshots {
    const SCHEDULE: Schedule = Schedule::DailyAt {
        hour: 0,
        minute: 10,
    };

    fn occurrence(at: DateTime<Utc>) -> Self {
        Self { occurrence: at }
    }
}

crate::register_recurring_job!(TakeDailySnapshots);

/// Writes the snapshots of `date` (UTC day); returns how many (user, course) pairs had activity.
pub async fn take(db: &impl Db, date: NaiveDate) -> Result<usize> {
    let start = date
        .and_hms_opt(0, 0, 0)
        .ok_or_else(|| Error::Internal("invalid date".to_owned()))?
        .and_utc();
    let end = start + chrono::Duration::days(1);
    // Lessons with progress activity that day, with their course; summed per (user, course).
    let touched: Vec<(i64, i64, i64)> = lesson_progress::Entity::find()
        .select_only()
        .column(lesson_progress::Column::UserId)
        .column(modules::Column::CourseId)
        .column(lesson_progress::Column::TimeSpentSeconds)
        .join(
            JoinType::InnerJoin,
            lesson_progress::Relation::Lessons.def(),
        )
        .join(JoinType::InnerJoin, lessons::Relation::Modules.def())
        .filter(lesson_progress::Column::LastSyncAt.gte(start))
        .filter(lesson_progress::Column::LastSyncAt.lt(end))
        .into_tuple()
        .all(db)
        .await?;
    let mut per_pair: HashMap<(i64, i64), (i64, i64)> = HashMap::new();
    for (user_id, course_id, seconds) in touched {
        let entry = per_pair.entry((user_id, course_id)).or_default();
        entry.0 += 1;
        entry.1 += seconds;
    }
    let active: Vec<(i64, i64, i64, i64)> = per_pair
        .into_iter()
        .map(|((u, c), (lessons, seconds))| (u, c, lessons, seconds))
        .collect();
    if active.is_empty() {
        return Ok(0);
    }
    let users: Vec<i64> = active.iter().map(|(u, _, _, _)| *u).collect();
    let enrollment_of: HashMap<(i64, i64), enrollments::Model> = enrollments::Entity::find()
        .filter(enrollments::Column::UserId.is_in(users))
        .all(db)
        .await?
        .into_iter()
        .map(|e| ((e.user_id, e.course_id), e))
        .collect();
    let now = crate::now();
    let rows: Vec<progress_snapshots::ActiveModel> = active
        .iter()
        .map(|(user_id, course_id, lessons_touched, seconds)| {
            let enrollment = enrollment_of.get(&(*user_id, *course_id));
            progress_snapshots::ActiveModel {
                user_id: Set(*user_id),
                course_id: Set(*course_id),
                snapshot: Set(serde_json::json!({
                    "progress": enrollment.map_or(0, |e| e.progress),
                    "status": enrollment.map(|e| e.status),
                    "lessonsTouched": lessons_touched,
                    // Total time recorded so far on the lessons touched that day.
                    "timeSpentSeconds": seconds,
                })),
                snapshot_date: Set(date),
                created_at: Set(now),
                ..Default::default()
            }
        })
        .collect();
    let count = rows.len();
    progress_snapshots::Entity::insert_many(rows)
        .on_conflict_do_nothing_on([
            progress_snapshots::Column::UserId,
            progress_snapshots::Column::CourseId,
            progress_snapshots::Column::SnapshotDate,
        ])
        .exec(db)
        .await?;
    Ok(count)
}

/// The caller's snapshots, newest first.
pub async fn mine(
    db: &impl ConnectionTrait,
    actor: &Actor,
    page: PageRequest,
) -> Result<Page<progress_snapshots::Model>> {
    actor.require_scope("profile:read")?;
    let query = progress_snapshots::Entity::find()
        .filter(progress_snapshots::Column::UserId.eq(actor.user_id));
    let rows = pagination::keyset(
        query,
        progress_snapshots::Column::CreatedAt,
        progress_snapshots::Column::Id,
        &page,
    )
    .all(db)
    .await?;
    Ok(pagination::finish(rows, &page, |s| Cursor {
        at: s.created_at,
        id: s.id,
    }))
}
