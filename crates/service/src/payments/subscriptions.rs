//! Subscriptions: the all-access plans (`GET /subscription-plans`), the caller's subscription
//! (`GET /subscriptions/me`), cancelling at the period's end and Stripe's customer portal, and the
//! mirror of Stripe's subscription and invoice events.
//!
//! The `subscriptions` row is Stripe's subscription as last fetched: every subscription event
//! is answered by fetching the subscription from Stripe (see `webhook`), so events processed in
//! any order leave the row as Stripe has it now. The row names its user and plan from the
//! metadata that checkout put on the subscription (`userId`, `plan`). While it is `trialing`,
//! `active` or `past_due` the learner may enter paid courses (enrollment source
//! `subscription`); when it ends, those enrollments expire.

use chrono::{DateTime, Utc};
use entity::enrollments::enrollments;
use entity::enums::{EnrollmentSource, EnrollmentStatus, InvoiceStatus, SubscriptionStatus};
use entity::payments::{invoices, subscription_plans, subscriptions};
use entity::users::users;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;

use super::gateway::{Gateway, InvoiceFacts, SubscriptionFacts};
use super::{NO_SUBSCRIPTION, configured, settle};
use crate::auth::actor::Actor;
use crate::db::Db;
use crate::notifications::Bilingual;
use crate::{Error, Result};

/// Statuses that open the catalog.
pub const RUNNING: [SubscriptionStatus; 3] = [
    SubscriptionStatus::Trialing,
    SubscriptionStatus::Active,
    SubscriptionStatus::PastDue,
];

/// Stripe's status in our five.
pub fn status_from(stripe: &str) -> SubscriptionStatus {
    match stripe {
        "trialing" => SubscriptionStatus::Trialing,
        "active" => SubscriptionStatus::Active,
        "past_due" => SubscriptionStatus::PastDue,
        // Not paid (Stripe stopped retrying, or the subscription is paused): no catalog.
        "incomplete" | "unpaid" | "paused" => SubscriptionStatus::Incomplete,
        _ => SubscriptionStatus::Canceled,
    }
}

/// The plans on sale.
pub async fn plans(db: &impl ConnectionTrait) -> Result<Vec<subscription_plans::Model>> {
    Ok(subscription_plans::Entity::find()
        .filter(subscription_plans::Column::Active.eq(true))
        .order_by_asc(subscription_plans::Column::Price)
        .all(db)
        .await?)
}

/// Whether `user_id` has a running subscription now.
pub async fn running(db: &impl ConnectionTrait, user_id: i64) -> Result<bool> {
    Ok(subscriptions::Entity::find()
        .filter(subscriptions::Column::UserId.eq(user_id))
        .filter(subscriptions::Column::Status.is_in(RUNNING))
        .count(db)
        .await?
        > 0)
}

/// The caller's latest subscription (404 `no_subscription`).
pub async fn mine(db: &impl ConnectionTrait, actor: &Actor) -> Result<subscriptions::Model> {
    subscriptions::Entity::find()
        .filter(subscriptions::Column::UserId.eq(actor.user_id))
        .order_by_desc(subscriptions::Column::CreatedAt)
        .order_by_desc(subscriptions::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| NO_SUBSCRIPTION.into())
}

/// Asks Stripe to end the caller's running subscription at the end of its period (or to keep
/// it, `cancel = false`). The row follows at once and again with Stripe's event.
pub async fn cancel_at_period_end(
    db: &impl Db,
    gateway: Option<&Gateway>,
    actor: &Actor,
    cancel: bool,
) -> Result<subscriptions::Model> {
    actor.require_session()?;
    let gateway = configured(gateway)?;
    let current = mine(db, actor).await?;
    if !RUNNING.contains(&current.status) {
        return Err(NO_SUBSCRIPTION.into());
    }
    gateway
        .set_cancel_at_period_end(&current.stripe_subscription_id, cancel)
        .await?;
    let mut row: subscriptions::ActiveModel = current.into();
    row.cancel_at_period_end = Set(cancel);
    row.updated_at = Set(crate::now());
    Ok(row.update(db).await?)
}

