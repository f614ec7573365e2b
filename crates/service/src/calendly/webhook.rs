//! `POST /webhooks/calendly`: Calendly's signed event deliveries.
//!
//! The signature (`Calendly-Webhook-Signature: t=<unix>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>`)
//! is checked on the raw body before anything else; an event is then recorded in the ledger under
//! `<event>:<invitee URI>` (Calendly's envelopes carry no id; an invitee is created and cancelled
//! once each) and processed once, its effects and its `processed` mark in one transaction.
//!
//! The transaction of `invitee.created` and of `invitee.canceled` first locks the host coach's
//! `coachProfiles` row (the coach is found before the transaction, then checked again under the
//! lock), and reads nothing before it: a creation and a cancellation of one invitee that arrive
//! together are serialised, and the second reads what the first committed (on MariaDB a read
//! before the lock would pin an older snapshot). So either the cancellation finds the session
//! and cancels it, or the creation finds the cancellation processed and books nothing.

use entity::calendly::coach_calendly_integrations as integrations;
use entity::coaching::coach_profiles;
use entity::enums::{UserStatus, WebhookProvider, WebhookStatus};
use entity::payments::webhook_events;
use entity::users::users;
use sea_orm::TransactionSession as _;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use secrecy::ExposeSecret;
use serde::Deserialize;

use super::{Calendly, configured};
use crate::coaching::sessions::{ExternalBooking, book_external, cancel_external};
use crate::db::{self, Db};
use crate::webhooks::{self, Delivery, PAYLOAD_INVALID};
use crate::{Error, Result};

/// Events the integration acts on (the subscription asks for these only).
pub const INVITEE_CREATED: &str = "invitee.created";
pub const INVITEE_CANCELED: &str = "invitee.canceled";

/// Longest meeting URL kept (the column's length; a longer one is left out, not cut).
const MAX_MEETING_URL: usize = 512;
/// Longest event URI a session keeps (the column's length).
const MAX_EVENT_URI: usize = 255;
/// Longest cancellation reason kept (the column's length; longer ones are cut).
const MAX_REASON: usize = 512;

/// What became of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Processed now (possibly with nothing to do, see the event's `lastError` note).
    Processed,
    /// Processed before: nothing changed.
    Duplicate,
}

#[derive(Debug, Deserialize)]
struct Envelope {
    event: String,
    #[serde(default)]
    created_by: Option<String>,
    payload: Payload,
}

#[derive(Debug, Deserialize)]
struct Payload {
    /// The invitee's URI.
    uri: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    scheduled_event: Option<ScheduledEvent>,
    #[serde(default)]
    cancellation: Option<Cancellation>,
}

#[derive(Debug, Deserialize)]
struct ScheduledEvent {
    uri: String,
    start_time: chrono::DateTime<chrono::Utc>,
    end_time: chrono::DateTime<chrono::Utc>,
    #[serde(default)]
    event_memberships: Vec<Membership>,
    #[serde(default)]
    location: Option<Location>,
}

