//! What a payment's facts mean: the grant when Stripe says it is paid, the reversal of what a
//! full refund takes back, the coach's ledger, the invoice, the coupon's redemption and the
//! buyer's notifications.
//!
//! Every function here runs in the caller's transaction (a webhook's or a refund job's) on a
//! [`Target`] found before the transaction began: it takes the target's locks (a session's
//! parties, else the buyer; then the payment) **before reading anything**, since a read before
//! them would pin an older snapshot on MariaDB and TiDB. Each is idempotent: `paidAt` is written
//! once, a refund is applied once (its row moves from `pending` once). The payment's status is
//! never stored from an event: it is derived from the facts ([`status_of`]), which only grow, so
//! the same events in any order leave the same rows.

use chrono::{DateTime, Datelike, Duration, Utc};
use entity::coaching::{coach_profiles, coaching_plan_purchases, coaching_plans, sessions};
use entity::courses::learning_path_courses;
use entity::enrollments::enrollments;
use entity::enums::{
    EnrollmentSource, EnrollmentStatus, InvoiceStatus, LedgerStatus, LedgerType, PaymentPurpose,
    PaymentStatus, PlanPurchaseStatus, RefundStatus, SessionStatus,
};
use entity::payments::{invoices, payments, payout_ledger, refunds, subscriptions};
use entity::users::users;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde_json::json;

use super::coupons;
use super::refunds::ExecuteRefund;
use crate::Result;
use crate::coaching::events::{Change, SessionChanged};
use crate::jobs::{self, events};
use crate::notifications::preferences::Category;
use crate::notifications::{self, Bilingual, Notice};

/// The status the facts give.
pub fn status_of(payment: &payments::Model) -> PaymentStatus {
    if payment.paid_at.is_some() {
        if payment.refunded_amount >= payment.amount {
            PaymentStatus::Refunded
        } else if payment.refunded_amount > 0 {
            PaymentStatus::PartiallyRefunded
        } else {
            PaymentStatus::Succeeded
        }
    } else if payment.failure_message.is_some() {
        PaymentStatus::Failed
    } else {
        PaymentStatus::Pending
    }
}

/// How long after its expiry an unpaid checkout still counts as open: the completion of a
/// checkout paid just before it expired may be delivered late (Stripe retries failed deliveries).
pub const LATE_DELIVERY: Duration = Duration::hours(1);

/// Whether a payment's checkout can still be paid: it then holds one use of its coupon and its
/// session's time. A failed attempt does not close it (the buyer may try another card); Stripe's
/// expiry, or a checkout never created, does (`closedAt`).
pub fn is_open(payment: &payments::Model, now: DateTime<Utc>) -> bool {
    payment.paid_at.is_none()
        && payment.closed_at.is_none()
        && payment
            .expires_at
            .is_some_and(|at| at + LATE_DELIVERY > now)
}

/// [`is_open`] as SQL conditions.
pub fn open_condition(now: DateTime<Utc>) -> sea_orm::sea_query::Condition {
    sea_orm::sea_query::Condition::all()
        .add(payments::Column::PaidAt.is_null())
        .add(payments::Column::ClosedAt.is_null())
        .add(payments::Column::ExpiresAt.gt(now - LATE_DELIVERY))
}

/// Whether a payment of a session is paid or can still be paid: the session is held for it.
pub(crate) async fn session_held(
    db: &impl ConnectionTrait,
    session_id: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(payments::Entity::find()
        .filter(payments::Column::Purpose.eq(PaymentPurpose::Session))
        .filter(payments::Column::ReferenceId.eq(session_id))
        .all(db)
        .await?
        .iter()
        .any(|p| p.paid_at.is_some() || is_open(p, now)))
}

/// Locks a payment's row and reads it.
pub(crate) async fn lock(db: &impl ConnectionTrait, id: i64) -> Result<Option<payments::Model>> {
    crate::db::lock::<payments::Entity>(db, payments::Column::Id, id).await?;
    Ok(payments::Entity::find_by_id(id).one(db).await?)
}

