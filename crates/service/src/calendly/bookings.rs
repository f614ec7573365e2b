//! Sessions booked on Calendly: what the webhook asks of the coaching domain.
//!
//! A minimal stand-in for `coaching::sessions::{book_external, cancel_external}` (being written
//! with the rest of coaching), with the same signatures, so that switching over is one line each:
//! a confirmed `single` session, idempotent on its unique `calendlyEventUri`, with its coaching
//! chat room; cancelling sets `cancelled` with the time and reason.

use chrono::{DateTime, Utc};
use entity::coaching::{coach_profiles, sessions};
use entity::enums::{SessionStatus, SessionType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    Set,
};

use crate::{Error, Result};

/// Longest meeting URL (the column's length).
pub const MAX_MEETING_URL: usize = 512;
/// Longest cancellation reason (the column's length).
pub const MAX_REASON: usize = 512;

/// A session booked outside the platform.
#[derive(Debug, Clone)]
pub struct ExternalBooking {
    /// `coachProfiles.id`.
    pub coach_id: i64,
    pub learner_id: i64,
    pub scheduled_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub calendly_event_uri: String,
    pub meeting_url: Option<String>,
}

async fn by_event(
    db: &impl ConnectionTrait,
    calendly_event_uri: &str,
) -> Result<Option<sessions::Model>> {
    Ok(sessions::Entity::find()
        .filter(sessions::Column::CalendlyEventUri.eq(calendly_event_uri))
        .one(db)
        .await?)
}

/// Inserts a `confirmed` session of type `single` (idempotent on `calendlyEventUri`: returns the
/// existing row) and opens its chat room, on the caller's transaction.
pub async fn book_external(
    db: &impl ConnectionTrait,
    booking: ExternalBooking,
) -> Result<sessions::Model> {
    if let Some(existing) = by_event(db, &booking.calendly_event_uri).await? {
        return Ok(existing);
    }
    let coach = coach_profiles::Entity::find_by_id(booking.coach_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::Internal(format!("coach profile {} vanished", booking.coach_id)))?;
    let now = crate::now();
    let inserted = sessions::ActiveModel {
        id: NotSet,
        coach_id: Set(booking.coach_id),
        learner_id: Set(booking.learner_id),
        scheduled_at: Set(booking.scheduled_at),
        status: Set(SessionStatus::Confirmed),
        r#type: Set(SessionType::Single),
        duration_minutes: Set(booking.duration_minutes),
        price: Set(0),
        tax_amount: Set(0),
        currency: Set("CAD".to_owned()),
        meeting_url: Set(booking
            .meeting_url
            .map(|url| url.chars().take(MAX_MEETING_URL).collect())),
        cancelled_by: Set(None),
        cancelled_at: Set(None),
        cancellation_reason: Set(None),
        plan_purchase_id: Set(None),
        payment_id: Set(None),
        calendly_event_uri: Set(Some(booking.calendly_event_uri.clone())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await;
    let session = match inserted {
        Ok(session) => session,
        Err(err) if Error::is_unique_violation(&err) => by_event(db, &booking.calendly_event_uri)
            .await?
            .ok_or_else(|| Error::Busy(err.to_string()))?,
        Err(err) => return Err(err.into()),
    };
    crate::chat::rooms::open_for_session(db, session.id, coach.user_id, session.learner_id).await?;
    Ok(session)
}

/// Cancels the session booked with this Calendly event (no-op when absent or already ended), on
/// the caller's transaction.
pub async fn cancel_external(
    db: &impl ConnectionTrait,
    calendly_event_uri: &str,
    reason: Option<String>,
) -> Result<Option<sessions::Model>> {
    let Some(session) = by_event(db, calendly_event_uri).await? else {
        return Ok(None);
    };
    if !matches!(
        session.status,
        SessionStatus::Pending | SessionStatus::Confirmed
    ) {
        return Ok(Some(session));
    }
    let now = crate::now();
    let mut row: sessions::ActiveModel = session.into();
    row.status = Set(SessionStatus::Cancelled);
    row.cancelled_at = Set(Some(now));
    row.cancellation_reason = Set(reason.map(|r| r.chars().take(MAX_REASON).collect()));
    row.updated_at = Set(now);
    Ok(Some(row.update(db).await?))
}
