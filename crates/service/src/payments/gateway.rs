//! The payment gateway: every call RusingAcademy makes to Stripe, and the translation of the
//! Stripe events it acts on into plain facts ([`Event`]), over async-stripe 1.0 (split crates,
//! only the resource features used). Business rules live in the sibling modules; nothing here
//! touches the database.
//!
//! The client is built with `ClientBuilder::url(api_base)`, so tests point it at a local fake
//! Stripe HTTP server. Every call that creates something carries an `Idempotency-Key` derived
//! from our own ids, so a retried job or request never creates a second object at Stripe.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use stripe::{IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_billing::billing_portal_session::CreateBillingPortalSession;
use stripe_billing::subscription::{RetrieveSubscription, UpdateSubscription};
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionAllowedPaymentMethodTypes,
    CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    CreateCheckoutSessionLineItemsPriceDataRecurring,
    CreateCheckoutSessionLineItemsPriceDataRecurringInterval,
    CreateCheckoutSessionPaymentIntentData, CreateCheckoutSessionPaymentIntentDataTransferData,
    CreateCheckoutSessionSubscriptionData, ProductData,
};
use stripe_connect::account::{
    CreateAccount, CreateAccountCapabilities, CreateAccountCapabilitiesCardPayments,
    CreateAccountCapabilitiesTransfers, CreateAccountType, RetrieveAccount,
};
use stripe_connect::account_link::{CreateAccountLink, CreateAccountLinkType};
use stripe_core::refund::CreateRefund;
use stripe_shared::{CheckoutSessionMode, CheckoutSessionPaymentStatus};
use stripe_webhook::{EventObject, Webhook, WebhookError};

use crate::webhooks::{PAYLOAD_INVALID, SIGNATURE_INVALID};
use crate::{Error, Result};

/// Stripe's API, when `api_base` is not set.
pub const DEFAULT_API_BASE: &str = "https://api.stripe.com/";
/// How long one attempt of a call may take.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The name errors carry.
const DEPENDENCY: &str = "stripe";

/// Settings of the gateway (`STRIPE_SECRET_KEY`, `STRIPE_API_BASE`, `STRIPE_WEBHOOK_SECRET`).
#[derive(Debug, Clone)]
pub struct Settings {
    pub secret_key: SecretString,
    /// Stripe's API (default `https://api.stripe.com`).
    pub api_base: Option<String>,
    /// Endpoint signing secrets (`whsec_…`); several during a rotation: an event signed with any
    /// of them is accepted.
    pub webhook_secrets: Vec<SecretString>,
}

/// The Stripe client and webhook secrets, cheap to clone.
#[derive(Clone)]
pub struct Gateway {
    client: stripe::Client,
    /// Signing secrets, tried in order.
    webhook_secrets: Arc<[SecretString]>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway").finish_non_exhaustive()
    }
}

/// Checkout mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A one-off payment.
    Payment,
    /// A recurring subscription (`mode=subscription`).
    Subscription,
}

/// Billing interval of a subscription line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Month,
    Year,
}

/// One line of a Checkout Session, priced inline (`price_data`, quantity 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Product name shown on Stripe's page.
    pub name: String,
    /// Unit amount in cents (after any discount).
    pub amount: i64,
    /// Set for the recurring line of a subscription checkout.
    pub interval: Option<Interval>,
}

/// The connected account that receives a destination charge, and the platform's fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// The coach's Stripe account (`acct_…`).
    pub account: String,
    /// `application_fee_amount` in cents (computed on the pre-tax amount).
    pub application_fee: i64,
}

/// A Checkout Session to create.
#[derive(Debug, Clone)]
pub struct CheckoutRequest {
    /// Forwarded as the `Idempotency-Key` header.
    pub idempotency_key: String,
    pub mode: Mode,
    /// Lower-case ISO currency (`cad`).
    pub currency: String,
    pub lines: Vec<Line>,
    /// `client_reference_id`: our `payments.id`.
    pub client_reference_id: String,
    pub customer_email: Option<String>,
    /// Copied to the session's `metadata`, and to `payment_intent_data.metadata` (payment mode)
    /// or `subscription_data.metadata` (subscription mode), so that every later event about
    /// the payment or the subscription names it.
    pub metadata: BTreeMap<String, String>,
    /// Destination charge (payment mode only): `payment_intent_data.transfer_data.destination`
    /// and `payment_intent_data.application_fee_amount`.
    pub destination: Option<Destination>,
    /// `expires_at` (Stripe accepts 30 minutes to 24 hours ahead).
    pub expires_at: DateTime<Utc>,
    pub success_url: String,
    pub cancel_url: String,
}