/// A payment and the locks its effects need, found before the transaction that takes them.
#[derive(Debug, Clone)]
pub struct Target {
    pub payment_id: i64,
    /// The buyer.
    user_id: i64,
    /// A session's coach profile and learner: locked in the house order ([`lock_parties`]).
    ///
    /// [`lock_parties`]: crate::coaching::lock_parties
    parties: Option<(coach_profiles::Model, i64)>,
}

/// The [`Target`] of a payment (read on the pool, outside any transaction), `None` when unknown.
pub async fn target(db: &impl ConnectionTrait, payment_id: i64) -> Result<Option<Target>> {
    let Some(payment) = payments::Entity::find_by_id(payment_id).one(db).await? else {
        return Ok(None);
    };
    let mut parties = None;
    if payment.purpose == PaymentPurpose::Session
        && let Some(session) = sessions::Entity::find_by_id(payment.reference_id)
            .one(db)
            .await?
        && let Some(coach) = coach_profiles::Entity::find_by_id(session.coach_id)
            .one(db)
            .await?
    {
        parties = Some((coach, session.learner_id));
    }
    Ok(Some(Target {
        payment_id,
        user_id: payment.user_id,
        parties,
    }))
}

/// Takes a target's locks, first statement of the transaction: a session's parties (coach
/// profile, then users by id), else the buyer; then the payment's row, read after them.
async fn take(db: &impl ConnectionTrait, target: &Target) -> Result<Option<payments::Model>> {
    match &target.parties {
        Some((coach, learner_id)) => crate::coaching::lock_parties(db, coach, *learner_id).await?,
        None => crate::db::lock::<users::Entity>(db, users::Column::Id, target.user_id).await?,
    }
    lock(db, target.payment_id).await
}

/// Writes `row` with its derived status.
async fn save(db: &impl ConnectionTrait, payment: payments::Model) -> Result<payments::Model> {
    let status = status_of(&payment);
    // Every column written: the caller changed facts on the model.
    let mut row = payments::ActiveModel::from(payment).reset_all();
    row.status = Set(status);
    row.updated_at = Set(crate::now());
    Ok(row.update(db).await?)
}

/// What Stripe said about a paid checkout.
#[derive(Debug, Clone, Default)]
pub struct Paid {
    /// `pi_…` (payment mode).
    pub payment_intent: Option<String>,
    /// `cus_…`.
    pub customer: Option<String>,
    /// `sub_…` (subscription mode).
    pub subscription: Option<String>,
}

/// Stripe says the payment is paid: grants what was bought (once), redeems the coupon, writes the
/// coach's ledger entry and the invoice, and tells the buyer. Something that can no longer be
/// given (a session cancelled or paid meanwhile, a course already owned) is refunded in full by
/// a job. Returns a note for the event ledger when nothing was done.
pub async fn paid(
    db: &impl ConnectionTrait,
    target: &Target,
    facts: Paid,
) -> Result<Option<String>> {
    let Some(mut payment) = take(db, target).await? else {
        return Ok(Some(format!("payment {} is unknown", target.payment_id)));
    };
    if payment.paid_at.is_some() {
        return Ok(Some("already paid".to_owned()));
    }
    let now = crate::now();
    payment.paid_at = Some(now);
    payment.failure_message = None;
    if payment.stripe_payment_id.is_none() {
        payment.stripe_payment_id = facts.payment_intent;
    }
    if payment.stripe_customer_id.is_none() {
        payment.stripe_customer_id = facts.customer;
    }
    let payment = save(db, payment).await?;
    let delivered = grant(db, &payment, facts.subscription.as_deref()).await?;
    coupons::redeem(db, &payment).await?;
    if payment.purpose == PaymentPurpose::Session {
        ledger_payment(db, &payment).await?;
    }
    if payment.purpose != PaymentPurpose::Subscription {
        invoice_for(db, &payment).await?;
    }
    if payment.refunded_amount >= payment.amount {
        revoke(db, &payment).await?;
    }
    tell(
        db,
        payment.user_id,
        "payment.succeeded",
        Bilingual {
            en: "Payment received".to_owned(),
            fr: "Paiement reçu".to_owned(),
        },
        Bilingual {
            en: format!("We received your payment of {}.", money(payment.amount)),
            fr: format!(
                "Nous avons reçu votre paiement de {}.",
                money_fr(payment.amount)
            ),
        },
        json!({ "paymentId": payment.id }),
        format!("payment:{}:succeeded", payment.id),
    )
    .await?;
    if !delivered {
        let remaining = payment.amount - payment.refunded_amount;
        if remaining > 0 {
            super::refunds::create(db, &payment, remaining, "not_deliverable", None).await?;
        }
        return Ok(Some(
            "paid for something no longer available: refunded".to_owned(),
        ));
    }
    Ok(None)
}

