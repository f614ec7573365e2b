//! The session status machine (RULES.md, Coaching):
//!
//! ```text
//! pending ──confirm──▶ confirmed ──start──▶ in_progress ──complete──▶ completed
//!    │                    │  └──no-show──▶ no_show
//!    └─decline/cancel─────┴──cancel──▶ cancelled
//! ```
//!
//! Who may do what: the coach confirms, declines, starts, completes and marks a no-show; the
//! learner and the coach cancel and reschedule; an administrator may cancel (as the platform,
//! refunded in full). Anyone else who can see the session gets 403; a move the machine does not
//! allow is 409 `invalid_transition`. Each move is audited and published as
//! `coaching.session_changed`. When payments are on, a priced session is confirmed by its
//! payment (the webhook), not by the coach (409 `payment_pending`).

use chrono::{DateTime, Duration, Utc};
use entity::coaching::{coach_profiles, coaching_plan_purchases, sessions};
use entity::enums::{SessionStatus, SessionType};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionSession as _};
use serde_json::json;

use super::events::{Change, SessionChanged};
use super::sessions::{
    PLAN_BALANCE_UNAVAILABLE, Party, SessionView, access, confirmed, is_free, relock,
    return_to_plan,
};
use super::slots::duration_of;
use super::{
    BOOKED_IN_CALENDLY, INVALID_TRANSITION, SESSION_NOT_STARTED, SLOT_UNAVAILABLE,
    TOO_LATE_TO_RESCHEDULE,
};
use crate::Result;
use crate::admin::audit;
use crate::auth::actor::Actor;
use crate::auth::sessions::Client;
use crate::db::Db;
use crate::jobs::events;
use crate::problem::FORBIDDEN;

/// Longest cancellation reason (the column's length).
pub const MAX_REASON: usize = 512;
/// How long before its start a session can still be cancelled with a refund or rescheduled.
pub const NOTICE: Duration = Duration::hours(24);
/// How early before its start a coach may start a session.
pub const EARLY_START: Duration = Duration::minutes(15);

/// A move of the status machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Confirm,
    Decline { reason: Option<String> },
    Cancel { reason: Option<String> },
    Reschedule { to: DateTime<Utc> },
    Start,
    Complete,
    NoShow,
}

impl Action {
    fn name(&self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Decline { .. } => "decline",
            Self::Cancel { .. } => "cancel",
            Self::Reschedule { .. } => "reschedule",
            Self::Start => "start",
            Self::Complete => "complete",
            Self::NoShow => "no_show",
        }
    }

    /// Whether `party` may make this move at all.
    fn allowed_to(&self, party: Party) -> bool {
        match self {
            Self::Confirm | Self::Decline { .. } | Self::Start | Self::Complete | Self::NoShow => {
                party == Party::Coach
            }
            Self::Cancel { .. } => true,
            Self::Reschedule { .. } => party != Party::Admin,
        }
    }

    /// The statuses this move leaves from.
    fn from(&self) -> &'static [SessionStatus] {
        use SessionStatus::*;
        match self {
            Self::Confirm | Self::Decline { .. } => &[Pending],
            Self::Cancel { .. } | Self::Reschedule { .. } => &[Pending, Confirmed],
            Self::Start | Self::NoShow => &[Confirmed],
            Self::Complete => &[InProgress],
        }
    }
}

