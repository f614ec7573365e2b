//! `GET /users/me/export`: every row about the caller, as JSON keyed by table name.
//!
//! Rows are read with `into_json`, so column names are the schema's camelCase names. Secret
//! columns (password hash, token hashes, key hashes, push auth secrets) are never selected.
//! The real-time event log (`userEvents`) is left out: it is a week of delivery copies, holding
//! other members' messages as they were sent, not data about the caller.
//! This is the one read that takes many round trips (one per table); it is rare and per person.

use entity::{
    auth, certificates, chat, coaching, courses, enrollments, hr, notifications, payments,
    progress, users,
};
use sea_orm::sea_query::{Condition, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IdenStatic, Iterable, QueryFilter, QuerySelect,
};
use serde_json::{Map, Value};

use crate::Result;
use crate::auth::actor::Actor;
use crate::problem::NOT_FOUND;

/// Columns never exported, whatever the table.
const SECRET_COLUMNS: &[&str] = &[
    "password",
    "token",
    "tokenHash",
    "keyHash",
    "auth",
    "accessToken",
    "refreshToken",
];

async fn rows<E>(db: &impl ConnectionTrait, condition: impl Into<SimpleExpr>) -> Result<Value>
where
    E: EntityTrait,
{
    let columns = E::Column::iter().filter(|c| !SECRET_COLUMNS.contains(&c.as_str()));
    let rows = E::find()
        .select_only()
        .columns(columns)
        .filter(condition.into())
        .into_json()
        .all(db)
        .await?;
    Ok(Value::Array(rows))
}

