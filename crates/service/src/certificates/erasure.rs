//! Erasure: when a holder deletes their account, their name leaves their certificates, which stay
//! verifiable.

use chrono::{DateTime, DurationRound as _, TimeDelta, Utc};
use entity::certificates::certificates;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{Signer, message_of};
use crate::Result;

/// Erases the name of user `user_id` from every certificate they hold, at `now`; returns how
/// many certificates were erased. Called by account deletion, inside its transaction (run it on
/// the caller's transaction: the account and its certificates are erased together or not at all).
///
/// `recipientName` becomes empty and `holderErasedAt` is set. A certificate whose signature
/// verified over its stored fields is signed again over the same fields with an empty name (see
/// [`message_of`]), so the public verification keeps confirming that the number was issued, for
/// this course and on this date; one that did not verify (an altered row) keeps its old
/// signature and stays invalid. Certificates already erased are left as they are.
pub async fn erase_holder(
    db: &impl ConnectionTrait,
    signer: &Signer,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<usize> {
    let held = certificates::Entity::find()
        .filter(certificates::Column::UserId.eq(user_id))
        .filter(certificates::Column::HolderErasedAt.is_null())
        .all(db)
        .await?;
    let erased_at = now
        .duration_trunc(TimeDelta::microseconds(1))
        .unwrap_or(now);
    let count = held.len();
    for certificate in held {
        let genuine = signer.verify(message_of(&certificate).as_bytes(), &certificate.signature);
        let mut erased = certificate.clone();
        erased.recipient_name = String::new();
        erased.holder_erased_at = Some(erased_at);
        let signature = if genuine {
            signer.sign(message_of(&erased).as_bytes())
        } else {
            certificate.signature.clone()
        };
        let mut row: certificates::ActiveModel = certificate.into();
        row.recipient_name = Set(String::new());
        row.holder_erased_at = Set(Some(erased_at));
        row.signature = Set(signature);
        row.update(db).await?;
    }
    if count > 0 {
        tracing::info!(user_id, count, "certificate holder erased");
    }
    Ok(count)
}