/// A Stripe customer portal session for the caller's subscription; returns its URL.
pub async fn portal(
    db: &impl Db,
    gateway: Option<&Gateway>,
    actor: &Actor,
    app_base_url: &str,
) -> Result<String> {
    actor.require_session()?;
    let gateway = configured(gateway)?;
    let current = mine(db, actor).await?;
    let customer = current.stripe_customer_id.ok_or(NO_SUBSCRIPTION)?;
    let back = format!(
        "{}/account/subscription",
        app_base_url.trim_end_matches('/')
    );
    gateway.portal_session(&customer, &back).await
}

/// The user a subscription belongs to: its metadata's `userId` (an existing account), else the
/// row already known. Read on the pool, before the transaction that locks the user.
pub async fn subscription_user(
    db: &impl ConnectionTrait,
    facts: &SubscriptionFacts,
) -> Result<Option<i64>> {
    let named = facts
        .metadata
        .get("userId")
        .and_then(|v| v.parse::<i64>().ok());
    if let Some(id) = named {
        return Ok(users::Entity::find_by_id(id).one(db).await?.map(|u| u.id));
    }
    Ok(subscriptions::Entity::find()
        .filter(subscriptions::Column::StripeSubscriptionId.eq(&facts.id))
        .one(db)
        .await?
        .map(|s| s.user_id))
}