/// Gives what the payment bought; `false` when it cannot be given any more.
async fn grant(
    db: &impl ConnectionTrait,
    payment: &payments::Model,
    subscription: Option<&str>,
) -> Result<bool> {
    match payment.purpose {
        PaymentPurpose::Course => {
            let granted = crate::enrollments::grant(
                db,
                payment.user_id,
                payment.reference_id,
                EnrollmentSource::Purchase,
            )
            .await?;
            Ok(granted.new)
        }
        PaymentPurpose::Path => {
            if paid_again(db, payment).await? {
                return Ok(false);
            }
            for course_id in path_courses(db, payment.reference_id).await? {
                crate::enrollments::grant(db, payment.user_id, course_id, EnrollmentSource::Path)
                    .await?;
            }
            Ok(true)
        }
        PaymentPurpose::Session => {
            let Some(session) = sessions::Entity::find_by_id(payment.reference_id)
                .one(db)
                .await?
            else {
                return Ok(false);
            };
            let open = matches!(
                session.status,
                SessionStatus::Pending | SessionStatus::Confirmed
            );
            if !open || session.payment_id.is_some() {
                return Ok(false);
            }
            let coach = coach_profiles::Entity::find_by_id(session.coach_id)
                .one(db)
                .await?;
            let was_pending = session.status == SessionStatus::Pending;
            let mut row: sessions::ActiveModel = session.clone().into();
            row.payment_id = Set(Some(payment.id));
            row.status = Set(SessionStatus::Confirmed);
            row.updated_at = Set(crate::now());
            let session = row.update(db).await?;
            if was_pending && let Some(coach) = coach {
                crate::coaching::sessions::confirmed(db, &session, coach.user_id).await?;
                events::publish(
                    db,
                    &SessionChanged {
                        session_id: session.id,
                        change: Change::Confirmed,
                        by_user_id: None,
                    },
                )
                .await?;
            }
            Ok(true)
        }
        PaymentPurpose::Plan => {
            let Some(plan) = coaching_plans::Entity::find_by_id(payment.reference_id)
                .one(db)
                .await?
            else {
                return Ok(false);
            };
            let now = crate::now();
            coaching_plan_purchases::ActiveModel {
                user_id: Set(payment.user_id),
                plan_id: Set(plan.id),
                remaining_sessions: Set(plan.sessions_included),
                expires_at: Set(now + Duration::days(i64::from(plan.validity_days))),
                status: Set(PlanPurchaseStatus::Active),
                payment_id: Set(Some(payment.id)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            Ok(true)
        }
        // The subscription row follows Stripe's subscription events and the checkout's
        // subscription id (see `webhook`). A second one (two checkouts paid) is not renewed and
        // its first payment is refunded.
        PaymentPurpose::Subscription => {
            let others = subscriptions::Entity::find()
                .filter(subscriptions::Column::UserId.eq(payment.user_id))
                .filter(subscriptions::Column::Status.is_in(super::subscriptions::RUNNING))
                .all(db)
                .await?;
            if others
                .iter()
                .all(|s| Some(s.stripe_subscription_id.as_str()) == subscription)
            {
                return Ok(true);
            }
            if let Some(id) = subscription {
                super::erasure::end_subscription(db, id).await?;
            }
            Ok(false)
        }
    }
}

/// The user's other payments of the same purpose (for anything) that are paid and not fully
/// refunded.
async fn live_payments(
    db: &impl ConnectionTrait,
    payment: &payments::Model,
) -> Result<Vec<payments::Model>> {
    Ok(payments::Entity::find()
        .filter(payments::Column::UserId.eq(payment.user_id))
        .filter(payments::Column::Purpose.eq(payment.purpose))
        .filter(payments::Column::Id.ne(payment.id))
        .filter(payments::Column::PaidAt.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|p| p.refunded_amount < p.amount)
        .collect())
}

/// Whether another live payment of the user's pays for the same thing ([`live_payments`]).
async fn paid_again(db: &impl ConnectionTrait, payment: &payments::Model) -> Result<bool> {
    Ok(live_payments(db, payment)
        .await?
        .iter()
        .any(|p| p.reference_id == payment.reference_id))
}

async fn path_courses(db: &impl ConnectionTrait, path_id: i64) -> Result<Vec<i64>> {
    Ok(learning_path_courses::Entity::find()
        .select_only()
        .column(learning_path_courses::Column::CourseId)
        .filter(learning_path_courses::Column::PathId.eq(path_id))
        .into_tuple::<i64>()
        .all(db)
        .await?)
}

/// Takes back what a fully refunded payment gave: the course's enrollment, the path's courses
/// entered through it, the plan purchase; but nothing that another paid payment of the user's
/// still pays for (a duplicate payment refunded leaves the first one's course). A session is not
/// touched: sessions are cancelled by their status machine, which is what refunds them.
async fn revoke(db: &impl ConnectionTrait, payment: &payments::Model) -> Result<()> {
    let now = crate::now();
    let refund_enrollments = |courses: Vec<i64>, source: EnrollmentSource| async move {
        enrollments::Entity::update_many()
            .col_expr(
                enrollments::Column::Status,
                Expr::value(EnrollmentStatus::Refunded),
            )
            .col_expr(enrollments::Column::UpdatedAt, Expr::value(now))
            .filter(enrollments::Column::UserId.eq(payment.user_id))
            .filter(enrollments::Column::CourseId.is_in(courses))
            .filter(enrollments::Column::Source.eq(source))
            .exec(db)
            .await
    };
    match payment.purpose {
        PaymentPurpose::Course => {
            if !paid_again(db, payment).await? {
                refund_enrollments(vec![payment.reference_id], EnrollmentSource::Purchase).await?;
            }
        }
        PaymentPurpose::Path => {
            let live = live_payments(db, payment).await?;
            if live.iter().any(|p| p.reference_id == payment.reference_id) {
                return Ok(());
            }
            // The courses of the user's other paid paths stay.
            let other_paths: std::collections::BTreeSet<i64> =
                live.iter().map(|p| p.reference_id).collect();
            let mut kept = std::collections::BTreeSet::new();
            for path in other_paths {
                kept.extend(path_courses(db, path).await?);
            }
            let courses = path_courses(db, payment.reference_id)
                .await?
                .into_iter()
                .filter(|c| !kept.contains(c))
                .collect();
            refund_enrollments(courses, EnrollmentSource::Path).await?;
        }
        PaymentPurpose::Plan => {
            coaching_plan_purchases::Entity::update_many()
                .col_expr(
                    coaching_plan_purchases::Column::Status,
                    Expr::value(PlanPurchaseStatus::Refunded),
                )
                .col_expr(coaching_plan_purchases::Column::UpdatedAt, Expr::value(now))
                .filter(coaching_plan_purchases::Column::PaymentId.eq(payment.id))
                .exec(db)
                .await?;
        }
        PaymentPurpose::Session | PaymentPurpose::Subscription => {}
    }
    Ok(())
}

/// The coach's side of a paid session: gross (pre-tax), the platform's fee, the net.
async fn ledger_payment(db: &impl ConnectionTrait, payment: &payments::Model) -> Result<()> {
    let gross = payment.amount - payment.tax_amount;
    let fee = payment.application_fee_amount.unwrap_or(0);
    ledger_entry(db, payment, None, LedgerType::SessionPayment, gross, fee).await
}

/// The coach's side of a refund of a session: the refunded share of the pre-tax amount and of
/// the platform's fee, negative (`reverse_transfer` and `refund_application_fee` move them back).
async fn ledger_refund(
    db: &impl ConnectionTrait,
    payment: &payments::Model,
    refund: &refunds::Model,
) -> Result<()> {
    if payment.amount <= 0 {
        return Ok(());
    }
    let share = |part: i64| (part * refund.amount + payment.amount / 2) / payment.amount;
    let gross = share(payment.amount - payment.tax_amount);
    let fee = share(payment.application_fee_amount.unwrap_or(0));
    ledger_entry(
        db,
        payment,
        Some(refund.id),
        LedgerType::Refund,
        -gross,
        -fee,
    )
    .await
}

/// One `payoutLedger` row for the coach of the session a payment paid for.
async fn ledger_entry(
    db: &impl ConnectionTrait,
    payment: &payments::Model,
    refund_id: Option<i64>,
    kind: LedgerType,
    gross: i64,
    fee: i64,
) -> Result<()> {
    let Some(session) = sessions::Entity::find_by_id(payment.reference_id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let now = crate::now();
    payout_ledger::ActiveModel {
        coach_id: Set(session.coach_id),
        session_id: Set(Some(session.id)),
        payment_id: Set(Some(payment.id)),
        refund_id: Set(refund_id),
        r#type: Set(kind),
        gross_amount: Set(gross),
        fee_amount: Set(fee),
        net_amount: Set(gross - fee),
        currency: Set(payment.currency.clone()),
        status: Set(if refund_id.is_some() {
            LedgerStatus::Reversed
        } else {
            LedgerStatus::Pending
        }),
        stripe_transfer_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The invoice of a paid one-off payment: `RA-<year>-<payment id>`.
async fn invoice_for(db: &impl ConnectionTrait, payment: &payments::Model) -> Result<()> {
    let paid_at = payment.paid_at.unwrap_or_else(crate::now);
    let now = crate::now();
    let inserted = invoices::ActiveModel {
        user_id: Set(payment.user_id),
        payment_id: Set(Some(payment.id)),
        amount: Set(payment.amount),
        paid_at: Set(Some(paid_at)),
        number: Set(format!("RA-{}-{:06}", paid_at.year(), payment.id)),
        stripe_invoice_id: Set(None),
        status: Set(InvoiceStatus::Paid),
        tax_amount: Set(payment.tax_amount),
        currency: Set(payment.currency.clone()),
        pdf_path: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(err) if crate::Error::is_unique_violation(&err) => Ok(()),
        Err(err) => Err(err.into()),
    }
}

/// Applies a refund that Stripe made (its row moves from `pending` to `succeeded` once): the
/// payment's refunded total, the coach's negative ledger entry with the fee reversed in
/// proportion, and, when nothing is left, the reversal of what was bought. The payment must be
/// locked by the caller.
pub async fn apply_refund(
    db: &impl ConnectionTrait,
    payment: payments::Model,
    refund: refunds::Model,
    stripe_refund_id: Option<String>,
) -> Result<payments::Model> {
    let moved = refunds::Entity::update_many()
        .col_expr(
            refunds::Column::Status,
            Expr::value(RefundStatus::Succeeded),
        )
        .col_expr(
            refunds::Column::StripeRefundId,
            Expr::value(stripe_refund_id),
        )
        .col_expr(refunds::Column::UpdatedAt, Expr::value(crate::now()))
        .filter(refunds::Column::Id.eq(refund.id))
        .filter(refunds::Column::Status.eq(RefundStatus::Pending))
        .exec(db)
        .await?;
    if moved.rows_affected == 0 {
        return Ok(payment);
    }
    let mut payment = payment;
    payment.refunded_amount = (payment.refunded_amount + refund.amount).min(payment.amount);
    let payment = save(db, payment).await?;
    if payment.purpose == PaymentPurpose::Session {
        ledger_refund(db, &payment, &refund).await?;
    }
    if payment.paid_at.is_some() && payment.refunded_amount >= payment.amount {
        revoke(db, &payment).await?;
    }
    tell(
        db,
        payment.user_id,
        "payment.refunded",
        Bilingual {
            en: "Refund issued".to_owned(),
            fr: "Remboursement effectué".to_owned(),
        },
        Bilingual {
            en: format!("{} is being returned to your card.", money(refund.amount)),
            fr: format!(
                "{} est en cours de remboursement sur votre carte.",
                money_fr(refund.amount)
            ),
        },
        json!({ "paymentId": payment.id, "refundId": refund.id }),
        format!("refund:{}", refund.id),
    )
    .await?;
    Ok(payment)
}

/// `charge.refunded`: Stripe's refunded total for the payment. What our own refund rows (pending
/// or done) do not explain was refunded elsewhere (Stripe's dashboard): it is recorded as a
/// refund of its own and applied.
pub async fn refunded_at_stripe(
    db: &impl ConnectionTrait,
    target: &Target,
    amount_refunded: i64,
) -> Result<Option<String>> {
    let Some(payment) = take(db, target).await? else {
        return Ok(Some(format!("payment {} is unknown", target.payment_id)));
    };
    let pending = super::refunds::under_way(db, payment.id).await?;
    let unexplained = amount_refunded.min(payment.amount) - payment.refunded_amount - pending;
    if unexplained <= 0 {
        return Ok(Some("refunds already recorded".to_owned()));
    }
    let refund =
        super::refunds::insert(db, &payment, unexplained, "refunded_at_stripe", None).await?;
    apply_refund(db, payment, refund, None).await?;
    Ok(None)
}

/// The checkout expired unpaid: it is closed (its coupon reservation ends), the payment failed,
/// and a session that was waiting only for it is released.
pub async fn expired(db: &impl ConnectionTrait, target: &Target) -> Result<Option<String>> {
    let Some(mut payment) = take(db, target).await? else {
        return Ok(Some(format!("payment {} is unknown", target.payment_id)));
    };
    if payment.paid_at.is_some() {
        return Ok(Some("already paid".to_owned()));
    }
    let now = crate::now();
    payment.closed_at = payment.closed_at.or(Some(now));
    if payment.failure_message.is_none() {
        payment.failure_message = Some("the checkout expired before it was paid".to_owned());
    }
    let payment = save(db, payment).await?;
    if payment.purpose != PaymentPurpose::Session {
        return Ok(None);
    }
    let Some(session) = sessions::Entity::find_by_id(payment.reference_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    // Another checkout of the same session still open or paid keeps it (this one is closed now).
    if session_held(db, session.id, now).await?
        || session.status != SessionStatus::Pending
        || session.payment_id.is_some()
    {
        return Ok(None);
    }
    let mut row: sessions::ActiveModel = session.clone().into();
    row.status = Set(SessionStatus::Cancelled);
    row.cancelled_at = Set(Some(now));
    row.cancellation_reason = Set(Some("The payment was not completed in time.".to_owned()));
    row.updated_at = Set(now);
    row.update(db).await?;
    events::publish(
        db,
        &SessionChanged {
            session_id: session.id,
            change: Change::Cancelled,
            by_user_id: None,
        },
    )
    .await?;
    Ok(None)
}

/// A payment attempt failed: recorded unless the payment was paid meanwhile. The checkout stays
/// open (Checkout lets the buyer try another card until it expires; a later success wins).
pub async fn failed(
    db: &impl ConnectionTrait,
    target: &Target,
    message: &str,
) -> Result<Option<String>> {
    let Some(mut payment) = take(db, target).await? else {
        return Ok(Some(format!("payment {} is unknown", target.payment_id)));
    };
    if payment.paid_at.is_some() {
        return Ok(Some("already paid".to_owned()));
    }
    let first = payment.failure_message.is_none();
    payment.failure_message = Some(message.chars().take(512).collect());
    let payment = save(db, payment).await?;
    if first {
        tell(
            db,
            payment.user_id,
            "payment.failed",
            Bilingual {
                en: "Payment not completed".to_owned(),
                fr: "Paiement non effectué".to_owned(),
            },
            Bilingual {
                en: "Your payment did not go through. You can try again.".to_owned(),
                fr: "Votre paiement n'a pas abouti. Vous pouvez réessayer.".to_owned(),
            },
            json!({ "paymentId": payment.id }),
            format!("payment:{}:failed", payment.id),
        )
        .await?;
    }
    Ok(None)
}

/// `$12.34`.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.abs();
    format!("{sign}${}.{:02}", cents / 100, cents % 100)
}

/// `12,34 $`.
pub fn money_fr(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.abs();
    format!("{sign}{},{:02} $", cents / 100, cents % 100)
}

/// A notification in the Payments category, told once per `key`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn tell(
    db: &impl ConnectionTrait,
    user_id: i64,
    kind: &str,
    title: Bilingual,
    message: Bilingual,
    data: serde_json::Value,
    key: String,
) -> Result<()> {
    notifications::notify(
        db,
        user_id,
        &Notice {
            category: Category::Payments,
            kind: kind.to_owned(),
            title,
            message,
            data,
            dedupe_key: Some(key),
        },
    )
    .await?;
    Ok(())
}

/// Queues the execution of a refund row.
pub(crate) async fn execute_later(db: &impl ConnectionTrait, refund_id: i64) -> Result<()> {
    jobs::enqueue_once(
        db,
        &ExecuteRefund { refund_id },
        crate::now(),
        &format!("refund:{refund_id}"),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use entity::enums::PaymentPurpose;

    fn payment(paid: bool, refunded: i64, failed: bool) -> payments::Model {
        let now = crate::now();
        payments::Model {
            id: 1,
            user_id: 1,
            amount: 1000,
            currency: "CAD".to_owned(),
            stripe_payment_id: None,
            status: PaymentStatus::Pending,
            purpose: PaymentPurpose::Course,
            reference_id: 1,
            stripe_checkout_session_id: None,
            tax_amount: 0,
            application_fee_amount: None,
            discount_amount: 0,
            refunded_amount: refunded,
            coupon_id: None,
            paid_at: paid.then_some(now),
            expires_at: None,
            checkout_url: None,
            failure_message: failed.then(|| "declined".to_owned()),
            closed_at: None,
            stripe_customer_id: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn the_status_follows_the_facts_whatever_came_first() {
        assert_eq!(status_of(&payment(false, 0, false)), PaymentStatus::Pending);
        assert_eq!(status_of(&payment(false, 0, true)), PaymentStatus::Failed);
        // Paid wins over an earlier failed attempt.
        assert_eq!(status_of(&payment(true, 0, true)), PaymentStatus::Succeeded);
        assert_eq!(
            status_of(&payment(true, 400, false)),
            PaymentStatus::PartiallyRefunded
        );
        assert_eq!(
            status_of(&payment(true, 1000, false)),
            PaymentStatus::Refunded
        );
        // A refund known before the payment: pending until paid, then refunded.
        assert_eq!(
            status_of(&payment(false, 1000, false)),
            PaymentStatus::Pending
        );
    }

    #[test]
    fn a_checkout_is_open_until_closed_or_an_hour_past_its_expiry() {
        let now = crate::now();
        let mut p = payment(false, 0, true);
        p.expires_at = Some(now - Duration::minutes(30));
        assert!(
            is_open(&p, now),
            "a declined attempt and a late delivery keep it open"
        );
        p.expires_at = Some(now - Duration::minutes(61));
        assert!(!is_open(&p, now));
        p.expires_at = Some(now + Duration::minutes(30));
        p.closed_at = Some(now);
        assert!(!is_open(&p, now), "closed by Stripe's expiry");
        let paid = payment(true, 0, false);
        assert!(!is_open(&paid, now));
    }

    #[test]
    fn money_is_written_per_language() {
        assert_eq!(money(123_456), "$1234.56");
        assert_eq!(money(-5), "-$0.05");
        assert_eq!(money_fr(4900), "49,00 $");
    }
}
