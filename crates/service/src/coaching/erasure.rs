//! What deleting an account does to coaching: upcoming sessions are cancelled (the other party
//! is told; the cancellation policy applies as if the person had cancelled), a coach's profile is
//! emptied and paused with its availability and its Calendly connection gone, applications and feedback comments lose their
//! text. Sessions, ratings and money stay (financial records), without the person's words.

use entity::coaching::{
    coach_applications, coach_availability, coach_availability_exceptions, coach_profiles,
    session_feedback, sessions,
};
use entity::enums::{CoachStatus, SessionStatus};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::events::{Change, SessionChanged};
use super::profile_of_user;
use super::status::cancel;
use crate::Result;
use crate::jobs::events;

/// The reason recorded on sessions cancelled by a deletion.
pub const DELETED_REASON: &str = "Account deleted";

/// Erases `user_id`'s coaching data, on the caller's transaction (the account deletion's, which
/// holds the user's row lock).
pub async fn erase(db: &impl ConnectionTrait, user_id: i64) -> Result<()> {
    let now = crate::now();
    let profile = profile_of_user(db, user_id).await?;
    let mut theirs = Condition::any().add(sessions::Column::LearnerId.eq(user_id));
    if let Some(profile) = &profile {
        theirs = theirs.add(sessions::Column::CoachId.eq(profile.id));
    }
    let upcoming = sessions::Entity::find()
        .filter(theirs)
        .filter(sessions::Column::ScheduledAt.gt(now))
        .filter(sessions::Column::Status.is_in([SessionStatus::Pending, SessionStatus::Confirmed]))
        .all(db)
        .await?;
    for session in upcoming {
        // The learner leaving late forfeits like a late cancellation; a coach leaving refunds.
        let mut row: sessions::ActiveModel = session.clone().into();
        let by_learner = session.learner_id == user_id;
        let reason = Some(DELETED_REASON.to_owned());
        cancel(db, &session, &mut row, user_id, by_learner, reason, now).await?;
        row.updated_at = Set(now);
        row.update(db).await?;
        events::publish(
            db,
            &SessionChanged {
                session_id: session.id,
                change: Change::Cancelled,
                by_user_id: Some(user_id),
            },
        )
        .await?;
    }
    if let Some(profile) = profile {
        // Disconnected from Calendly (its tokens deleted, the remote clean-up queued).
        crate::calendly::erase(db, profile.id).await?;
        coach_availability::Entity::delete_many()
            .filter(coach_availability::Column::CoachId.eq(profile.id))
            .exec(db)
            .await?;
        coach_availability_exceptions::Entity::delete_many()
            .filter(coach_availability_exceptions::Column::CoachId.eq(profile.id))
            .exec(db)
            .await?;
        let mut row: coach_profiles::ActiveModel = profile.into();
        row.specialization = Set(None);
        row.specializations = Set(None);
        row.bio = Set(None);
        row.bio_fr = Set(None);
        row.languages = Set(json!([]));
        row.status = Set(CoachStatus::Paused);
        row.updated_at = Set(now);
        row.update(db).await?;
    }
    coach_applications::Entity::update_many()
        .col_expr(coach_applications::Column::Motivation, Expr::value(""))
        .col_expr(
            coach_applications::Column::Specialization,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            coach_applications::Column::Languages,
            Expr::value(Option::<serde_json::Value>::None),
        )
        .col_expr(
            coach_applications::Column::Specializations,
            Expr::value(Option::<serde_json::Value>::None),
        )
        .col_expr(
            coach_applications::Column::SleLevels,
            Expr::value(Option::<serde_json::Value>::None),
        )
        .col_expr(
            coach_applications::Column::ReviewNote,
            Expr::value(Option::<String>::None),
        )
        .col_expr(coach_applications::Column::UpdatedAt, Expr::value(now))
        .filter(coach_applications::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    session_feedback::Entity::update_many()
        .col_expr(
            session_feedback::Column::Comment,
            Expr::value(Option::<String>::None),
        )
        .filter(session_feedback::Column::FromUserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
