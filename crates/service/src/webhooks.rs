//! The inbound webhook ledger (`webhookEvents`), shared by every provider (Calendly, Stripe).
//!
//! Rules (RULES.md, Money → Webhooks):
//! - The provider's signature is verified before anything here is called: nothing unsigned is
//!   ever recorded.
//! - An event is recorded once per provider and event id (unique `(provider, externalId)`): a
//!   redelivery finds the first row.
//! - Processing holds a lease (`lockedUntil`, [`LEASE`]): [`receive`] claims the row with a
//!   conditional `UPDATE` whose affected-row count decides the winner (no `SKIP LOCKED`). The
//!   effects and [`finish`] then commit in **one** transaction, which [`finish`] refuses when the
//!   lease was lost meanwhile; a crash leaves a lease that expires, and the next delivery claims
//!   the event again.
//! - A processed event is never processed again: a duplicate answers 200 with no effect.
//!   Deliveries racing the holder wait for its outcome ([`receive_or_wait`]).

use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::enums::{WebhookProvider, WebhookStatus};
use entity::payments::webhook_events;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait as _, QueryFilter,
    Set,
};

use crate::{Error, Result};

/// How long a claimed event is reserved for the delivery processing it.
pub const LEASE: Duration = Duration::from_secs(60);
/// Longest `externalId` (the column's length).
pub const MAX_EXTERNAL_ID: usize = 255;
/// Longest `type` (the column's length).
pub const MAX_TYPE: usize = 128;
/// Accepted distance between a signature's timestamp and now.
pub const SIGNATURE_TOLERANCE: Duration = Duration::from_secs(300);
/// How long a delivery waits for another one processing the same event.
const WAIT: Duration = Duration::from_secs(10);

crate::problems! {
    /// The signature header is missing, malformed, too old, or does not match the body.
    pub SIGNATURE_INVALID: BadRequest = "webhook_signature_invalid",
        "The webhook signature is missing, expired or invalid.",
        "La signature du webhook est absente, expirée ou invalide.";
    /// A signed body that is not an event of the provider's format.
    pub PAYLOAD_INVALID: BadRequest = "webhook_payload_invalid",
        "The webhook body is not a valid event.",
        "Le corps du webhook n'est pas un événement valide.";
    /// Another delivery of the same event is still being processed; retry later.
    pub IN_PROGRESS: Conflict = "webhook_in_progress",
        "This event is being processed; retry later.",
        "Cet événement est en cours de traitement ; réessayez plus tard.";
}

/// An event this delivery holds the lease of: process it, then [`finish`] in the same
/// transaction as the effects.
#[derive(Debug, Clone)]
pub struct Lease {
    pub event: webhook_events::Model,
    /// The lease's end as written by the claim: [`finish`] checks it is still ours.
    locked_until: DateTime<Utc>,
}

/// What a delivery should do with its event.
#[derive(Debug)]
pub enum Delivery {
    /// This delivery holds the lease: process the event.
    Process(Lease),
    /// The event was processed before: answer 200, change nothing.
    Duplicate(webhook_events::Model),
    /// Another delivery holds a live lease on it.
    InProgress(webhook_events::Model),
}

fn lease_end(now: DateTime<Utc>) -> DateTime<Utc> {
    now + chrono::Duration::from_std(LEASE).unwrap_or_else(|_| chrono::Duration::seconds(60))
}