/// Everything stored about the caller.
pub async fn export(db: &impl ConnectionTrait, actor: &Actor) -> Result<Value> {
    actor.require_scope("profile:read")?;
    let id = actor.user_id;
    let account = rows::<users::users::Entity>(db, users::users::Column::Id.eq(id)).await?;
    let Some(account) = account.as_array().and_then(|a| a.first()).cloned() else {
        return Err(NOT_FOUND.into());
    };
    let coach_ids: Vec<i64> = coaching::coach_profiles::Entity::find()
        .filter(coaching::coach_profiles::Column::UserId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let payment_ids: Vec<i64> = payments::payments::Entity::find()
        .filter(payments::payments::Column::UserId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();

    let mut out = Map::new();
    out.insert(
        "exportedAt".into(),
        Value::String(crate::now().to_rfc3339()),
    );
    out.insert("users".into(), account);
    let sessions_condition = Condition::any()
        .add(coaching::sessions::Column::LearnerId.eq(id))
        .add(coaching::sessions::Column::CoachId.is_in(coach_ids.clone()));
    let tables = [
        (
            "userProfiles",
            rows::<users::user_profiles::Entity>(db, users::user_profiles::Column::UserId.eq(id))
                .await?,
        ),
        (
            "sleResults",
            rows::<users::sle_results::Entity>(db, users::sle_results::Column::UserId.eq(id))
                .await?,
        ),
        (
            "passwordResets",
            rows::<auth::password_resets::Entity>(db, auth::password_resets::Column::UserId.eq(id))
                .await?,
        ),
        (
            "emailVerifications",
            rows::<auth::email_verifications::Entity>(
                db,
                auth::email_verifications::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "refreshTokens",
            rows::<auth::refresh_tokens::Entity>(db, auth::refresh_tokens::Column::UserId.eq(id))
                .await?,
        ),
        (
            "apiKeys",
            rows::<auth::api_keys::Entity>(db, auth::api_keys::Column::OwnerId.eq(id)).await?,
        ),
        (
            "auditLogs",
            rows::<auth::audit_logs::Entity>(db, auth::audit_logs::Column::ActorId.eq(id)).await?,
        ),
        (
            "enrollments",
            rows::<enrollments::enrollments::Entity>(
                db,
                enrollments::enrollments::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "lessonProgress",
            rows::<progress::lesson_progress::Entity>(
                db,
                progress::lesson_progress::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "progressSyncQueue",
            rows::<progress::progress_sync_queue::Entity>(
                db,
                progress::progress_sync_queue::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "progressSnapshots",
            rows::<progress::progress_snapshots::Entity>(
                db,
                progress::progress_snapshots::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "certificates",
            rows::<certificates::certificates::Entity>(
                db,
                certificates::certificates::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "quizAttempts",
            rows::<courses::quiz_attempts::Entity>(
                db,
                courses::quiz_attempts::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "courseReviews",
            rows::<courses::course_reviews::Entity>(
                db,
                courses::course_reviews::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "coachProfiles",
            rows::<coaching::coach_profiles::Entity>(
                db,
                coaching::coach_profiles::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "coachApplications",
            rows::<coaching::coach_applications::Entity>(
                db,
                coaching::coach_applications::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "sessions",
            rows::<coaching::sessions::Entity>(db, sessions_condition).await?,
        ),
        (
            "coachAvailability",
            rows::<coaching::coach_availability::Entity>(
                db,
                coaching::coach_availability::Column::CoachId.is_in(coach_ids.clone()),
            )
            .await?,
        ),
        (
            "coachAvailabilityExceptions",
            rows::<coaching::coach_availability_exceptions::Entity>(
                db,
                coaching::coach_availability_exceptions::Column::CoachId.is_in(coach_ids.clone()),
            )
            .await?,
        ),
        (
            "sessionRecordings",
            rows::<coaching::session_recordings::Entity>(
                db,
                coaching::session_recordings::Column::SessionId.in_subquery(
                    sea_orm::QueryTrait::into_query(
                        coaching::sessions::Entity::find()
                            .select_only()
                            .column(coaching::sessions::Column::Id)
                            .filter(
                                Condition::any()
                                    .add(coaching::sessions::Column::LearnerId.eq(id))
                                    .add(
                                        coaching::sessions::Column::CoachId
                                            .is_in(coach_ids.clone()),
                                    ),
                            ),
                    ),
                ),
            )
            .await?,
        ),
        (
            "sessionFeedback",
            rows::<coaching::session_feedback::Entity>(
                db,
                coaching::session_feedback::Column::FromUserId.eq(id),
            )
            .await?,
        ),
        (
            "coachingPlanPurchases",
            rows::<coaching::coaching_plan_purchases::Entity>(
                db,
                coaching::coaching_plan_purchases::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "payments",
            rows::<payments::payments::Entity>(db, payments::payments::Column::UserId.eq(id))
                .await?,
        ),
        (
            "refunds",
            rows::<payments::refunds::Entity>(
                db,
                payments::refunds::Column::PaymentId.is_in(payment_ids),
            )
            .await?,
        ),
        (
            "subscriptions",
            rows::<payments::subscriptions::Entity>(
                db,
                payments::subscriptions::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "invoices",
            rows::<payments::invoices::Entity>(db, payments::invoices::Column::UserId.eq(id))
                .await?,
        ),
        (
            "couponRedemptions",
            rows::<payments::coupon_redemptions::Entity>(
                db,
                payments::coupon_redemptions::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "payoutLedger",
            rows::<payments::payout_ledger::Entity>(
                db,
                payments::payout_ledger::Column::CoachId.is_in(coach_ids),
            )
            .await?,
        ),
        (
            "chatRoomMembers",
            rows::<chat::chat_room_members::Entity>(
                db,
                chat::chat_room_members::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "chatMessages",
            rows::<chat::chat_messages::Entity>(db, chat::chat_messages::Column::SenderId.eq(id))
                .await?,
        ),
        (
            "notifications",
            rows::<notifications::notifications::Entity>(
                db,
                notifications::notifications::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "notificationPreferences",
            rows::<notifications::notification_preferences::Entity>(
                db,
                notifications::notification_preferences::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "pushSubscriptions",
            rows::<notifications::push_subscriptions::Entity>(
                db,
                notifications::push_subscriptions::Column::UserId.eq(id),
            )
            .await?,
        ),
        (
            "organizationMembers",
            rows::<hr::organization_members::Entity>(
                db,
                hr::organization_members::Column::UserId.eq(id),
            )
            .await?,
        ),
    ];
    for (name, value) in tables {
        out.insert(name.into(), value);
    }
    Ok(Value::Object(out))
}
