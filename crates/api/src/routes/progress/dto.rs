//! Request and response types of the progress domain: lesson and course progress, offline sync
//! batches and daily snapshots.

use chrono::{DateTime, NaiveDate, Utc};
use entity::progress::progress_snapshots;
use serde::{Deserialize, Serialize};
use service::progress::{self, CourseProgress, OpResult, Operation, Outcome};
use utoipa::ToSchema;
use validator::Validate;

use crate::bounded::{Id, Instant, Int, List, Text};

/// Progress of a lesson.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LessonProgressDto {
    pub lesson_id: i64,
    /// 0-100; never decreases.
    pub progress: i32,
    /// Set once the lesson is completed; never cleared.
    pub completed_at: Option<DateTime<Utc>>,
    /// Total seconds spent in the lesson.
    pub time_spent_seconds: i64,
    /// Grows by one with every change.
    pub sync_version: i32,
    pub last_sync_at: Option<DateTime<Utc>>,
    /// The caller's progress in the whole course, 0-100.
    pub course_progress: i32,
}

impl From<progress::LessonProgress> for LessonProgressDto {
    fn from(p: progress::LessonProgress) -> Self {
        Self {
            lesson_id: p.lesson_id,
            progress: p.progress,
            completed_at: p.completed_at,
            time_spent_seconds: p.time_spent_seconds,
            sync_version: p.sync_version,
            last_sync_at: p.last_sync_at,
            course_progress: p.course_progress,
        }
    }
}

/// A percentage of a lesson.
pub type Percent = Int<0, 100>;
/// Seconds spent since the previous report.
pub type TimeDelta = Int<0, { progress::MAX_TIME_DELTA_SECONDS }>;

/// A progress report from an online client.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"progress": 60, "timeSpentSeconds": 120}))]
pub struct ProgressRequest {
    /// Percent of the lesson done.
    pub progress: Percent,
    /// Seconds spent since the previous report (added to the total).
    pub time_spent_seconds: Option<TimeDelta>,
    /// Marks the lesson completed (sticky).
    pub completed: Option<bool>,
}

impl ProgressRequest {
    /// The online report of progress in lesson `lesson_id`.
    pub fn into_operation(self, lesson_id: i64) -> Operation {
        Operation {
            client_op_id: None,
            lesson_id,
            progress: self.progress.into(),
            time_spent_seconds: self.time_spent_seconds.map_or(0, Into::into),
            completed: self.completed.unwrap_or(false),
            recorded_at: None,
            graded: false,
        }
    }
}

/// Progress of the caller in a course.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CourseProgressDto {
    pub course_id: i64,
    /// Completed lessons of the caller over the lessons of the course, 0-100.
    pub progress: i32,
    pub completed_lessons: i64,
    pub total_lessons: i64,
    pub completed: bool,
}

impl From<CourseProgress> for CourseProgressDto {
    fn from(p: CourseProgress) -> Self {
        Self {
            course_id: p.course_id,
            progress: p.progress,
            completed_lessons: p.completed_lessons,
            total_lessons: p.total_lessons,
            completed: p.completed,
        }
    }
}

/// One offline operation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SyncOperationDto {
    /// Unique per learner and operation; a replay with the same id changes nothing.
    pub client_op_id: Text<1, { progress::MAX_CLIENT_OP_ID }>,
    pub lesson_id: Id,
    /// Percent of the lesson done.
    pub progress: Percent,
    /// Seconds spent since the device's previous operation for this lesson (default 0).
    pub time_spent_seconds: Option<TimeDelta>,
    #[serde(default)]
    pub completed: bool,
    /// When the device recorded it; operations apply in this order.
    pub recorded_at: Option<Instant>,
}

impl From<SyncOperationDto> for Operation {
    fn from(op: SyncOperationDto) -> Self {
        Self {
            client_op_id: Some(op.client_op_id.into()),
            lesson_id: op.lesson_id.into(),
            progress: op.progress.into(),
            time_spent_seconds: op.time_spent_seconds.map_or(0, Into::into),
            completed: op.completed,
            recorded_at: op.recorded_at.map(Into::into),
            graded: false,
        }
    }
}

/// A batch of offline operations (at most 500).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "deviceId": "ipad-7f3a",
    "operations": [
        {"clientOpId": "b7c2e0a4-2f1d-4c55-9a8e-0d8f6b2a1c11", "lessonId": 31, "progress": 80,
         "timeSpentSeconds": 240, "recordedAt": "2026-11-30T14:02:11Z"},
        {"clientOpId": "b7c2e0a4-2f1d-4c55-9a8e-0d8f6b2a1c12", "lessonId": 32, "progress": 100,
         "completed": true, "timeSpentSeconds": 610, "recordedAt": "2026-11-30T14:12:40Z"}
    ]
}))]
pub struct SyncRequest {
    pub device_id: Option<Text<1, { progress::MAX_DEVICE_ID }>>,
    pub operations: List<SyncOperationDto, 1, { progress::MAX_BATCH }>,
}

/// Outcome of one operation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncResultDto {
    pub client_op_id: Option<String>,
    /// `applied`, `duplicate` (the same id twice in one batch) or `rejected`.
    #[schema(example = "applied")]
    pub status: String,
    /// Why an operation was rejected: `lesson_not_found`, `enrollment_required`, `invalid_operation`.
    pub code: Option<String>,
    pub lesson_progress: Option<LessonProgressDto>,
}

impl From<OpResult> for SyncResultDto {
    fn from(r: OpResult) -> Self {
        Self {
            client_op_id: r.client_op_id,
            status: match r.status {
                Outcome::Applied => "applied",
                Outcome::Duplicate => "duplicate",
                Outcome::Rejected => "rejected",
            }
            .to_owned(),
            code: r.code,
            lesson_progress: r.lesson_progress.map(Into::into),
        }
    }
}

/// Results, in the order of the operations.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncResponse {
    pub results: Vec<SyncResultDto>,
}

impl From<Vec<OpResult>> for SyncResponse {
    fn from(results: Vec<OpResult>) -> Self {
        Self {
            results: results.into_iter().map(Into::into).collect(),
        }
    }
}

/// A daily snapshot of my progress in a course.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotDto {
    pub id: i64,
    pub course_id: i64,
    pub snapshot_date: NaiveDate,
    /// `{progress, status, lessonsTouched, timeSpentSeconds}` at the end of that day.
    pub snapshot: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl From<progress_snapshots::Model> for SnapshotDto {
    fn from(s: progress_snapshots::Model) -> Self {
        Self {
            id: s.id,
            course_id: s.course_id,
            snapshot_date: s.snapshot_date,
            snapshot: s.snapshot,
            created_at: s.created_at,
        }
    }
}