/// Writes the cancellation of `session` by `by` into `row` under the refund policy: the
/// learner's own cancellation less than [`NOTICE`] ahead is not refunded; any other is in full
/// (`refundDue`, or a package session back to its plan, which this writes).
pub(crate) async fn cancel(
    db: &impl ConnectionTrait,
    session: &sessions::Model,
    row: &mut sessions::ActiveModel,
    by: i64,
    by_learner: bool,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<()> {
    let refunded = !by_learner || session.scheduled_at - now >= NOTICE;
    if refunded && let Some(purchase) = session.plan_purchase_id {
        return_to_plan(db, purchase).await?;
    }
    row.status = Set(SessionStatus::Cancelled);
    row.cancelled_by = Set(Some(by));
    row.cancelled_at = Set(Some(now));
    row.cancellation_reason = Set(reason);
    row.refund_due = Set(refund_due(session, refunded));
    Ok(())
}

/// What a cancellation owes back: the price with tax when the policy grants a refund of a priced
/// session, `None` otherwise (a package session goes back to its plan instead).
fn refund_due(session: &sessions::Model, refunded: bool) -> Option<i64> {
    let total = session.price + session.tax_amount;
    (refunded && session.r#type != SessionType::Package && total > 0).then_some(total)
}

crate::problems! {
    pub PAYMENT_PENDING: Conflict = "payment_pending",
        "This session is confirmed by the learner's payment, which has not arrived yet.",
        "Cette séance est confirmée par le paiement de l'apprenant, qui n'est pas encore arrivé.";
}

/// Whether a session waits for its payment: priced, not from a plan, not paid.
pub fn awaits_payment(session: &sessions::Model) -> bool {
    session.price > 0 && session.r#type != SessionType::Package && session.payment_id.is_none()
}

/// Applies `action` to a session of the caller's. One transaction, under the parties' locks:
/// the session is read again after them, so two moves of one session run one after the other.
pub async fn apply(
    db: &impl Db,
    actor: &Actor,
    client: &Client,
    session_id: i64,
    action: Action,
    payments: bool,
) -> Result<SessionView> {
    actor.require_session()?;
    let (session, coach, party) = access(db, actor, session_id).await?;
    if !action.allowed_to(party) {
        return Err(FORBIDDEN.into());
    }
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        let (current, coach) = relock(&txn, &coach, &session).await?;
        if payments && action == Action::Confirm && awaits_payment(&current) {
            return Err(PAYMENT_PENDING.into());
        }
        let updated = step(&txn, &current, &coach, party, actor.user_id, &action).await?;
        audit::record(
            &txn,
            audit::Event {
                actor_id: Some(actor.user_id),
                action: &format!("session.{}", action.name()),
                entity_type: "session",
                entity_id: Some(session_id),
                before: Some(
                    json!({"status": current.status, "scheduledAt": current.scheduled_at}),
                ),
                after: Some(json!({
                    "status": updated.status,
                    "scheduledAt": updated.scheduled_at,
                    "refundDue": updated.refund_due,
                })),
            },
            client,
        )
        .await?;
        txn.commit().await?;
        Ok(SessionView {
            session: updated,
            coach_user_id: coach.user_id,
        })
    })
    .await
}

/// Checks and writes one move on the locked session.
async fn step(
    db: &impl ConnectionTrait,
    session: &sessions::Model,
    coach: &coach_profiles::Model,
    party: Party,
    by: i64,
    action: &Action,
) -> Result<sessions::Model> {
    if !action.from().contains(&session.status) {
        return Err(INVALID_TRANSITION.into());
    }
    let now = crate::now();
    let mut row: sessions::ActiveModel = session.clone().into();
    let change = match action {
        Action::Confirm => {
            row.status = Set(SessionStatus::Confirmed);
            Change::Confirmed
        }
        Action::Decline { reason } | Action::Cancel { reason } => {
            let by_learner = party == Party::Learner;
            cancel(db, session, &mut row, by, by_learner, reason.clone(), now).await?;
            if matches!(action, Action::Decline { .. }) {
                Change::Declined
            } else {
                Change::Cancelled
            }
        }
        Action::Reschedule { to } => {
            if session.calendly_event_uri.is_some() {
                return Err(BOOKED_IN_CALENDLY.into());
            }
            if session.scheduled_at - now < NOTICE || *to - now < NOTICE {
                return Err(TOO_LATE_TO_RESCHEDULE.into());
            }
            let minutes = i64::from(session.duration_minutes).max(duration_of(session.r#type));
            if !is_free(
                db,
                coach,
                session.learner_id,
                *to,
                minutes,
                Some(session.id),
            )
            .await?
            {
                return Err(SLOT_UNAVAILABLE.into());
            }
            // A package session stays within its plan's validity, as when it was booked.
            if let Some(purchase) = session.plan_purchase_id {
                let valid = coaching_plan_purchases::Entity::find_by_id(purchase)
                    .one(db)
                    .await?
                    .is_some_and(|p| p.expires_at > *to);
                if !valid {
                    return Err(PLAN_BALANCE_UNAVAILABLE.into());
                }
            }
            row.scheduled_at = Set(*to);
            Change::Rescheduled
        }
        Action::Start => {
            if now < session.scheduled_at - EARLY_START {
                return Err(SESSION_NOT_STARTED.into());
            }
            row.status = Set(SessionStatus::InProgress);
            Change::Started
        }
        Action::Complete => {
            row.status = Set(SessionStatus::Completed);
            Change::Completed
        }
        Action::NoShow => {
            if now < session.scheduled_at {
                return Err(SESSION_NOT_STARTED.into());
            }
            row.status = Set(SessionStatus::NoShow);
            Change::NoShow
        }
    };
    row.updated_at = Set(now);
    let updated = row.update(db).await?;
    if change == Change::Confirmed {
        confirmed(db, &updated, coach.user_id).await?;
    }
    events::publish(
        db,
        &SessionChanged {
            session_id: updated.id,
            change,
            by_user_id: Some(by),
        },
    )
    .await?;
    Ok(updated)
}
