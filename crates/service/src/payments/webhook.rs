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
//! comes last.

use entity::enums::WebhookProvider;
use entity::payments::payments;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionSession as _};

use super::gateway::{CheckoutFacts, Event, Gateway, Object};
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

/// Facts fetched from Stripe before the transaction.
enum Fetched {
    None,
    Subscription(super::gateway::SubscriptionFacts),
    Account(super::gateway::AccountFacts),
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
        let fetched = fetch(gateway, &event).await?;
        db::retrying(|| async {
            let tx = db::begin(db).await?;
            let note = handle(&tx, &event, &fetched).await?;
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

/// Fetches what the event's handler needs to see as Stripe has it now.
async fn fetch(gateway: &Gateway, event: &Event) -> Result<Fetched> {
    Ok(match &event.object {
        Object::Subscription(facts) => {
            Fetched::Subscription(gateway.retrieve_subscription(&facts.id).await?)
        }
        Object::Checkout(CheckoutFacts {
            subscription: Some(id),
            paid: true,
            ..
        }) if event.kind == "checkout.session.completed" => {
            Fetched::Subscription(gateway.retrieve_subscription(id).await?)
        }
        Object::Account(facts) => Fetched::Account(gateway.retrieve_account(&facts.id).await?),
        _ => Fetched::None,
    })
}

/// Our payment named by a Stripe object's metadata (`paymentId`), else by `fallback`.
async fn payment_named(
    db: &impl sea_orm::ConnectionTrait,
    metadata: &std::collections::BTreeMap<String, String>,
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

/// Applies one event in the delivery's transaction; returns the ledger's note.
async fn handle(
    db: &impl sea_orm::ConnectionTrait,
    event: &Event,
    fetched: &Fetched,
) -> Result<Option<String>> {
    match (&event.object, event.kind.as_str()) {
        (Object::Checkout(facts), kind) => {
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
            let Some(payment) = payment else {
                return Ok(Some(format!("checkout {} is not ours", facts.id)));
            };
            if payment
                .stripe_checkout_session_id
                .as_deref()
                .is_some_and(|id| id != facts.id)
            {
                return Ok(Some(format!(
                    "checkout {} is not payment {}'s",
                    facts.id, payment.id
                )));
            }
            match kind {
                "checkout.session.completed" if facts.paid => {
                    if let Fetched::Subscription(subscription) = fetched {
                        subscriptions::apply_state(db, subscription, Some(payment.id)).await?;
                    }
                    settle::paid(
                        db,
                        payment.id,
                        settle::Paid {
                            payment_intent: facts.payment_intent.clone(),
                            customer: facts.customer.clone(),
                        },
                    )
                    .await
                }
                "checkout.session.completed" => Ok(Some(
                    "completed without payment yet (asynchronous method)".to_owned(),
                )),
                _ => settle::expired(db, payment.id).await,
            }
        }
        (Object::PaymentIntent(facts), _) => {
            let Some(payment) = payment_named(
                db,
                &facts.metadata,
                Some((payments::Column::StripePaymentId, facts.id.as_str())),
            )
            .await?
            else {
                return Ok(Some(format!("payment intent {} is not ours", facts.id)));
            };
            let message = facts
                .error
                .clone()
                .unwrap_or_else(|| "the payment was declined".to_owned());
            settle::failed(db, payment.id, &message).await
        }
        (Object::Charge(facts), _) => {
            let payment = match &facts.payment_intent {
                Some(pi) => {
                    payment_named(
                        db,
                        &facts.metadata,
                        Some((payments::Column::StripePaymentId, pi)),
                    )
                    .await?
                }
                None => payment_named(db, &facts.metadata, None).await?,
            };
            let Some(payment) = payment else {
                return Ok(Some(format!("charge {} is not ours", facts.id)));
            };
            settle::refunded_at_stripe(db, payment.id, facts.amount_refunded).await
        }
        (Object::Subscription(_), _) => match fetched {
            Fetched::Subscription(current) => subscriptions::apply_state(db, current, None).await,
            _ => Ok(None),
        },
        (Object::Invoice(facts), kind) => {
            subscriptions::invoice_event(db, facts, kind == "invoice.paid").await
        }
        (Object::Account(_), _) => match fetched {
            Fetched::Account(current) => connect::account_updated(db, current).await,
            _ => Ok(None),
        },
        (Object::Other, kind) => Ok(Some(format!("ignored: {kind} is not handled"))),
    }
}
