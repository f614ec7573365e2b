//! Session recordings: a URL and its metadata, added by the coach (or an administrator) once the
//! session has begun, visible to the session's participants and administrators only.

use chrono::{DateTime, Utc};
use entity::coaching::session_recordings;
use entity::enums::SessionStatus;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::sessions::{Party, access};
use crate::Result;
use crate::auth::actor::Actor;
use crate::problem::FORBIDDEN;

/// Longest recording URL (the column's length).
pub const MAX_URL: usize = 1024;
/// Longest recording, in seconds (12 hours).
pub const MAX_DURATION: i64 = 12 * 3600;

crate::problems! {
    pub SESSION_NOT_HELD: Conflict = "session_not_held",
        "Recordings can only be added to a session that has started.",
        "Un enregistrement ne peut être ajouté qu'à une séance commencée.";
}

/// A recording to add.
#[derive(Debug, Clone)]
pub struct NewRecording {
    pub recording_url: String,
    pub duration: i32,
    pub expires_at: Option<DateTime<Utc>>,
}

/// The recordings of a session that have not expired, to its participants and administrators (404 to anyone else).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    session_id: i64,
) -> Result<Vec<session_recordings::Model>> {
    actor.require_scope("coaching:read")?;
    access(db, actor, session_id).await?;
    Ok(session_recordings::Entity::find()
        .filter(session_recordings::Column::SessionId.eq(session_id))
        .filter(
            sea_orm::Condition::any()
                .add(session_recordings::Column::ExpiresAt.is_null())
                .add(session_recordings::Column::ExpiresAt.gt(crate::now())),
        )
        .order_by_asc(session_recordings::Column::CreatedAt)
        .order_by_asc(session_recordings::Column::Id)
        .all(db)
        .await?)
}

/// Adds a recording to a session that started (the coach or an administrator).
pub async fn add(
    db: &impl ConnectionTrait,
    actor: &Actor,
    session_id: i64,
    new: NewRecording,
) -> Result<session_recordings::Model> {
    actor.require_session()?;
    let (session, _, party) = access(db, actor, session_id).await?;
    if party == Party::Learner {
        return Err(FORBIDDEN.into());
    }
    if new.expires_at.is_some_and(|at| at <= crate::now()) {
        return Err(crate::Error::field(
            "expiresAt",
            "in_the_past",
            "must be in the future",
        ));
    }
    if !matches!(
        session.status,
        SessionStatus::InProgress | SessionStatus::Completed
    ) {
        return Err(SESSION_NOT_HELD.into());
    }
    Ok(session_recordings::ActiveModel {
        session_id: Set(session_id),
        recording_url: Set(new.recording_url),
        duration: Set(new.duration),
        expires_at: Set(new.expires_at),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}