/// Writes Stripe's current state of a subscription of `user_id` ([`subscription_user`]), whose
/// row is locked first; `payment_id` is the checkout payment that started it, when known. A
/// cancelled subscription never runs again (Stripe does not revive one; a state fetched before a
/// cancellation cannot undo it).
pub async fn apply_state(
    db: &impl ConnectionTrait,
    facts: &SubscriptionFacts,
    user_id: i64,
    payment_id: Option<i64>,
) -> Result<Option<String>> {
    crate::db::lock::<users::Entity>(db, users::Column::Id, user_id).await?;
    let existing = subscriptions::Entity::find()
        .filter(subscriptions::Column::StripeSubscriptionId.eq(&facts.id))
        .one(db)
        .await?;
    if existing.as_ref().is_some_and(|s| s.user_id != user_id) {
        return Ok(Some(format!("subscription {} is another user's", facts.id)));
    }
    let plan = facts
        .metadata
        .get("plan")
        .cloned()
        .or(existing.as_ref().map(|s| s.plan.clone()))
        .unwrap_or_default();
    let status = match &existing {
        Some(row) if row.status == SubscriptionStatus::Canceled => SubscriptionStatus::Canceled,
        _ => status_from(&facts.status),
    };
    let now = crate::now();
    let was_running = existing
        .as_ref()
        .is_some_and(|s| RUNNING.contains(&s.status));
    match existing {
        Some(row) => {
            let payment = row.payment_id.or(payment_id);
            let mut row: subscriptions::ActiveModel = row.into();
            row.status = Set(status);
            row.current_period_end = Set(facts.current_period_end);
            row.cancel_at_period_end = Set(facts.cancel_at_period_end);
            row.payment_id = Set(payment);
            if facts.customer.is_some() {
                row.stripe_customer_id = Set(facts.customer.clone());
            }
            row.updated_at = Set(now);
            row.update(db).await?;
        }
        None => {
            let inserted = subscriptions::ActiveModel {
                user_id: Set(user_id),
                stripe_subscription_id: Set(facts.id.chars().take(255).collect()),
                stripe_customer_id: Set(facts.customer.clone()),
                plan: Set(plan.chars().take(64).collect()),
                status: Set(status),
                current_period_end: Set(facts.current_period_end),
                cancel_at_period_end: Set(facts.cancel_at_period_end),
                payment_id: Set(payment_id),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await;
            match inserted {
                Ok(_) => {}
                // Under the user's lock only another subscription can collide; report it.
                Err(err) if Error::is_unique_violation(&err) => {
                    return Err(Error::Busy(format!("subscription {} raced", facts.id)));
                }
                Err(err) => return Err(err.into()),
            }
        }
    }
    if was_running && !RUNNING.contains(&status) && !running(db, user_id).await? {
        enrollments::Entity::update_many()
            .col_expr(
                enrollments::Column::Status,
                Expr::value(EnrollmentStatus::Expired),
            )
            .col_expr(enrollments::Column::UpdatedAt, Expr::value(now))
            .filter(enrollments::Column::UserId.eq(user_id))
            .filter(enrollments::Column::Source.eq(EnrollmentSource::Subscription))
            .filter(enrollments::Column::Status.eq(EnrollmentStatus::Active))
            .exec(db)
            .await?;
        settle::tell(
            db,
            user_id,
            "subscription.ended",
            Bilingual {
                en: "Subscription ended".to_owned(),
                fr: "Abonnement terminé".to_owned(),
            },
            Bilingual {
                en: "Your subscription has ended; courses opened by it are closed.".to_owned(),
                fr: "Votre abonnement a pris fin ; les cours qu'il ouvrait sont fermés.".to_owned(),
            },
            json!({ "subscription": facts.id }),
            format!("subscription:{}:ended", facts.id),
        )
        .await?;
    }
    Ok(None)
}

/// The user an invoice bills: the subscription's metadata copied on it (`userId`, an existing
/// account), else the known subscription's. Read on the pool, before the transaction.
pub async fn invoice_user(db: &impl ConnectionTrait, facts: &InvoiceFacts) -> Result<Option<i64>> {
    let named = facts
        .subscription_metadata
        .get("userId")
        .and_then(|v| v.parse::<i64>().ok());
    if let Some(id) = named {
        return Ok(users::Entity::find_by_id(id).one(db).await?.map(|u| u.id));
    }
    let Some(subscription) = &facts.subscription else {
        return Ok(None);
    };
    Ok(subscriptions::Entity::find()
        .filter(subscriptions::Column::StripeSubscriptionId.eq(subscription))
        .one(db)
        .await?
        .map(|s| s.user_id))
}

/// `invoice.paid` / `invoice.payment_failed` of a subscription of `user_id` ([`invoice_user`],
/// locked first): the invoice row (`RA-S-…`), which never goes back from `paid`; a failed payment
/// tells the subscriber.
pub async fn invoice_event(
    db: &impl ConnectionTrait,
    facts: &InvoiceFacts,
    user_id: i64,
    paid: bool,
) -> Result<Option<String>> {
    crate::db::lock::<users::Entity>(db, users::Column::Id, user_id).await?;
    let now = crate::now();
    let existing = invoices::Entity::find()
        .filter(invoices::Column::StripeInvoiceId.eq(&facts.id))
        .one(db)
        .await?;
    let status = if paid {
        InvoiceStatus::Paid
    } else {
        InvoiceStatus::Open
    };
    let paid_at: Option<DateTime<Utc>> = if paid {
        facts.paid_at.or(Some(now))
    } else {
        None
    };
    match existing {
        Some(row) if row.status == InvoiceStatus::Paid => {}
        Some(row) => {
            let mut row: invoices::ActiveModel = row.into();
            row.status = Set(status);
            row.paid_at = Set(paid_at);
            row.amount = Set(facts.total);
            row.tax_amount = Set(facts.tax);
            row.updated_at = Set(now);
            row.update(db).await?;
        }
        None => {
            let number = format!(
                "RA-S-{}",
                facts.number.clone().unwrap_or_else(|| facts.id.clone())
            );
            invoices::ActiveModel {
                user_id: Set(user_id),
                payment_id: Set(None),
                amount: Set(facts.total),
                paid_at: Set(paid_at),
                number: Set(number.chars().take(32).collect()),
                stripe_invoice_id: Set(Some(facts.id.chars().take(255).collect())),
                status: Set(status),
                tax_amount: Set(facts.tax),
                currency: Set(facts.currency.to_uppercase().chars().take(3).collect()),
                pdf_path: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    if !paid {
        settle::tell(
            db,
            user_id,
            "subscription.payment_failed",
            Bilingual {
                en: "Subscription payment failed".to_owned(),
                fr: "Échec du paiement de l'abonnement".to_owned(),
            },
            Bilingual {
                en: "We could not charge your card. Update it from your subscription page."
                    .to_owned(),
                fr: "Nous n'avons pas pu débiter votre carte. Mettez-la à jour depuis la page de votre abonnement."
                    .to_owned(),
            },
            json!({ "invoice": facts.id }),
            format!("invoice:{}:failed", facts.id),
        )
        .await?;
    }
    Ok(None)
}