/// Records an event (or finds it recorded) and claims it. The external id and type are cut to
/// their columns' lengths.
pub async fn receive(
    db: &impl ConnectionTrait,
    provider: WebhookProvider,
    external_id: &str,
    kind: &str,
    payload: serde_json::Value,
) -> Result<Delivery> {
    let external_id: String = external_id.chars().take(MAX_EXTERNAL_ID).collect();
    let now = crate::now();
    let locked_until = lease_end(now);
    let row = webhook_events::ActiveModel {
        id: NotSet,
        provider: Set(provider),
        external_id: Set(external_id.clone()),
        r#type: Set(kind.chars().take(MAX_TYPE).collect()),
        status: Set(WebhookStatus::Processing),
        attempts: Set(1),
        locked_until: Set(Some(locked_until)),
        last_error: Set(None),
        payload: Set(payload),
        processed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    match webhook_events::Entity::insert(row)
        .exec_without_returning(db)
        .await
    {
        Ok(_) => {
            let event = find(db, provider, &external_id).await?;
            return Ok(Delivery::Process(Lease {
                event,
                locked_until,
            }));
        }
        Err(err) if Error::is_unique_violation(&err) => {}
        Err(err) => return Err(err.into()),
    }
    claim(db, provider, &external_id, now).await
}

/// Claims a recorded event that is not processed and whose lease (if any) ended.
async fn claim(
    db: &impl ConnectionTrait,
    provider: WebhookProvider,
    external_id: &str,
    now: DateTime<Utc>,
) -> Result<Delivery> {
    let locked_until = lease_end(now);
    let claimed = webhook_events::Entity::update_many()
        .col_expr(
            webhook_events::Column::Status,
            Expr::value(WebhookStatus::Processing),
        )
        .col_expr(
            webhook_events::Column::Attempts,
            Expr::col(webhook_events::Column::Attempts).add(1),
        )
        .col_expr(
            webhook_events::Column::LockedUntil,
            Expr::value(Some(locked_until)),
        )
        .col_expr(webhook_events::Column::UpdatedAt, Expr::value(now))
        .filter(webhook_events::Column::Provider.eq(provider))
        .filter(webhook_events::Column::ExternalId.eq(external_id))
        .filter(webhook_events::Column::Status.ne(WebhookStatus::Processed))
        .filter(
            webhook_events::Column::LockedUntil
                .is_null()
                .or(webhook_events::Column::LockedUntil.lt(now)),
        )
        .exec(db)
        .await?;
    let event = find(db, provider, external_id).await?;
    Ok(if claimed.rows_affected == 1 {
        Delivery::Process(Lease {
            event,
            locked_until,
        })
    } else if event.status == WebhookStatus::Processed {
        Delivery::Duplicate(event)
    } else {
        Delivery::InProgress(event)
    })
}

async fn find(
    db: &impl ConnectionTrait,
    provider: WebhookProvider,
    external_id: &str,
) -> Result<webhook_events::Model> {
    webhook_events::Entity::find()
        .filter(webhook_events::Column::Provider.eq(provider))
        .filter(webhook_events::Column::ExternalId.eq(external_id))
        .one(db)
        .await?
        .ok_or_else(|| Error::Internal(format!("webhook event {external_id} vanished")))
}

/// [`receive`], and while another delivery holds the event, waits (polling) for its outcome: a
/// duplicate once it is processed, the lease once it failed or its lease ended. After a while
/// still in progress: `webhook_in_progress` (409; the provider retries later).
pub async fn receive_or_wait(
    db: &impl ConnectionTrait,
    provider: WebhookProvider,
    external_id: &str,
    kind: &str,
    payload: serde_json::Value,
) -> Result<Delivery> {
    let external_id: String = external_id.chars().take(MAX_EXTERNAL_ID).collect();
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut delivery = receive(db, provider, &external_id, kind, payload).await?;
    while let Delivery::InProgress(_) = delivery {
        if tokio::time::Instant::now() >= deadline {
            return Err(IN_PROGRESS.into());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
        delivery = claim(db, provider, &external_id, crate::now()).await?;
    }
    Ok(delivery)
}

/// Marks the leased event processed, with an optional note (why nothing was done, e.g. an unknown
/// learner) in `lastError`. Call it in the transaction of the effects: when the lease was lost
/// (it expired and another delivery claimed the event), it fails with [`Error::Busy`] and the
/// effects roll back with it.
pub async fn finish(db: &impl ConnectionTrait, lease: &Lease, note: Option<String>) -> Result<()> {
    let now = crate::now();
    let done = webhook_events::Entity::update_many()
        .col_expr(
            webhook_events::Column::Status,
            Expr::value(WebhookStatus::Processed),
        )
        .col_expr(
            webhook_events::Column::LockedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(webhook_events::Column::LastError, Expr::value(note))
        .col_expr(webhook_events::Column::ProcessedAt, Expr::value(Some(now)))
        .col_expr(webhook_events::Column::UpdatedAt, Expr::value(now))
        .filter(webhook_events::Column::Id.eq(lease.event.id))
        .filter(webhook_events::Column::Status.eq(WebhookStatus::Processing))
        .filter(webhook_events::Column::LockedUntil.eq(lease.locked_until))
        .exec(db)
        .await?;
    if done.rows_affected == 1 {
        Ok(())
    } else {
        Err(Error::Busy(format!(
            "the lease on webhook event {} was lost",
            lease.event.id
        )))
    }
}

/// Marks the leased event failed with `error` and ends the lease: the next delivery (the
/// provider retries on a non-2xx answer) claims it again.
pub async fn fail(db: &impl ConnectionTrait, lease: &Lease, error: &str) -> Result<()> {
    let now = crate::now();
    webhook_events::Entity::update_many()
        .col_expr(
            webhook_events::Column::Status,
            Expr::value(WebhookStatus::Failed),
        )
        .col_expr(
            webhook_events::Column::LockedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(
            webhook_events::Column::LastError,
            Expr::value(Some(error.chars().take(2000).collect::<String>())),
        )
        .col_expr(webhook_events::Column::UpdatedAt, Expr::value(now))
        .filter(webhook_events::Column::Id.eq(lease.event.id))
        .filter(webhook_events::Column::LockedUntil.eq(lease.locked_until))
        .exec(db)
        .await?;
    Ok(())
}

/// Verifies a `t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>` signature header (the
/// scheme of Calendly and Stripe): the timestamp within [`SIGNATURE_TOLERANCE`] of `now`, and any
/// `v1` matching in constant time. Anything else is `webhook_signature_invalid`.
pub fn verify_signature(
    header: Option<&str>,
    key: &[u8],
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<()> {
    let header = header.ok_or(SIGNATURE_INVALID)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => {
                if let Ok(bytes) = hex::decode(value) {
                    signatures.push(bytes);
                }
            }
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SIGNATURE_INVALID)?;
    // `abs_diff`: a timestamp near `i64::MIN` or `i64::MAX` must not overflow the subtraction.
    if now.timestamp().abs_diff(timestamp) > SIGNATURE_TOLERANCE.as_secs() {
        return Err(SIGNATURE_INVALID.into());
    }
    let mut signed = format!("{timestamp}.").into_bytes();
    signed.extend_from_slice(body);
    if signatures
        .iter()
        .any(|tag| crate::crypto::hmac_sha256_verify(key, &signed, tag))
    {
        Ok(())
    } else {
        Err(SIGNATURE_INVALID.into())
    }
}

/// The header value [`verify_signature`] accepts for `body` signed at `timestamp` (tests, fakes).
pub fn sign(key: &[u8], body: &[u8], timestamp: i64) -> String {
    let mut signed = format!("{timestamp}.").into_bytes();
    signed.extend_from_slice(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(crate::crypto::hmac_sha256(key, &signed))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_for_its_body_and_key_within_the_tolerance() {
        let now = Utc::now();
        let key = b"signing-key";
        let header = sign(key, b"{}", now.timestamp());
        assert!(verify_signature(Some(&header), key, b"{}", now).is_ok());
        // Several signatures (during a key rotation): one matching is enough.
        let both = format!("{header},v1={}", "00".repeat(32));
        assert!(verify_signature(Some(&both), key, b"{}", now).is_ok());

        for (header, body) in [
            (None, &b"{}"[..]),
            (Some(header.clone()), &b"{ }"[..]),
            (Some(sign(b"other", b"{}", now.timestamp())), &b"{}"[..]),
            (Some(sign(key, b"{}", now.timestamp() - 301)), &b"{}"[..]),
            (Some(sign(key, b"{}", now.timestamp() + 301)), &b"{}"[..]),
            (Some("v1=abc".to_owned()), &b"{}"[..]),
            (Some(format!("t={}", now.timestamp())), &b"{}"[..]),
            (Some("garbage".to_owned()), &b"{}"[..]),
        ] {
            assert!(
                verify_signature(header.as_deref(), key, body, now)
                    .is_err_and(|e| e.is(SIGNATURE_INVALID)),
                "{header:?}"
            );
        }
    }

    #[test]
    fn extreme_timestamps_are_refused_without_overflowing() {
        let now = Utc::now();
        let key = b"signing-key";
        for t in [i64::MIN, i64::MAX, i64::MIN + 1] {
            // Validly signed, so only the tolerance check can refuse it.
            let header = sign(key, b"{}", t);
            assert!(
                verify_signature(Some(&header), key, b"{}", now)
                    .is_err_and(|e| e.is(SIGNATURE_INVALID)),
                "{header}"
            );
        }
        let header = format!("t=-9223372036854775808,v1={}", "00".repeat(32));
        assert!(
            verify_signature(Some(&header), key, b"{}", now)
                .is_err_and(|e| e.is(SIGNATURE_INVALID))
        );
        // The bound itself: 300 s either side is accepted, 301 s is not.
        for (offset, ok) in [(-300, true), (300, true), (-301, false), (301, false)] {
            let header = sign(key, b"{}", now.timestamp() + offset);
            assert_eq!(
                verify_signature(Some(&header), key, b"{}", now).is_ok(),
                ok,
                "{offset}"
            );
        }
    }
}
