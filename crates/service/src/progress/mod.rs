//! Learning progress: lesson progress (online and offline), course completion, quizzes and daily
//! snapshots.
//!
//! Online updates (`PUT /lessons/{id}/progress`) and offline batches (`POST /sync/progress`) go
//! through [`apply`], which runs one transaction per call: it first takes the learner's row lock
//! (a no-op `UPDATE` of the user, which serialises concurrent batches of one learner on every
//! backend), reads everything it needs in four queries, merges in memory with
//! [`merge::merge`], and writes with two bulk statements plus one per course whose progress
//! moved. Offline operations are recorded in `progressSyncQueue` under `(userId, clientOpId)`:
//! a replayed operation changes nothing and answers its first result verbatim.

pub mod merge;
pub mod snapshots;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::courses::{courses, lessons, modules};
use entity::enrollments::enrollments;
use entity::enums::{CourseStatus, EnrollmentStatus, LessonType, SyncStatus};
use entity::progress::{lesson_progress, progress_sync_queue};
use entity::users::users;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait,
    Set,
};
use serde::{Deserialize, Serialize};

use crate::auth::actor::Actor;
use crate::certificates::Signer;
use crate::db::Db;
use crate::enrollments::ENROLLMENT_REQUIRED;
use crate::jobs::events::{self, Event};
use crate::problem::{NOT_FOUND, Problem, VALIDATION_FAILED};
use crate::{Error, FieldError, Result};
use merge::{Change, State};
use sea_orm::TransactionSession as _;

crate::problems! {
    /// An offline operation (a sync item) that is out of range or malformed.
    pub INVALID_OPERATION: Unprocessable = "invalid_operation",
        "This progress operation is invalid.",
        "Cette opération de progression est invalide.";
    /// An offline operation (a sync item) on a lesson that does not exist or is not visible.
    pub LESSON_NOT_FOUND: NotFound = "lesson_not_found",
        "The lesson does not exist.",
        "La leçon n'existe pas.";
}

/// Largest offline batch.
pub const MAX_BATCH: usize = 500;
/// Largest time delta one operation may report (a day).
pub const MAX_TIME_DELTA_SECONDS: i64 = 86_400;

/// One progress report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Client-chosen id of an offline operation (`None` for online updates).
    pub client_op_id: Option<String>,
    pub lesson_id: i64,
    pub progress: i32,
    pub time_spent_seconds: i64,
    pub completed: bool,
    /// When the client recorded it; operations of a batch are applied in this order.
    pub recorded_at: Option<DateTime<Utc>>,
    /// Set only by quiz grading: a quiz lesson is completed by passing its quiz, never by a
    /// progress report (reports on quiz lessons are capped at 99 and cannot complete them).
    pub graded: bool,
}

/// Progress of a lesson after an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LessonProgress {
    pub lesson_id: i64,
    pub progress: i32,
    pub completed_at: Option<DateTime<Utc>>,
    pub time_spent_seconds: i64,
    pub sync_version: i32,
    pub last_sync_at: Option<DateTime<Utc>>,
    /// Course progress of the learner after the operation, 0-100.
    pub course_progress: i32,
}

/// Outcome of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Applied,
    Duplicate,
    Rejected,
}

/// The answer to one operation (stored for offline operations and replayed verbatim).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpResult {
    pub client_op_id: Option<String>,
    pub status: Outcome,
    pub code: Option<String>,
    pub lesson_progress: Option<LessonProgress>,
}

fn rejected(op: &Operation, problem: &'static Problem) -> OpResult {
    OpResult {
        client_op_id: op.client_op_id.clone(),
        status: Outcome::Rejected,
        code: Some(problem.code.to_owned()),
        lesson_progress: None,
    }
}

fn invalid(op: &Operation) -> bool {
    !(0..=100).contains(&op.progress)
        || !(0..=MAX_TIME_DELTA_SECONDS).contains(&op.time_spent_seconds)
        || op
            .client_op_id
            .as_ref()
            .is_some_and(|id| id.is_empty() || id.chars().count() > 64)
}

/// Longest `clientOpId` (the column's length).
pub const MAX_CLIENT_OP_ID: usize = 64;
/// Longest device id (the column's length).
pub const MAX_DEVICE_ID: usize = 128;

