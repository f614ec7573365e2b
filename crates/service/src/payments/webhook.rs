//! `POST /webhooks/stripe`: Stripe's signed event deliveries.
//!
//! The `Stripe-Signature` header is verified on the raw body with async-stripe-webhook (300 s
//! tolerance, any `v1` signature, any configured secret during a rotation) before anything else.
//! The event is then recorded in the ledger (`webhookEvents`, unique per provider and event id)
//! and processed under its lease ([`crate::webhooks`]): the effects and the `processed` mark
//! commit in one transaction, so a crash mid-event leaves a lease that expires and Stripe's retry
//! processes it; a duplicate answers 200 and changes nothing.
//!
//! Handlers act on facts, never on the order of arrival: a payment's status is derived from
//! facts that only grow ([`super::settle`]); a subscription or an account is fetched from
//! Stripe when its event is processed, so the row is Stripe's current state whichever event
//! comes last. What an event is about is found before its transaction ([`Plan`]); inside it, the
//! locks come before any read.

use std::collections::BTreeMap;

use entity::enums::WebhookProvider;
use entity::payments::payments;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionSession as _};

use super::gateway::{AccountFacts, Event, Gateway, InvoiceFacts, Object, SubscriptionFacts};
use super::{configured, connect, settle, subscriptions};
use crate::Result;
use crate::db::{self, Db};
use crate::webhooks::{self, Delivery, PAYLOAD_INVALID};

/// What became of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Processed now (possibly with nothing to do: see the event's `lastError` note).
    Processed,
    /// Processed before: nothing changed.
    Duplicate,
}

/// What an event acts on, found (and fetched from Stripe) before the transaction: inside it the
/// handlers take their locks before reading anything (a read first would pin an older snapshot on
/// MariaDB and TiDB).
enum Plan {
    /// Nothing to do; the note says why.
    Note(String),
    /// `checkout.session.completed`, paid; with the subscription it started (subscription mode).
    Paid {
        target: settle::Target,
        facts: settle::Paid,
        subscription: Option<(SubscriptionFacts, i64)>,
    },
    /// `checkout.session.expired`.
    Expired(settle::Target),
    /// `payment_intent.payment_failed`.
    Failed(settle::Target, String),
    /// `charge.refunded`: Stripe's refunded total.
    Refunded(settle::Target, i64),
    /// `customer.subscription.*`: Stripe's current state, and its user.
    Subscription(SubscriptionFacts, i64),
    /// `invoice.*`: the invoice, its user, and whether it is paid.
    Invoice(InvoiceFacts, i64, bool),
    /// `account.updated`: Stripe's current state of the account.
    Account(AccountFacts),
}

