//! Enrollment: who may enter which course, and how.
//!
//! Free courses (price 0) are entered by the learner. Paid courses are entered only through
//! [`grant`]: the single door used by a succeeded payment, a learning-path purchase, a
//! subscription, and an administrator's grant. There is no "free access mode".
//! A learner has access to a course while the enrollment is `active` or `completed` and not
//! past `expiresAt`.

use chrono::{DateTime, Utc};
use entity::courses::courses;
use entity::enrollments::enrollments;
use entity::enums::{CourseStatus, EnrollmentSource, EnrollmentStatus, UserStatus};
use entity::users::users;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use crate::admin::audit;
use crate::auth::actor::Actor;
use crate::auth::sessions::Client;
use crate::db::Db;
use crate::jobs::events::{self, Event};
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::{NOT_FOUND, PAYMENT_REQUIRED};
use crate::{Error, Result};
use sea_orm::TransactionSession as _;
use serde::{Deserialize, Serialize};

crate::problems! {
    pub ALREADY_ENROLLED: Conflict = "already_enrolled",
        "You are already enrolled in this course.",
        "Vous êtes déjà inscrit à ce cours.";
    pub ENROLLMENT_REQUIRED: Forbidden = "enrollment_required",
        "Only learners enrolled in this course can do this; enrol first.",
        "Seules les personnes inscrites à ce cours peuvent effectuer cette action ; inscrivez-vous d'abord.";
}

/// Whether an enrollment currently opens its course.
pub fn grants_access(enrollment: &enrollments::Model, now: DateTime<Utc>) -> bool {
    matches!(
        enrollment.status,
        EnrollmentStatus::Active | EnrollmentStatus::Completed
    ) && enrollment.expires_at.is_none_or(|at| at > now)
}

/// Whether `user_id` has an enrollment that opens `course_id` now ([`grants_access`], checked in
/// SQL in one query).
pub async fn has_access(db: &impl ConnectionTrait, user_id: i64, course_id: i64) -> Result<bool> {
    let found = enrollments::Entity::find()
        .select_only()
        .column(enrollments::Column::Id)
        .filter(enrollments::Column::UserId.eq(user_id))
        .filter(enrollments::Column::CourseId.eq(course_id))
        .filter(
            enrollments::Column::Status
                .is_in([EnrollmentStatus::Active, EnrollmentStatus::Completed]),
        )
        .filter(
            Condition::any()
                .add(enrollments::Column::ExpiresAt.is_null())
                .add(enrollments::Column::ExpiresAt.gt(crate::now())),
        )
        .into_tuple::<i64>()
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// Enrolls the caller in a free, published course (201), or in a paid one while their
/// subscription runs; otherwise a paid course answers 402 `payment_required` (buy it with
/// `POST /checkout`).
pub async fn enroll_free(
    db: &impl Db,
    actor: &Actor,
    course_id: i64,
) -> Result<enrollments::Model> {
    actor.require_session()?;
    let course = courses::Entity::find_by_id(course_id)
        .filter(courses::Column::Status.eq(CourseStatus::Published))
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    let txn = crate::db::begin(db).await?;
    // One learner's enrollments are written one at a time, so `grant` sees any enrollment that
    // an earlier or concurrent request made.
    crate::db::lock::<users::Entity>(&txn, users::Column::Id, actor.user_id).await?;
    let source = if course.price == 0 {
        EnrollmentSource::Free
    } else if crate::payments::subscriptions::running(&txn, actor.user_id).await? {
        // A running subscription includes the catalog.
        EnrollmentSource::Subscription
    } else {
        return Err(Error::from(PAYMENT_REQUIRED));
    };
    let granted = grant(&txn, actor.user_id, course.id, source).await?;
    if !granted.new {
        return Err(ALREADY_ENROLLED.into());
    }
    txn.commit().await?;
    Ok(granted.enrollment)
}

/// A user was given access to a course (created or reactivated enrollment).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrollmentGranted {
    pub enrollment_id: i64,
    pub user_id: i64,
    pub course_id: i64,
    pub source: EnrollmentSource,
}

impl Event for EnrollmentGranted {
    const NAME: &'static str = "enrollment.granted";
}

impl From<&enrollments::Model> for EnrollmentGranted {
    fn from(row: &enrollments::Model) -> Self {
        Self {
            enrollment_id: row.id,
            user_id: row.user_id,
            course_id: row.course_id,
            source: row.source,
        }
    }
}

/// What [`grant`] did.
#[derive(Debug, Clone)]
pub struct Granted {
    pub enrollment: enrollments::Model,
    /// False when an enrollment already granted access (nothing changed).
    pub new: bool,
}