/// Checks the batch as a whole (size, device id, operation ids); per-operation problems are
/// per-item results.
pub fn validate_batch(device_id: Option<&str>, operations: &[Operation]) -> Result<()> {
    let mut problems = Vec::new();
    if operations.is_empty() || operations.len() > MAX_BATCH {
        problems.push(FieldError {
            field: "operations".into(),
            code: "invalid_length".into(),
            message: format!("must hold 1 to {MAX_BATCH} operations"),
        });
    }
    if operations.iter().any(|op| op.client_op_id.is_none()) {
        problems.push(FieldError {
            field: "operations".into(),
            code: "client_op_id_required".into(),
            message: "every operation needs a clientOpId".into(),
        });
    }
    for (i, op) in operations.iter().enumerate() {
        if op
            .client_op_id
            .as_ref()
            .is_some_and(|id| id.is_empty() || id.chars().count() > MAX_CLIENT_OP_ID)
        {
            problems.push(FieldError {
                field: format!("operations.{i}.clientOpId"),
                code: "invalid_length".into(),
                message: format!("must be 1 to {MAX_CLIENT_OP_ID} characters"),
            });
        }
    }
    if device_id.is_some_and(|d| d.chars().count() > MAX_DEVICE_ID) {
        problems.push(FieldError {
            field: "deviceId".into(),
            code: "too_long".into(),
            message: format!("must be at most {MAX_DEVICE_ID} characters"),
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(problems))
    }
}

struct Context {
    /// lesson id → course id, for lessons that exist.
    course_of: HashMap<i64, i64>,
    /// Quiz lessons among them.
    quizzes: HashSet<i64>,
    /// course id → (course, enrollment) for courses the learner may progress in.
    open: HashMap<i64, (courses::Model, enrollments::Model)>,
    states: HashMap<i64, State>,
    replays: HashMap<String, OpResult>,
}

async fn load(db: &impl ConnectionTrait, actor: &Actor, ops: &[Operation]) -> Result<Context> {
    let user_id = actor.user_id;
    let now = crate::now();
    let lesson_ids: Vec<i64> = ops
        .iter()
        .map(|op| op.lesson_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let op_ids: Vec<String> = ops
        .iter()
        .filter_map(|op| op.client_op_id.clone())
        .collect();
    let replays = if op_ids.is_empty() {
        HashMap::new()
    } else {
        progress_sync_queue::Entity::find()
            .filter(progress_sync_queue::Column::UserId.eq(user_id))
            .filter(progress_sync_queue::Column::ClientOpId.is_in(op_ids))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|row| Some((row.client_op_id, serde_json::from_value(row.result?).ok()?)))
            .collect()
    };
    type Found = (i64, i64, LessonType, CourseStatus, Option<i64>);
    let found: Vec<Found> = lessons::Entity::find()
        .select_only()
        .column(lessons::Column::Id)
        .column(modules::Column::CourseId)
        .column(lessons::Column::Type)
        .column(courses::Column::Status)
        .column(courses::Column::InstructorId)
        .join(JoinType::InnerJoin, lessons::Relation::Modules.def())
        .join(JoinType::InnerJoin, modules::Relation::Courses.def())
        .filter(lessons::Column::Id.is_in(lesson_ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let quizzes = found
        .iter()
        .filter(|(_, _, kind, _, _)| *kind == LessonType::Quiz)
        .map(|(id, ..)| *id)
        .collect();
    // Lessons of courses the caller cannot see are unknown to them (a draft's lesson answers
    // like a lesson that does not exist); enrolled learners see archived courses' lessons.
    let hidden: HashSet<i64> = found
        .iter()
        .filter(|(_, _, _, status, instructor)| {
            *status != CourseStatus::Published && !crate::courses::authors(actor, *instructor)
        })
        .map(|(_, course, ..)| *course)
        .collect();
    let mut course_of: HashMap<i64, i64> = found
        .into_iter()
        .map(|(id, course, ..)| (id, course))
        .collect();
    let course_ids: Vec<i64> = course_of
        .values()
        .copied()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let open = enrollments::Entity::find()
        .filter(enrollments::Column::UserId.eq(user_id))
        .filter(enrollments::Column::CourseId.is_in(course_ids))
        .find_also_related(courses::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter(|(e, _)| crate::enrollments::grants_access(e, now))
        .filter_map(|(e, c)| c.map(|c| (c.id, (c, e))))
        .collect::<HashMap<_, _>>();
    course_of.retain(|_, course| !hidden.contains(course) || open.contains_key(course));
    let states = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(user_id))
        .filter(lesson_progress::Column::LessonId.is_in(lesson_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| {
            let state = State {
                progress: p.progress,
                completed_at: p.completed_at,
                time_spent_seconds: p.time_spent_seconds,
                sync_version: p.sync_version,
                last_sync_at: p.last_sync_at,
            };
            (p.lesson_id, state)
        })
        .collect();
    Ok(Context {
        course_of,
        quizzes,
        open,
        states,
        replays,
    })
}

/// Course progress per course for one learner: completed lessons of *this* learner over the
/// lessons of the course, rounded (two grouped queries).
async fn course_progress(
    db: &impl ConnectionTrait,
    user_id: i64,
    course_ids: &[i64],
) -> Result<HashMap<i64, (i64, i64)>> {
    let totals: Vec<(i64, i64)> = lessons::Entity::find()
        .select_only()
        .column(modules::Column::CourseId)
        .column_as(lessons::Column::Id.count(), "total")
        .join(JoinType::InnerJoin, lessons::Relation::Modules.def())
        .filter(modules::Column::CourseId.is_in(course_ids.to_vec()))
        .group_by(modules::Column::CourseId)
        .into_tuple()
        .all(db)
        .await?;
    let done: HashMap<i64, i64> = lesson_progress::Entity::find()
        .select_only()
        .column(modules::Column::CourseId)
        .column_as(lesson_progress::Column::Id.count(), "done")
        .join(
            JoinType::InnerJoin,
            lesson_progress::Relation::Lessons.def(),
        )
        .join(JoinType::InnerJoin, lessons::Relation::Modules.def())
        .filter(lesson_progress::Column::UserId.eq(user_id))
        .filter(lesson_progress::Column::CompletedAt.is_not_null())
        .filter(modules::Column::CourseId.is_in(course_ids.to_vec()))
        .group_by(modules::Column::CourseId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(totals
        .into_iter()
        .map(|(course, total)| (course, (done.get(&course).copied().unwrap_or(0), total)))
        .collect())
}

/// Rounded percentage of `done` over `total` (0 for an empty course).
pub fn percent(done: i64, total: i64) -> i32 {
    if total <= 0 {
        return 0;
    }
    i32::try_from(((done.min(total) * 200 + total) / (2 * total)).clamp(0, 100)).unwrap_or(0)
}

/// Applies one online progress report (`PUT /lessons/{id}/progress`): the same merge as the
/// offline sync, with a refused operation turned into its error (an unknown lesson is
/// [`NOT_FOUND`], as for anything the caller may not see).
pub async fn report(
    db: &impl Db,
    signer: &Signer,
    actor: &Actor,
    op: Operation,
) -> Result<LessonProgress> {
    let result = apply(db, signer, actor, None, vec![op])
        .await?
        .pop()
        .ok_or_else(|| Error::Internal("no result for the progress operation".into()))?;
    match (result.status, result.lesson_progress) {
        (Outcome::Applied, Some(progress)) => Ok(progress),
        _ => Err(match result.code.as_deref() {
            Some(code) if code == ENROLLMENT_REQUIRED.code => ENROLLMENT_REQUIRED,
            Some(code) if code == LESSON_NOT_FOUND.code => NOT_FOUND,
            _ => VALIDATION_FAILED,
        }
        .into()),
    }
}

/// Applies progress operations of the caller (see the module docs) and returns one result per
/// operation, in the order given. Course completion flips the enrollment to `completed` and
/// issues the certificate exactly once, also under concurrent requests (to a verified account;
/// otherwise once the address is verified).
pub async fn apply(
    db: &impl Db,
    signer: &Signer,
    actor: &Actor,
    device_id: Option<&str>,
    ops: Vec<Operation>,
) -> Result<Vec<OpResult>> {
    actor.require_session()?;
    let user_id = actor.user_id;
    let now = crate::now();
    let txn = crate::db::begin(db).await?;
    // Serialises this learner's writers.
    crate::db::lock::<users::Entity>(&txn, users::Column::Id, user_id).await?;
    let mut ctx = load(&txn, actor, &ops).await?;

    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by_key(|&i| ops[i].recorded_at);
    let mut results: Vec<Option<OpResult>> = vec![None; ops.len()];
    // Operations applied by this call (replays keep their stored answer untouched).
    let mut fresh = vec![false; ops.len()];
    let mut seen: HashSet<&str> = HashSet::new();
    let mut touched: BTreeMap<i64, State> = BTreeMap::new();
    let mut queue = Vec::new();
    for i in order {
        let op = &ops[i];
        if let Some(id) = op.client_op_id.as_deref() {
            if let Some(first) = ctx.replays.get(id) {
                results[i] = Some(first.clone());
                continue;
            }
            if !seen.insert(id) {
                results[i] = Some(OpResult {
                    client_op_id: op.client_op_id.clone(),
                    status: Outcome::Duplicate,
                    code: None,
                    lesson_progress: None,
                });
                continue;
            }
        }
        let course = ctx.course_of.get(&op.lesson_id).copied();
        let (result, status, known_lesson) = if invalid(op) {
            (
                rejected(op, INVALID_OPERATION),
                SyncStatus::Rejected,
                course.is_some(),
            )
        } else if course.is_none() {
            (rejected(op, LESSON_NOT_FOUND), SyncStatus::Rejected, false)
        } else if course.is_some_and(|c| !ctx.open.contains_key(&c)) {
            (
                rejected(op, ENROLLMENT_REQUIRED),
                SyncStatus::Rejected,
                true,
            )
        } else {
            let state = ctx.states.get(&op.lesson_id).copied().unwrap_or_default();
            let ungraded_quiz = ctx.quizzes.contains(&op.lesson_id) && !op.graded;
            let change = Change {
                progress: if ungraded_quiz {
                    op.progress.min(99)
                } else {
                    op.progress
                },
                time_spent_seconds: op.time_spent_seconds,
                completed: op.completed && !ungraded_quiz,
            };
            let (next, changed) = merge::merge(state, change, now);
            ctx.states.insert(op.lesson_id, next);
            touched.insert(op.lesson_id, next);
            let view = LessonProgress {
                lesson_id: op.lesson_id,
                progress: next.progress,
                completed_at: next.completed_at,
                time_spent_seconds: next.time_spent_seconds,
                sync_version: next.sync_version,
                last_sync_at: next.last_sync_at,
                course_progress: 0,
            };
            let result = OpResult {
                client_op_id: op.client_op_id.clone(),
                status: Outcome::Applied,
                code: None,
                lesson_progress: Some(view),
            };
            fresh[i] = true;
            (
                result,
                if changed {
                    SyncStatus::Applied
                } else {
                    SyncStatus::Merged
                },
                true,
            )
        };
        if let Some(client_op_id) = &op.client_op_id {
            queue.push((i, client_op_id.clone(), known_lesson, status));
        }
        results[i] = Some(result);
    }

    if !touched.is_empty() {
        let rows = touched
            .iter()
            .map(|(lesson_id, s)| lesson_progress::ActiveModel {
                user_id: Set(user_id),
                lesson_id: Set(*lesson_id),
                progress: Set(s.progress),
                completed_at: Set(s.completed_at),
                last_sync_at: Set(s.last_sync_at),
                time_spent_seconds: Set(s.time_spent_seconds),
                sync_version: Set(s.sync_version),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
        lesson_progress::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    lesson_progress::Column::UserId,
                    lesson_progress::Column::LessonId,
                ])
                .update_columns([
                    lesson_progress::Column::Progress,
                    lesson_progress::Column::CompletedAt,
                    lesson_progress::Column::LastSyncAt,
                    lesson_progress::Column::TimeSpentSeconds,
                    lesson_progress::Column::SyncVersion,
                    lesson_progress::Column::UpdatedAt,
                ])
                .to_owned(),
            )
            .exec(&txn)
            .await?;
    }

    // Course progress of every course an applied operation touched.
    let courses_touched: Vec<i64> = touched
        .keys()
        .filter_map(|l| ctx.course_of.get(l).copied())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut percent_of: HashMap<i64, i32> = HashMap::new();
    if !courses_touched.is_empty() {
        let counts = course_progress(&txn, user_id, &courses_touched).await?;
        for course_id in courses_touched {
            let (done, total) = counts.get(&course_id).copied().unwrap_or((0, 0));
            let value = percent(done, total);
            percent_of.insert(course_id, value);
            if let Some((course, enrollment)) = ctx.open.get(&course_id) {
                settle_enrollment(
                    &txn,
                    signer,
                    user_id,
                    course,
                    enrollment,
                    (done, total),
                    now,
                )
                .await?;
            }
        }
    }
    for (result, _) in results.iter_mut().zip(&fresh).filter(|(_, fresh)| **fresh) {
        if let Some(view) = result.as_mut().and_then(|r| r.lesson_progress.as_mut())
            && let Some(course) = ctx.course_of.get(&view.lesson_id)
        {
            view.course_progress = percent_of.get(course).copied().unwrap_or(0);
        }
    }
    let results: Vec<OpResult> = results.into_iter().flatten().collect();

    if !queue.is_empty() {
        let rows = queue
            .into_iter()
            .map(|(i, client_op_id, known_lesson, status)| {
                let op = &ops[i];
                let result = results.get(i).cloned();
                progress_sync_queue::ActiveModel {
                    user_id: Set(user_id),
                    lesson_id: Set(known_lesson.then_some(op.lesson_id)),
                    data: Set(serde_json::json!({
                        "lessonId": op.lesson_id,
                        "progress": op.progress,
                        "timeSpentSeconds": op.time_spent_seconds,
                        "completed": op.completed,
                        "recordedAt": op.recorded_at,
                    })),
                    synced_at: Set(now),
                    client_op_id: Set(client_op_id),
                    device_id: Set(device_id.map(str::to_owned)),
                    status: Set(status),
                    error: Set(result.as_ref().and_then(|r| r.code.clone())),
                    result: Set(result.and_then(|r| serde_json::to_value(r).ok())),
                    created_at: Set(now),
                    ..Default::default()
                }
            });
        progress_sync_queue::Entity::insert_many(rows)
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(results)
}

/// Stores the course progress on the enrollment; once every lesson is completed, flips it to
/// `completed` (once: the conditional update lets exactly one concurrent request win) and issues
/// the certificate, or withholds it until the learner's e-mail address is verified (see
/// [`crate::certificates`]).
async fn settle_enrollment(
    db: &impl ConnectionTrait,
    signer: &Signer,
    user_id: i64,
    course: &courses::Model,
    enrollment: &enrollments::Model,
    (done, total): (i64, i64),
    now: DateTime<Utc>,
) -> Result<()> {
    let value = percent(done, total);
    // Completion is exact: 199 of 200 lessons rounds to 100 % but is not complete.
    let complete = total > 0 && done >= total;
    if value != enrollment.progress {
        enrollments::Entity::update_many()
            .col_expr(enrollments::Column::Progress, Expr::value(value))
            .col_expr(enrollments::Column::UpdatedAt, Expr::value(now))
            .filter(enrollments::Column::Id.eq(enrollment.id))
            .exec(db)
            .await?;
    }
    if !complete || enrollment.status != EnrollmentStatus::Active {
        return Ok(());
    }
    let flipped = enrollments::Entity::update_many()
        .col_expr(
            enrollments::Column::Status,
            Expr::value(EnrollmentStatus::Completed),
        )
        .col_expr(enrollments::Column::CompletedAt, Expr::value(now))
        .filter(enrollments::Column::Id.eq(enrollment.id))
        .filter(enrollments::Column::Status.eq(EnrollmentStatus::Active))
        .exec(db)
        .await?;
    if flipped.rows_affected != 1 {
        return Ok(());
    }
    events::publish(
        db,
        &CourseCompleted {
            enrollment_id: enrollment.id,
            user_id,
            course_id: course.id,
        },
    )
    .await?;
    if course.has_certificate {
        let user = users::Entity::find_by_id(user_id)
            .one(db)
            .await?
            .ok_or(NOT_FOUND)?;
        crate::certificates::issue(db, signer, &user, course, now).await?;
    }
    Ok(())
}

/// A learner completed every lesson of a course (published once per enrollment).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CourseCompleted {
    pub enrollment_id: i64,
    pub user_id: i64,
    pub course_id: i64,
}

impl Event for CourseCompleted {
    const NAME: &'static str = "course.completed";
}

/// Course progress of the caller, who must be enrolled (else 404).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseProgress {
    pub course_id: i64,
    pub progress: i32,
    pub completed_lessons: i64,
    pub total_lessons: i64,
    pub completed: bool,
}

/// The caller's progress in a course.
pub async fn of_course(db: &impl Db, actor: &Actor, course_id: i64) -> Result<CourseProgress> {
    actor.require_scope("profile:read")?;
    let enrollment = enrollments::Entity::find()
        .filter(enrollments::Column::UserId.eq(actor.user_id))
        .filter(enrollments::Column::CourseId.eq(course_id))
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    let (done, total) = course_progress(db, actor.user_id, &[course_id])
        .await?
        .get(&course_id)
        .copied()
        .unwrap_or((0, 0));
    Ok(CourseProgress {
        course_id,
        progress: percent(done, total),
        completed_lessons: done,
        total_lessons: total,
        completed: enrollment.status == EnrollmentStatus::Completed,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn course_progress_rounds_half_up_and_never_divides_by_zero() {
        assert_eq!(super::percent(1, 3), 33);
        assert_eq!(super::percent(2, 3), 67);
        assert_eq!(super::percent(1, 2), 50);
        assert_eq!(super::percent(3, 3), 100);
        assert_eq!(super::percent(0, 0), 0);
    }
}
