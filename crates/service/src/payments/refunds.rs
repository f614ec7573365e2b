//! Refunds: an administrator's (full or partial), the cancellation policy's (`sessions.refundDue`,
//! set when a session is cancelled or declined), and those of payments for something that could
//! no longer be given. Each is a `refunds` row `pending`, executed by [`ExecuteRefund`]: Stripe is
//! called with the idempotency key `refund:<id>` (a retried job never refunds twice), then the
//! refund is applied in one transaction ([`super::settle::apply_refund`]).
//! A destination charge is refunded with `reverse_transfer` and `refund_application_fee`, so the
//! coach's share and the platform's fee come back in proportion.

use std::collections::BTreeMap;

use entity::coaching::sessions;
use entity::enums::{PaymentPurpose, RefundStatus, SessionStatus};
use entity::payments::{payments, refunds};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionSession as _,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::gateway::RefundRequest;
use super::{PAYMENT_NOT_REFUNDABLE, configured, settle};
use crate::admin::audit;
use crate::auth::actor::Actor;
use crate::auth::sessions::Client;
use crate::coaching::events::{Change, SessionChanged};
use crate::db::Db;
use crate::jobs::{Context, Job};
use crate::problem::NOT_FOUND;
use crate::{Error, Result};

/// Longest reason (the column's length).
pub const MAX_REASON: usize = 255;

/// Inserts a `pending` refund row.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    payment: &payments::Model,
    amount: i64,
    reason: &str,
    requested_by: Option<i64>,
) -> Result<refunds::Model> {
    let now = crate::now();
    Ok(refunds::ActiveModel {
        payment_id: Set(payment.id),
        amount: Set(amount),
        reason: Set(Some(reason.chars().take(MAX_REASON).collect())),
        stripe_refund_id: Set(None),
        status: Set(RefundStatus::Pending),
        requested_by: Set(requested_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Inserts a refund row and queues its execution, in the caller's transaction.
pub(crate) async fn create(
    db: &impl ConnectionTrait,
    payment: &payments::Model,
    amount: i64,
    reason: &str,
    requested_by: Option<i64>,
) -> Result<refunds::Model> {
    let refund = insert(db, payment, amount, reason, requested_by).await?;
    settle::execute_later(db, refund.id).await?;
    Ok(refund)
}

/// What is left to refund: paid, minus refunded, minus refunds under way. A payment without a
/// PaymentIntent (a subscription's first period, billed by Stripe's invoice) has nothing to
/// refund here: it is refunded from Stripe's dashboard, and `charge.refunded` records it.
async fn refundable(db: &impl ConnectionTrait, payment: &payments::Model) -> Result<i64> {
    if payment.paid_at.is_none() || payment.stripe_payment_id.is_none() {
        return Ok(0);
    }
    Ok(payment.amount - payment.refunded_amount - under_way(db, payment.id).await?)
}

/// The amount of a payment's refunds still `pending` (asked of Stripe, not yet applied).
pub(crate) async fn under_way(db: &impl ConnectionTrait, payment_id: i64) -> Result<i64> {
    Ok(refunds::Entity::find()
        .filter(refunds::Column::PaymentId.eq(payment_id))
        .filter(refunds::Column::Status.eq(RefundStatus::Pending))
        .all(db)
        .await?
        .iter()
        .map(|r| r.amount)
        .sum())
}

/// An administrator refunds `amount` cents of a payment (all that is left when `None`); the
/// refund is `pending` until the job has Stripe make it. Audited.
pub async fn request(
    db: &impl Db,
    actor: &Actor,
    client: &Client,
    payment_id: i64,
    amount: Option<i64>,
    reason: Option<String>,
) -> Result<refunds::Model> {
    actor.require_admin("payments:admin")?;
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        let payment = settle::lock(&txn, payment_id).await?.ok_or(NOT_FOUND)?;
        let left = refundable(&txn, &payment).await?;
        if left <= 0 {
            return Err(PAYMENT_NOT_REFUNDABLE.into());
        }
        let amount = amount.unwrap_or(left);
        if amount > left {
            return Err(Error::field(
                "amount",
                "exceeds_refundable",
                format!("is more than the {left} cents left to refund"),
            ));
        }
        let refund = create(
            &txn,
            &payment,
            amount,
            reason.as_deref().unwrap_or("requested_by_admin"),
            Some(actor.user_id),
        )
        .await?;
        audit::record(
            &txn,
            audit::Event {
                actor_id: Some(actor.user_id),
                action: "payment.refund_requested",
                entity_type: "payment",
                entity_id: Some(payment.id),
                before: Some(json!({ "refundedAmount": payment.refunded_amount })),
                after: Some(json!({ "refundId": refund.id, "amount": amount })),
            },
            client,
        )
        .await?;
        txn.commit().await?;
        Ok(refund)
    })
    .await
}

/// The refunds of a payment, oldest first.
pub async fn of_payment(db: &impl ConnectionTrait, payment_id: i64) -> Result<Vec<refunds::Model>> {
    use sea_orm::QueryOrder as _;
    Ok(refunds::Entity::find()
        .filter(refunds::Column::PaymentId.eq(payment_id))
        .order_by_asc(refunds::Column::Id)
        .all(db)
        .await?)
}

/// Executes one refund row at Stripe, then applies it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExecuteRefund {
    pub refund_id: i64,
}

impl Job for ExecuteRefund {
    const KIND: &'static str = "payments.execute_refund";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let Some(refund) = refunds::Entity::find_by_id(self.refund_id)
            .one(ctx.db)
            .await?
        else {
            return Ok(());
        };
        if refund.status != RefundStatus::Pending {
            return Ok(());
        }
        let Some(payment) = payments::Entity::find_by_id(refund.payment_id)
            .one(ctx.db)
            .await?
        else {
            return Ok(());
        };
        let gateway = configured(ctx.deps.payments.as_ref())?;
        let Some(payment_intent) = payment.stripe_payment_id.clone() else {
            return Err(Error::Internal(format!(
                "refund {}: payment {} has no payment intent",
                refund.id, payment.id
            )));
        };
        let created = gateway
            .refund(&RefundRequest {
                idempotency_key: format!("refund:{}", refund.id),
                payment_intent,
                amount: refund.amount,
                destination_charge: payment.purpose == PaymentPurpose::Session
                    && payment.application_fee_amount.is_some(),
                metadata: BTreeMap::from([
                    ("refundId".to_owned(), refund.id.to_string()),
                    ("paymentId".to_owned(), payment.id.to_string()),
                ]),
            })
            .await?;
        crate::db::retrying(|| async {
            let txn = crate::db::begin(ctx.db).await?;
            let payment = settle::lock(&txn, payment.id).await?.ok_or(NOT_FOUND)?;
            if matches!(created.status.as_str(), "failed" | "canceled") {
                refunds::Entity::update_many()
                    .col_expr(refunds::Column::Status, Expr::value(RefundStatus::Failed))
                    .col_expr(
                        refunds::Column::StripeRefundId,
                        Expr::value(Some(created.id.clone())),
                    )
                    .col_expr(refunds::Column::UpdatedAt, Expr::value(crate::now()))
                    .filter(refunds::Column::Id.eq(refund.id))
                    .filter(refunds::Column::Status.eq(RefundStatus::Pending))
                    .exec(&txn)
                    .await?;
            } else {
                settle::apply_refund(&txn, payment, refund.clone(), Some(created.id.clone()))
                    .await?;
            }
            txn.commit().await?;
            Ok(())
        })
        .await
    }
}