/// Gives a user access to a course: creates the enrollment, or reactivates an expired or
/// refunded one, and publishes [`EnrollmentGranted`]. Idempotent for an enrollment that already
/// grants access. This is the only way into a paid course. Call it inside a transaction: the
/// enrollment and its event are two statements.
pub async fn grant(
    db: &impl ConnectionTrait,
    user_id: i64,
    course_id: i64,
    source: EnrollmentSource,
) -> Result<Granted> {
    let now = crate::now();
    let existing = enrollments::Entity::find()
        .filter(enrollments::Column::UserId.eq(user_id))
        .filter(enrollments::Column::CourseId.eq(course_id))
        .one(db)
        .await?;
    if let Some(existing) = existing {
        if grants_access(&existing, now) {
            return Ok(Granted {
                enrollment: existing,
                new: false,
            });
        }
        let mut row: enrollments::ActiveModel = existing.into();
        row.status = Set(EnrollmentStatus::Active);
        row.source = Set(source);
        row.enrolled_at = Set(now);
        row.expires_at = Set(None);
        row.updated_at = Set(now);
        let row = row.update(db).await?;
        events::publish(db, &EnrollmentGranted::from(&row)).await?;
        return Ok(Granted {
            enrollment: row,
            new: true,
        });
    }
    let inserted = enrollments::ActiveModel {
        user_id: Set(user_id),
        course_id: Set(course_id),
        enrolled_at: Set(now),
        status: Set(EnrollmentStatus::Active),
        source: Set(source),
        progress: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(row) => {
            events::publish(db, &EnrollmentGranted::from(&row)).await?;
            Ok(Granted {
                enrollment: row,
                new: true,
            })
        }
        // A concurrent grant won the unique (userId, courseId): theirs is ours.
        // A locking read sees the committed winner, even inside a snapshot (MySQL, TiDB).
        Err(err) if Error::is_unique_violation(&err) => enrollments::Entity::find()
            .filter(enrollments::Column::UserId.eq(user_id))
            .filter(enrollments::Column::CourseId.eq(course_id))
            .lock_exclusive()
            .one(db)
            .await?
            .map(|enrollment| Granted {
                enrollment,
                new: false,
            })
            .ok_or(Error::from(ALREADY_ENROLLED)),
        Err(err) => Err(err.into()),
    }
}

/// An administrator enrolls a user in any published course, paid or not (audited). One
/// transaction: the enrollment, its event and the audit row.
pub async fn admin_grant(
    db: &impl Db,
    actor: &Actor,
    user_id: i64,
    course_id: i64,
    client: &Client,
) -> Result<enrollments::Model> {
    actor.require_admin("users:write")?;
    let user = users::Entity::find_by_id(user_id).one(db).await?;
    if user.is_none_or(|u| u.status != UserStatus::Active) {
        return Err(Error::field(
            "userId",
            "unknown_user",
            "no active user has this id",
        ));
    }
    let course = courses::Entity::find_by_id(course_id)
        .filter(courses::Column::Status.eq(CourseStatus::Published))
        .one(db)
        .await?;
    if course.is_none() {
        return Err(Error::field(
            "courseId",
            "unknown_course",
            "no published course has this id",
        ));
    }
    let txn = crate::db::begin(db).await?;
    crate::db::lock::<users::Entity>(&txn, users::Column::Id, user_id).await?;
    let enrollment = grant(&txn, user_id, course_id, EnrollmentSource::Admin)
        .await?
        .enrollment;
    audit::record(
        &txn,
        audit::Event {
            actor_id: Some(actor.user_id),
            action: "enrollment.granted",
            entity_type: "enrollment",
            entity_id: Some(enrollment.id),
            after: Some(serde_json::json!({ "userId": user_id, "courseId": course_id, "source": enrollment.source })),
            ..Default::default()
        },
        client,
    )
    .await?;
    txn.commit().await?;
    Ok(enrollment)
}

/// The caller's enrollments with their courses, newest first.
pub async fn mine(
    db: &impl Db,
    actor: &Actor,
    page: PageRequest,
) -> Result<Page<(enrollments::Model, courses::Model)>> {
    actor.require_scope("profile:read")?;
    let query = enrollments::Entity::find().filter(enrollments::Column::UserId.eq(actor.user_id));
    let rows = pagination::keyset(
        query,
        enrollments::Column::CreatedAt,
        enrollments::Column::Id,
        &page,
    )
    .find_also_related(courses::Entity)
    .all(db)
    .await?;
    let rows: Vec<_> = rows
        .into_iter()
        .filter_map(|(e, c)| c.map(|c| (e, c)))
        .collect();
    Ok(pagination::finish(rows, &page, |(e, _)| Cursor {
        at: e.created_at,
        id: e.id,
    }))
}