/// A created Checkout Session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutCreated {
    /// `cs_…`.
    pub id: String,
    /// Where the buyer pays.
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// A refund to create.
#[derive(Debug, Clone)]
pub struct RefundRequest {
    pub idempotency_key: String,
    /// The payment's PaymentIntent (`pi_…`).
    pub payment_intent: String,
    /// Cents.
    pub amount: i64,
    /// For a destination charge: `reverse_transfer=true` and `refund_application_fee=true`, so
    /// the coach's share and the platform's fee are given back in proportion.
    pub destination_charge: bool,
    /// Copied to the refund's `metadata` (`refundId`, `paymentId`).
    pub metadata: BTreeMap<String, String>,
}

/// A created refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundCreated {
    /// `re_…`.
    pub id: String,
    /// `succeeded`, `pending`, `failed`, `canceled`, `requires_action`.
    pub status: String,
}

/// An account onboarding link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLink {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// A verified Stripe event, reduced to the facts the platform acts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// `evt_…`.
    pub id: String,
    /// `checkout.session.completed`, …
    pub kind: String,
    pub object: Object,
}

/// The object of an [`Event`].
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    /// `checkout.session.completed` and `checkout.session.expired`.
    Checkout(CheckoutFacts),
    /// `payment_intent.payment_failed`.
    PaymentIntent(PaymentIntentFacts),
    /// `charge.refunded`.
    Charge(ChargeFacts),
    /// `customer.subscription.created|updated|deleted`.
    Subscription(SubscriptionFacts),
    /// `invoice.paid` and `invoice.payment_failed`.
    Invoice(InvoiceFacts),
    /// `account.updated`.
    Account(AccountFacts),
    /// Any other type: recorded, not acted on.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutFacts {
    /// `cs_…`.
    pub id: String,
    /// `client_reference_id`.
    pub client_reference_id: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// `pi_…` (payment mode, once paid).
    pub payment_intent: Option<String>,
    /// `sub_…` (subscription mode).
    pub subscription: Option<String>,
    /// `cus_…`.
    pub customer: Option<String>,
    /// `amount_total` in cents.
    pub amount_total: Option<i64>,
    /// `payment_status == paid` (or `no_payment_required`).
    pub paid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentIntentFacts {
    /// `pi_…`.
    pub id: String,
    pub metadata: BTreeMap<String, String>,
    /// `last_payment_error.message`.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeFacts {
    /// `ch_…`.
    pub id: String,
    pub payment_intent: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub amount: i64,
    /// Total refunded so far (cents).
    pub amount_refunded: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionFacts {
    /// `sub_…`.
    pub id: String,
    pub customer: Option<String>,
    /// Stripe's status string: `trialing`, `active`, `past_due`, `canceled`, `unpaid`,
    /// `incomplete`, `incomplete_expired`, `paused`.
    pub status: String,
    /// End of the current period (from the first item, where API versions since 2025 keep it).
    pub current_period_end: Option<DateTime<Utc>>,
    pub cancel_at_period_end: bool,
    pub metadata: BTreeMap<String, String>,
    /// `created` (Unix time), to order updates.
    pub created: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceFacts {
    /// `in_…`.
    pub id: String,
    /// Stripe's invoice number, when finalised.
    pub number: Option<String>,
    /// The subscription it bills (`parent.subscription_details.subscription`).
    pub subscription: Option<String>,
    /// The subscription's metadata as copied on the invoice
    /// (`parent.subscription_details.metadata`).
    pub subscription_metadata: BTreeMap<String, String>,
    pub customer: Option<String>,
    /// `total` in cents.
    pub total: i64,
    /// `amount_paid` in cents.
    pub amount_paid: i64,
    /// Sum of `total_taxes` amounts, cents.
    pub tax: i64,
    /// Lower-case ISO currency.
    pub currency: String,
    /// `status_transitions.paid_at`.
    pub paid_at: Option<DateTime<Utc>>,
    /// `draft`, `open`, `paid`, `uncollectible`, `void`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFacts {
    /// `acct_…`.
    pub id: String,
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub details_submitted: bool,
    pub metadata: BTreeMap<String, String>,
}

impl Gateway {
    /// Builds the client (no network call).
    pub fn new(settings: Settings) -> Result<Self> {
        let mut api_base = settings
            .api_base
            .filter(|base| !base.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_API_BASE.to_owned());
        // The client appends `v1/…` to the base as written.
        if !api_base.ends_with('/') {
            api_base.push('/');
        }
        let client = stripe::ClientBuilder::new(settings.secret_key.expose_secret())
            .url(api_base)
            .timeout(TIMEOUT)
            .build()
            .map_err(|err| {
                Error::Internal(format!("stripe client: {}", redact(&err.to_string())))
            })?;
        Ok(Self {
            client,
            webhook_secrets: settings.webhook_secrets.into(),
        })
    }

    /// Creates a Checkout Session.
    pub async fn create_checkout(&self, request: &CheckoutRequest) -> Result<CheckoutCreated> {
        let currency = request.currency.to_ascii_lowercase();
        let lines: Vec<CreateCheckoutSessionLineItems> = request
            .lines
            .iter()
            .map(|line| checkout_line(&currency, line))
            .collect();
        let metadata = hash_map(&request.metadata);
        let mut create = CreateCheckoutSession::new()
            .mode(match request.mode {
                Mode::Payment => CheckoutSessionMode::Payment,
                Mode::Subscription => CheckoutSessionMode::Subscription,
            })
            .line_items(lines)
            // Cards only: the webhook grants on `checkout.session.completed` paid, which an
            // asynchronous method (a bank debit) would only reach days later through events this
            // platform does not handle.
            .allowed_payment_method_types(vec![
                CreateCheckoutSessionAllowedPaymentMethodTypes::Card,
            ])
            .client_reference_id(request.client_reference_id.as_str())
            .metadata(metadata.clone())
            .expires_at(request.expires_at.timestamp())
            .success_url(request.success_url.as_str())
            .cancel_url(request.cancel_url.as_str());
        if let Some(email) = &request.customer_email {
            create = create.customer_email(email.as_str());
        }
        match request.mode {
            Mode::Payment => {
                let mut data = CreateCheckoutSessionPaymentIntentData::new();
                data.metadata = Some(metadata);
                if let Some(destination) = &request.destination {
                    data.application_fee_amount = Some(destination.application_fee);
                    data.transfer_data =
                        Some(CreateCheckoutSessionPaymentIntentDataTransferData::new(
                            destination.account.as_str(),
                        ));
                }
                create = create.payment_intent_data(data);
            }
            Mode::Subscription => {
                if request.destination.is_some() {
                    return Err(Error::Internal(
                        "a destination charge is for payment mode only".to_owned(),
                    ));
                }
                let mut data = CreateCheckoutSessionSubscriptionData::new();
                data.metadata = Some(metadata);
                create = create.subscription_data(data);
            }
        }
        let session = create
            .customize()
            .request_strategy(idempotent(&request.idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(failed)?;
        let url = session
            .url
            .ok_or_else(|| unexpected("a checkout session without a url"))?;
        Ok(CheckoutCreated {
            id: session.id.as_str().to_owned(),
            url,
            expires_at: instant(session.expires_at)?,
        })
    }

    /// Creates an Express account in Canada for a coach (`metadata.coachProfileId`), with the
    /// `card_payments` and `transfers` capabilities requested. Returns its id.
    pub async fn create_express_account(
        &self,
        idempotency_key: &str,
        email: &str,
        coach_profile_id: i64,
    ) -> Result<String> {
        let mut card_payments = CreateAccountCapabilitiesCardPayments::new();
        card_payments.requested = Some(true);
        let mut transfers = CreateAccountCapabilitiesTransfers::new();
        transfers.requested = Some(true);
        let mut capabilities = CreateAccountCapabilities::new();
        capabilities.card_payments = Some(card_payments);
        capabilities.transfers = Some(transfers);
        let account = CreateAccount::new()
            .type_(CreateAccountType::Express)
            .country("CA")
            .email(email)
            .capabilities(capabilities)
            .metadata(HashMap::from([(
                "coachProfileId".to_owned(),
                coach_profile_id.to_string(),
            )]))
            .customize()
            .request_strategy(idempotent(idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(failed)?;
        Ok(account.id.as_str().to_owned())
    }

    /// An onboarding link (`type=account_onboarding`) for an account.
    pub async fn account_link(
        &self,
        account: &str,
        refresh_url: &str,
        return_url: &str,
    ) -> Result<AccountLink> {
        // A link is single-use and short-lived: each call asks for a fresh one.
        let link = CreateAccountLink::new(account, CreateAccountLinkType::AccountOnboarding)
            .refresh_url(refresh_url)
            .return_url(return_url)
            .customize()
            .request_strategy(RequestStrategy::Once)
            .send(&self.client)
            .await
            .map_err(failed)?;
        Ok(AccountLink {
            url: link.url,
            expires_at: instant(link.expires_at)?,
        })
    }

    /// Refunds (part of) a payment.
    pub async fn refund(&self, request: &RefundRequest) -> Result<RefundCreated> {
        let mut create = CreateRefund::new()
            .payment_intent(request.payment_intent.as_str())
            .amount(request.amount)
            .metadata(hash_map(&request.metadata));
        if request.destination_charge {
            create = create.reverse_transfer(true).refund_application_fee(true);
        }
        let refund = create
            .customize()
            .request_strategy(idempotent(&request.idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(failed)?;
        Ok(RefundCreated {
            id: refund.id.as_str().to_owned(),
            status: refund.status.unwrap_or_else(|| "pending".to_owned()),
        })
    }

    /// A customer portal session for a Stripe customer; returns its URL.
    pub async fn portal_session(&self, customer: &str, return_url: &str) -> Result<String> {
        let session = CreateBillingPortalSession::new()
            .customer(customer)
            .return_url(return_url)
            .customize()
            .request_strategy(RequestStrategy::Once)
            .send(&self.client)
            .await
            .map_err(failed)?;
        Ok(session.url)
    }

    /// Sets a subscription's `cancel_at_period_end`.
    pub async fn set_cancel_at_period_end(&self, subscription: &str, cancel: bool) -> Result<()> {
        // Setting a value is idempotent by itself.
        UpdateSubscription::new(subscription)
            .cancel_at_period_end(cancel)
            .customize()
            .request_strategy(RequestStrategy::Once)
            .send(&self.client)
            .await
            .map_err(failed)?;
        Ok(())
    }

    /// A subscription as Stripe has it now (`GET /v1/subscriptions/{id}`).
    pub async fn retrieve_subscription(&self, subscription: &str) -> Result<SubscriptionFacts> {
        let subscription = RetrieveSubscription::new(subscription)
            .customize()
            .request_strategy(RequestStrategy::Once)
            .send(&self.client)
            .await
            .map_err(failed)?;
        subscription_facts(subscription).ok_or_else(|| unexpected("a timestamp out of range"))
    }

    /// A connected account as Stripe has it now (`GET /v1/accounts/{id}`).
    pub async fn retrieve_account(&self, account: &str) -> Result<AccountFacts> {
        let account = RetrieveAccount::new(account)
            .customize()
            .request_strategy(RequestStrategy::Once)
            .send(&self.client)
            .await
            .map_err(failed)?;
        Ok(account_facts(account))
    }

    /// Verifies the `Stripe-Signature` header on the raw body with async-stripe-webhook (300 s
    /// tolerance; any `v1` signature matching any configured secret) and translates the event.
    /// A missing, stale or wrong signature is `webhook_signature_invalid` (400); a signed body
    /// that is not an event is `webhook_payload_invalid` (400).
    pub fn verify_event(&self, payload: &str, signature: Option<&str>) -> Result<Event> {
        let signature = signature.ok_or(SIGNATURE_INVALID)?;
        for secret in self.webhook_secrets.iter() {
            match Webhook::construct_event(payload, signature, secret.expose_secret()) {
                Ok(event) => return translate(event),
                // The signature matched this secret: the body itself is wrong.
                Err(WebhookError::BadParse(why)) => {
                    tracing::info!(%why, "signed Stripe webhook body is not an event");
                    return Err(PAYLOAD_INVALID.into());
                }
                // Another secret of a rotation may match.
                Err(_) => {}
            }
        }
        Err(SIGNATURE_INVALID.into())
    }
}

/// One inline-priced line, quantity 1.
fn checkout_line(currency: &str, line: &Line) -> CreateCheckoutSessionLineItems {
    let mut price = CreateCheckoutSessionLineItemsPriceData::new(
        currency
            .parse::<stripe_types::Currency>()
            .unwrap_or_else(|never| match never {}),
    );
    price.unit_amount = Some(line.amount);
    price.product_data = Some(ProductData::new(line.name.as_str()));
    price.recurring = line.interval.map(|interval| {
        CreateCheckoutSessionLineItemsPriceDataRecurring::new(match interval {
            Interval::Month => CreateCheckoutSessionLineItemsPriceDataRecurringInterval::Month,
            Interval::Year => CreateCheckoutSessionLineItemsPriceDataRecurringInterval::Year,
        })
    });
    let mut item = CreateCheckoutSessionLineItems::new();
    item.price_data = Some(price);
    item.quantity = Some(1);
    item
}

fn idempotent(key: &str) -> Result<RequestStrategy> {
    IdempotencyKey::new(key)
        .map(RequestStrategy::Idempotent)
        .map_err(|err| Error::Internal(format!("idempotency key: {err}")))
}

fn hash_map(map: &BTreeMap<String, String>) -> HashMap<String, String> {
    map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

fn btree_map(map: Option<HashMap<String, String>>) -> BTreeMap<String, String> {
    map.unwrap_or_default().into_iter().collect()
}

fn instant(timestamp: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp(timestamp, 0).ok_or_else(|| unexpected("a timestamp out of range"))
}

fn unexpected(what: &str) -> Error {
    Error::Dependency {
        dependency: DEPENDENCY,
        message: format!("unexpected answer: {what}"),
    }
}

/// A failed call as [`Error::Dependency`], without any key in the message.
fn failed(err: StripeError) -> Error {
    let message = match err {
        StripeError::Stripe(api, status) => {
            let mut message = format!("{status} {}", api.type_.as_str());
            if let Some(code) = &api.code {
                message.push_str(&format!(" ({})", code.as_str()));
            }
            if let Some(param) = &api.param {
                message.push_str(&format!(" [{param}]"));
            }
            if let Some(text) = &api.message {
                message.push_str(": ");
                message.push_str(text);
            }
            message
        }
        StripeError::Timeout => "timed out".to_owned(),
        other => other.to_string(),
    };
    Error::Dependency {
        dependency: DEPENDENCY,
        message: redact(&message),
    }
}

/// Masks anything that looks like a Stripe key or signing secret (a word starting `sk_`,
/// `rk_`, `pk_`, `whsec_`, or what follows `Bearer `).
fn redact(text: &str) -> String {
    const PREFIXES: [&str; 5] = ["sk_", "rk_", "pk_", "whsec_", "Bearer "];
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '*';
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let starts_word = !text[..at].chars().next_back().is_some_and(is_word);
        match PREFIXES
            .iter()
            .find(|p| starts_word && rest.starts_with(**p))
        {
            Some(prefix) => {
                out.push_str(prefix);
                out.push_str("[redacted]");
                let after = &rest[prefix.len()..];
                at += prefix.len() + after.find(|c: char| !is_word(c)).unwrap_or(after.len());
            }
            None => {
                let c = rest.chars().next().unwrap_or_default();
                out.push(c);
                at += c.len_utf8().max(1);
            }
        }
    }
    out
}

/// A subscription's facts; `None` when a timestamp is out of range.
fn subscription_facts(subscription: stripe_shared::Subscription) -> Option<SubscriptionFacts> {
    let current_period_end = match subscription.items.data.first() {
        Some(item) => Some(DateTime::from_timestamp(item.current_period_end, 0)?),
        None => None,
    };
    Some(SubscriptionFacts {
        id: subscription.id.as_str().to_owned(),
        customer: Some(subscription.customer.id().as_str().to_owned()),
        status: subscription.status.as_str().to_owned(),
        current_period_end,
        cancel_at_period_end: subscription.cancel_at_period_end,
        metadata: subscription.metadata.into_iter().collect(),
        created: subscription.created,
    })
}

fn account_facts(account: stripe_shared::Account) -> AccountFacts {
    AccountFacts {
        id: account.id.as_str().to_owned(),
        charges_enabled: account.charges_enabled.unwrap_or(false),
        payouts_enabled: account.payouts_enabled.unwrap_or(false),
        details_submitted: account.details_submitted.unwrap_or(false),
        metadata: btree_map(account.metadata),
    }
}

/// The facts of a verified event.
fn translate(event: stripe_webhook::Event) -> Result<Event> {
    let object = match event.data.object {
        EventObject::CheckoutSessionCompleted(session)
        | EventObject::CheckoutSessionExpired(session) => Object::Checkout(CheckoutFacts {
            id: session.id.as_str().to_owned(),
            client_reference_id: session.client_reference_id,
            metadata: btree_map(session.metadata),
            payment_intent: session.payment_intent.map(|e| e.id().as_str().to_owned()),
            subscription: session.subscription.map(|e| e.id().as_str().to_owned()),
            customer: session.customer.map(|e| e.id().as_str().to_owned()),
            amount_total: session.amount_total,
            paid: matches!(
                session.payment_status,
                CheckoutSessionPaymentStatus::Paid
                    | CheckoutSessionPaymentStatus::NoPaymentRequired
            ),
        }),
        EventObject::PaymentIntentPaymentFailed(intent) => {
            Object::PaymentIntent(PaymentIntentFacts {
                id: intent.id.as_str().to_owned(),
                metadata: intent.metadata.into_iter().collect(),
                error: intent.last_payment_error.and_then(|e| e.message),
            })
        }
        EventObject::ChargeRefunded(charge) => Object::Charge(ChargeFacts {
            id: charge.id.as_str().to_owned(),
            payment_intent: charge.payment_intent.map(|e| e.id().as_str().to_owned()),
            metadata: charge.metadata.into_iter().collect(),
            amount: charge.amount,
            amount_refunded: charge.amount_refunded,
        }),
        EventObject::CustomerSubscriptionCreated(subscription)
        | EventObject::CustomerSubscriptionUpdated(subscription)
        | EventObject::CustomerSubscriptionDeleted(subscription) => {
            Object::Subscription(subscription_facts(*subscription).ok_or(PAYLOAD_INVALID)?)
        }
        EventObject::InvoicePaid(invoice) | EventObject::InvoicePaymentFailed(invoice) => {
            let id = invoice.id.ok_or(PAYLOAD_INVALID)?;
            let details = invoice
                .parent
                .and_then(|parent| parent.subscription_details);
            let (subscription, subscription_metadata) = match details {
                Some(details) => (
                    Some(details.subscription.id().as_str().to_owned()),
                    btree_map(details.metadata),
                ),
                None => (
                    invoice.subscription.map(|e| e.id().as_str().to_owned()),
                    BTreeMap::new(),
                ),
            };
            let paid_at = match invoice.status_transitions.paid_at {
                Some(at) => Some(instant(at).map_err(|_| PAYLOAD_INVALID)?),
                None => None,
            };
            Object::Invoice(InvoiceFacts {
                id: id.as_str().to_owned(),
                number: invoice.number,
                subscription,
                subscription_metadata,
                customer: invoice.customer.map(|e| e.id().as_str().to_owned()),
                total: invoice.total,
                amount_paid: invoice.amount_paid,
                tax: invoice
                    .total_taxes
                    .unwrap_or_default()
                    .iter()
                    .map(|tax| tax.amount)
                    .sum(),
                currency: invoice.currency.to_string(),
                paid_at,
                status: invoice
                    .status
                    .map(|status| status.as_str().to_owned())
                    .unwrap_or_default(),
            })
        }
        EventObject::AccountUpdated(account) => Object::Account(account_facts(*account)),
        _ => Object::Other,
    };
    Ok(Event {
        id: event.id.as_str().to_owned(),
        kind: event.type_.as_str().to_owned(),
        object,
    })
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_keys() {
        assert_eq!(
            redact("Invalid API Key provided: sk_test_abc123, whsec_x; Bearer rk_live_9"),
            "Invalid API Key provided: sk_[redacted], whsec_[redacted]; Bearer [redacted]"
        );
        assert_eq!(redact("no key here"), "no key here");
        assert_eq!(redact("task_id désolé sk_"), "task_id désolé sk_[redacted]");
    }
}