crate::register_job!(ExecuteRefund);

/// The cancellation policy's refund: when a paid session is cancelled or declined with
/// `refundDue`, that amount (at most what is left) is refunded, once per session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefundCancelledSession(pub SessionChanged);

impl From<SessionChanged> for RefundCancelledSession {
    fn from(event: SessionChanged) -> Self {
        Self(event)
    }
}

impl Job for RefundCancelledSession {
    const KIND: &'static str = "payments.refund_cancelled_session";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        if !matches!(self.0.change, Change::Cancelled | Change::Declined) {
            return Ok(());
        }
        let Some(session) = sessions::Entity::find_by_id(self.0.session_id)
            .one(ctx.db)
            .await?
        else {
            return Ok(());
        };
        let (Some(due), Some(payment_id)) = (session.refund_due, session.payment_id) else {
            return Ok(());
        };
        if session.status != SessionStatus::Cancelled {
            return Ok(());
        }
        crate::db::retrying(|| async {
            let txn = crate::db::begin(ctx.db).await?;
            let Some(payment) = settle::lock(&txn, payment_id).await? else {
                return Ok(());
            };
            let reason = format!("session_cancelled:{}", session.id);
            let done = refunds::Entity::find()
                .filter(refunds::Column::PaymentId.eq(payment.id))
                .filter(refunds::Column::Reason.eq(reason.clone()))
                .count(&txn)
                .await?;
            let left = refundable(&txn, &payment).await?;
            if done == 0 && left > 0 {
                create(&txn, &payment, due.min(left), &reason, None).await?;
            }
            txn.commit().await?;
            Ok(())
        })
        .await
    }
}

crate::register_job!(RefundCancelledSession);
crate::subscribe!(SessionChanged => RefundCancelledSession);