/// Verifies, records and processes one delivery.
pub async fn receive(
    db: &impl Db,
    gateway: Option<&Gateway>,
    signature: Option<&str>,
    body: &[u8],
) -> Result<Outcome> {
    let gateway = configured(gateway)?;
    let payload = std::str::from_utf8(body).map_err(|_| PAYLOAD_INVALID)?;
    let event = gateway.verify_event(payload, signature)?;
    let raw: serde_json::Value = serde_json::from_str(payload).map_err(|_| PAYLOAD_INVALID)?;
    let lease =
        match webhooks::receive_or_wait(db, WebhookProvider::Stripe, &event.id, &event.kind, raw)
            .await?
        {
            Delivery::Process(lease) => lease,
            Delivery::Duplicate(_) => return Ok(Outcome::Duplicate),
            Delivery::InProgress(_) => return Err(webhooks::IN_PROGRESS.into()),
        };
    let result = async {
        let plan = plan(db, gateway, &event).await?;
        db::retrying(|| async {
            let tx = db::begin(db).await?;
            let note = apply(&tx, &plan).await?;
            webhooks::finish(&tx, &lease, note).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }
    .await;
    if let Err(err) = result {
        webhooks::fail(db, &lease, &err.to_string()).await?;
        return Err(err);
    }
    Ok(Outcome::Processed)
}

/// Our payment named by a Stripe object's metadata (`paymentId`), else by `fallback`.
async fn payment_named(
    db: &impl ConnectionTrait,
    metadata: &BTreeMap<String, String>,
    fallback: Option<(payments::Column, &str)>,
) -> Result<Option<payments::Model>> {
    if let Some(id) = metadata
        .get("paymentId")
        .and_then(|v| v.parse::<i64>().ok())
        && let Some(payment) = payments::Entity::find_by_id(id).one(db).await?
    {
        return Ok(Some(payment));
    }
    match fallback {
        Some((column, value)) => Ok(payments::Entity::find()
            .filter(column.eq(value))
            .one(db)
            .await?),
        None => Ok(None),
    }
}

/// The payment's [`settle::Target`], or the note saying it is not ours.
async fn target_of(
    db: &impl ConnectionTrait,
    payment: Option<payments::Model>,
    what: &str,
) -> Result<std::result::Result<settle::Target, Plan>> {
    let Some(payment) = payment else {
        return Ok(Err(Plan::Note(format!("{what} is not ours"))));
    };
    match settle::target(db, payment.id).await? {
        Some(target) => Ok(Ok(target)),
        None => Ok(Err(Plan::Note(format!("{what} is not ours")))),
    }
}

/// Reads what the event is about (on the pool) and fetches from Stripe what must be current.
async fn plan(db: &impl ConnectionTrait, gateway: &Gateway, event: &Event) -> Result<Plan> {
    Ok(match &event.object {
        Object::Checkout(facts) => {
            let mut metadata = facts.metadata.clone();
            if let Some(reference) = &facts.client_reference_id {
                metadata
                    .entry("paymentId".to_owned())
                    .or_insert_with(|| reference.clone());
            }
            let payment = payment_named(
                db,
                &metadata,
                Some((payments::Column::StripeCheckoutSessionId, facts.id.as_str())),
            )
            .await?;
            if let Some(payment) = &payment
                && payment
                    .stripe_checkout_session_id
                    .as_deref()
                    .is_some_and(|id| id != facts.id)
            {
                return Ok(Plan::Note(format!(
                    "checkout {} is not payment {}'s",
                    facts.id, payment.id
                )));
            }
            let target = match target_of(db, payment, &format!("checkout {}", facts.id)).await? {
                Ok(target) => target,
                Err(note) => return Ok(note),
            };
            match event.kind.as_str() {
                "checkout.session.completed" if facts.paid => {
                    let subscription = match &facts.subscription {
                        Some(id) => {
                            let current = gateway.retrieve_subscription(id).await?;
                            subscriptions::subscription_user(db, &current)
                                .await?
                                .map(|user| (current, user))
                        }
                        None => None,
                    };
                    Plan::Paid {
                        target,
                        facts: settle::Paid {
                            payment_intent: facts.payment_intent.clone(),
                            customer: facts.customer.clone(),
                            subscription: facts.subscription.clone(),
                        },
                        subscription,
                    }
                }
                "checkout.session.completed" => {
                    Plan::Note("completed without payment yet (asynchronous method)".to_owned())
                }
                _ => Plan::Expired(target),
            }
        }
        Object::PaymentIntent(facts) => {
            let payment = payment_named(
                db,
                &facts.metadata,
                Some((payments::Column::StripePaymentId, facts.id.as_str())),
            )
            .await?;
            match target_of(db, payment, &format!("payment intent {}", facts.id)).await? {
                Ok(target) => Plan::Failed(
                    target,
                    facts
                        .error
                        .clone()
                        .unwrap_or_else(|| "the payment was declined".to_owned()),
                ),
                Err(note) => note,
            }
        }
        Object::Charge(facts) => {
            let fallback = facts
                .payment_intent
                .as_deref()
                .map(|pi| (payments::Column::StripePaymentId, pi));
            let payment = payment_named(db, &facts.metadata, fallback).await?;
            match target_of(db, payment, &format!("charge {}", facts.id)).await? {
                Ok(target) => Plan::Refunded(target, facts.amount_refunded),
                Err(note) => note,
            }
        }
        Object::Subscription(facts) => {
            let current = gateway.retrieve_subscription(&facts.id).await?;
            match subscriptions::subscription_user(db, &current).await? {
                Some(user) => Plan::Subscription(current, user),
                None => Plan::Note(format!("subscription {} names no known user", facts.id)),
            }
        }
        Object::Invoice(facts) => match subscriptions::invoice_user(db, facts).await? {
            Some(user) => Plan::Invoice(facts.clone(), user, event.kind == "invoice.paid"),
            None => Plan::Note(format!("invoice {} names no known user", facts.id)),
        },
        Object::Account(facts) => Plan::Account(gateway.retrieve_account(&facts.id).await?),
        Object::Other => Plan::Note(format!("ignored: {} is not handled", event.kind)),
    })
}

/// Applies a plan in the delivery's transaction; returns the ledger's note.
async fn apply(db: &impl ConnectionTrait, plan: &Plan) -> Result<Option<String>> {
    match plan {
        Plan::Note(note) => Ok(Some(note.clone())),
        Plan::Paid {
            target,
            facts,
            subscription,
        } => {
            if let Some((current, user)) = subscription {
                subscriptions::apply_state(db, current, *user, Some(target.payment_id)).await?;
            }
            settle::paid(db, target, facts.clone()).await
        }
        Plan::Expired(target) => settle::expired(db, target).await,
        Plan::Failed(target, message) => settle::failed(db, target, message).await,
        Plan::Refunded(target, amount) => settle::refunded_at_stripe(db, target, *amount).await,
        Plan::Subscription(current, user) => {
            subscriptions::apply_state(db, current, *user, None).await
        }
        Plan::Invoice(facts, user, paid) => {
            subscriptions::invoice_event(db, facts, *user, *paid).await
        }
        Plan::Account(current) => connect::account_updated(db, current).await,
    }
}
