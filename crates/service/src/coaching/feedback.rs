//! Feedback on a completed session: each participant once, rating 1–5. The coach's
//! `ratingAvg`/`ratingCount` are the mean and count of the learners' ratings of their sessions,
//! recomputed from the rows under the coach profile's lock, so concurrent feedback never loses an
//! update and the figures are always exactly those of the rows.

use entity::coaching::{coach_profiles, session_feedback, sessions};
use entity::enums::SessionStatus;
use sea_orm::sea_query::{Expr, ExprTrait as _, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Set, TransactionSession as _,
};

use super::sessions::{Party, access, relock};
use crate::auth::actor::Actor;
use crate::db::Db;
use crate::problem::FORBIDDEN;
use crate::{Error, Result};

/// Longest comment (characters; a `TEXT` column).
pub const MAX_COMMENT: usize = 2000;

crate::problems! {
    pub FEEDBACK_EXISTS: Conflict = "feedback_exists",
        "You already gave feedback on this session.",
        "Vous avez déjà donné votre avis sur cette séance.";
    pub SESSION_NOT_COMPLETED: Conflict = "session_not_completed",
        "Feedback can only be given once the session is completed.",
        "Un avis ne peut être donné qu'une fois la séance terminée.";
}

/// Feedback to give.
#[derive(Debug, Clone)]
pub struct NewFeedback {
    pub rating: i32,
    pub comment: Option<String>,
}

/// Records the caller's feedback on a completed session of theirs (learner or coach).
pub async fn give(
    db: &impl Db,
    actor: &Actor,
    session_id: i64,
    feedback: NewFeedback,
) -> Result<session_feedback::Model> {
    actor.require_session()?;
    let (session, coach, party) = access(db, actor, session_id).await?;
    if party == Party::Admin {
        return Err(FORBIDDEN.into());
    }
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        let (current, _) = relock(&txn, &coach, &session).await?;
        if current.status != SessionStatus::Completed {
            return Err(SESSION_NOT_COMPLETED.into());
        }
        let given = session_feedback::Entity::find()
            .filter(session_feedback::Column::SessionId.eq(session_id))
            .filter(session_feedback::Column::FromUserId.eq(actor.user_id))
            .one(&txn)
            .await?;
        if given.is_some() {
            return Err(FEEDBACK_EXISTS.into());
        }
        let row = session_feedback::ActiveModel {
            session_id: Set(session_id),
            rating: Set(feedback.rating),
            comment: Set(feedback.comment.clone()),
            from_user_id: Set(actor.user_id),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        let row = match row {
            Ok(row) => row,
            Err(err) if Error::is_unique_violation(&err) => return Err(FEEDBACK_EXISTS.into()),
            Err(err) => return Err(err.into()),
        };
        if party == Party::Learner {
            rerate(&txn, coach.id).await?;
        }
        txn.commit().await?;
        Ok(row)
    })
    .await
}

/// Sets the coach's rating from the learners' feedback on their sessions. Call under the coach
/// profile's lock.
pub(crate) async fn rerate(db: &impl ConnectionTrait, coach_id: i64) -> Result<()> {
    let (sum, count): (Option<i64>, i64) = session_feedback::Entity::find()
        .select_only()
        .column_as(
            // MySQL sums integers as DECIMAL: read back as a 64-bit integer.
            Expr::expr(Func::sum(Expr::col((
                session_feedback::Entity,
                session_feedback::Column::Rating,
            ))))
            .cast_as("SIGNED"),
            "total",
        )
        .column_as(
            Expr::expr(Func::count(Expr::col((
                session_feedback::Entity,
                session_feedback::Column::Id,
            )))),
            "n",
        )
        .join(
            JoinType::InnerJoin,
            session_feedback::Relation::Sessions.def(),
        )
        .filter(sessions::Column::CoachId.eq(coach_id))
        .filter(
            Expr::col((
                session_feedback::Entity,
                session_feedback::Column::FromUserId,
            ))
            .equals((sessions::Entity, sessions::Column::LearnerId)),
        )
        .into_tuple::<(Option<i64>, i64)>()
        .one(db)
        .await?
        .unwrap_or((None, 0));
    let average = match (sum, count) {
        (Some(sum), n) if n > 0 => sum as f64 / n as f64,
        _ => 0.0,
    };
    coach_profiles::Entity::update_many()
        .col_expr(coach_profiles::Column::RatingAvg, average.into())
        .col_expr(
            coach_profiles::Column::RatingCount,
            i32::try_from(count).unwrap_or(i32::MAX).into(),
        )
        .filter(coach_profiles::Column::Id.eq(coach_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The feedback given on a session, to its participants and administrators.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    session_id: i64,
) -> Result<Vec<session_feedback::Model>> {
    actor.require_scope("coaching:read")?;
    access(db, actor, session_id).await?;
    Ok(session_feedback::Entity::find()
        .filter(session_feedback::Column::SessionId.eq(session_id))
        .order_by_asc(session_feedback::Column::CreatedAt)
        .order_by_asc(session_feedback::Column::Id)
        .all(db)
        .await?)
}