#[derive(Debug, Deserialize)]
struct Membership {
    #[serde(default)]
    user: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Location {
    #[serde(default)]
    join_url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Cancellation {
    #[serde(default)]
    reason: Option<String>,
}

/// Verifies, records and processes one delivery. `signature` is the
/// `Calendly-Webhook-Signature` header, `body` the raw body as received.
pub async fn receive(
    db: &impl Db,
    calendly: Option<&Calendly>,
    signature: Option<&str>,
    body: &[u8],
) -> Result<Outcome> {
    let calendly = configured(calendly)?;
    webhooks::verify_signature(
        signature,
        calendly.webhook_signing_key().expose_secret().as_bytes(),
        body,
        crate::now(),
    )?;
    let raw: serde_json::Value = serde_json::from_slice(body).map_err(|_| PAYLOAD_INVALID)?;
    let envelope: Envelope = serde_json::from_value(raw.clone()).map_err(|_| PAYLOAD_INVALID)?;
    let external_id = format!("{}:{}", envelope.event, envelope.payload.uri);
    let lease = match webhooks::receive_or_wait(
        db,
        WebhookProvider::Calendly,
        &external_id,
        &envelope.event,
        raw,
    )
    .await?
    {
        Delivery::Process(lease) => lease,
        Delivery::Duplicate(_) => return Ok(Outcome::Duplicate),
        Delivery::InProgress(_) => return Err(webhooks::IN_PROGRESS.into()),
    };
    let processed = db::retrying(|| async {
        // The host coach, read before the transaction so that its first statement is the lock.
        let host = match envelope.event.as_str() {
            INVITEE_CREATED | INVITEE_CANCELED => {
                host_integration(db, &envelope).await?.map(|i| i.coach_id)
            }
            _ => None,
        };
        let tx = db::begin(db).await?;
        if let Some(coach_id) = host {
            db::lock::<coach_profiles::Entity>(&tx, coach_profiles::Column::Id, coach_id).await?;
        }
        let note = match envelope.event.as_str() {
            INVITEE_CREATED => created(&tx, &envelope, host).await?,
            INVITEE_CANCELED => canceled(&tx, &envelope).await?,
            other => Some(format!("ignored: {other} is not handled")),
        };
        webhooks::finish(&tx, &lease, note).await?;
        tx.commit().await?;
        Ok(())
    })
    .await;
    match processed {
        Ok(()) => Ok(Outcome::Processed),
        Err(err) => {
            if let Err(also) = webhooks::fail(db, &lease, &err.to_string()).await {
                tracing::warn!(%also, "could not mark the Calendly event failed");
            }
            Err(err)
        }
    }
}

/// The active integration of the Calendly user hosting the event (a member of the scheduled
/// event, or the subscription's owner), if a coach connected it.
async fn host_integration(
    db: &impl ConnectionTrait,
    envelope: &Envelope,
) -> Result<Option<integrations::Model>> {
    let Some(event) = &envelope.payload.scheduled_event else {
        return Ok(None);
    };
    let hosts: Vec<&str> = event
        .event_memberships
        .iter()
        .filter_map(|m| m.user.as_deref())
        .chain(envelope.created_by.as_deref())
        .collect();
    Ok(integrations::Entity::find()
        .filter(integrations::Column::CalendlyUserUri.is_in(hosts))
        .filter(integrations::Column::Active.eq(true))
        .one(db)
        .await?)
}

/// Books the session of an `invitee.created` (in a transaction holding the lock of `locked`, the
/// host coach's profile); returns why nothing was booked, if so.
async fn created(
    db: &impl ConnectionTrait,
    envelope: &Envelope,
    locked: Option<i64>,
) -> Result<Option<String>> {
    let payload = &envelope.payload;
    let Some(event) = &payload.scheduled_event else {
        return Ok(Some("no scheduled_event in the payload".to_owned()));
    };
    // Calendly does not promise order: a cancellation processed first wins.
    let cancelled_before = webhook_events::Entity::find()
        .filter(webhook_events::Column::Provider.eq(WebhookProvider::Calendly))
        .filter(webhook_events::Column::ExternalId.eq(format!(
            "{}:{}",
            super::webhook::INVITEE_CANCELED,
            payload.uri
        )))
        .filter(webhook_events::Column::Status.eq(WebhookStatus::Processed))
        .one(db)
        .await?
        .is_some();
    if cancelled_before {
        return Ok(Some("the invitee was cancelled before".to_owned()));
    }
    let Some(integration) = host_integration(db, envelope).await? else {
        return Ok(Some(
            "no coach has connected the host's Calendly account".to_owned(),
        ));
    };
    if locked != Some(integration.coach_id) {
        // The connection changed between the look-up and the lock: again, with the new coach.
        return Err(Error::Busy(
            "the Calendly host's coach changed meanwhile".to_owned(),
        ));
    }
    let email = payload
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .unwrap_or_default();
    // Only a verified address proves the account's owner is the person who booked: an account
    // registered with someone else's e-mail must not receive their sessions.
    let learner = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .filter(users::Column::Status.eq(UserStatus::Active))
        .filter(users::Column::EmailVerifiedAt.is_not_null())
        .one(db)
        .await?;
    let Some(learner) = learner else {
        return Ok(Some(
            "no active account has the invitee's e-mail as a verified address".to_owned(),
        ));
    };
    let coach = coach_profiles::Entity::find_by_id(integration.coach_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::Internal("coach profile of an integration vanished".to_owned()))?;
    if coach.user_id == learner.id {
        return Ok(Some("the invitee is the coach".to_owned()));
    }
    if event.uri.chars().count() > MAX_EVENT_URI {
        return Ok(Some(
            "the event's URI is longer than a session keeps".to_owned(),
        ));
    }
    let minutes = (event.end_time - event.start_time).num_minutes();
    let Some(duration_minutes) = i32::try_from(minutes)
        .ok()
        .filter(|m| (1..=24 * 60).contains(m))
    else {
        return Ok(Some("the event's times are not a session".to_owned()));
    };
    book_external(
        db,
        ExternalBooking {
            coach_id: coach.id,
            learner_id: learner.id,
            scheduled_at: event.start_time,
            duration_minutes,
            calendly_event_uri: event.uri.clone(),
            meeting_url: event
                .location
                .as_ref()
                .and_then(|l| l.join_url.as_deref())
                .filter(|url| url.chars().count() <= MAX_MEETING_URL)
                .map(str::to_owned),
        },
    )
    .await?;
    Ok(None)
}

/// Cancels the session of an `invitee.canceled`; returns why nothing was cancelled, if so.
async fn canceled(db: &impl ConnectionTrait, envelope: &Envelope) -> Result<Option<String>> {
    let payload = &envelope.payload;
    let Some(event) = &payload.scheduled_event else {
        return Ok(Some("no scheduled_event in the payload".to_owned()));
    };
    let reason = payload
        .cancellation
        .as_ref()
        .and_then(|c| c.reason.clone())
        .filter(|r| !r.trim().is_empty())
        .map(|r| r.chars().take(MAX_REASON).collect());
    let cancelled = cancel_external(db, &event.uri, reason).await?;
    Ok(cancelled
        .is_none()
        .then(|| "no session was booked with this event".to_owned()))
}
