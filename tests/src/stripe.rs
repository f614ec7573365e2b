//! A local fake of Stripe's API (the calls `service::payments::gateway` makes) and builders of
//! the signed webhook events Stripe sends, so that tests run the real async-stripe client and
//! webhook parser against realistic answers without the network.
//!
//! The fake checks the secret key, records every request (method, path, `Idempotency-Key`,
//! `Stripe-Account`, the decoded form), replays the answer of a repeated `Idempotency-Key` like
//! Stripe does, and keeps what it created: Checkout Sessions (with their lines, metadata and
//! destination), PaymentIntents and charges (made when a session completes), refunds, accounts
//! and subscriptions. Its objects carry every field async-stripe's types require for the API
//! version the library is built for ([`API_VERSION`]).
//!
//! The event builders (`checkout_completed`, `charge_refunded`, `invoice_event`, …) move that
//! state the way Stripe would and return the event's JSON body; [`FakeStripe::sign`] gives the
//! `Stripe-Signature` header for it, computed here (HMAC-SHA256 written out over `sha2`), not by
//! the library under test.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Months, Utc};
use rand::distr::{Alphanumeric, SampleString};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use crate::http::{Received, read_request};

/// The secret key the fake accepts (`STRIPE_SECRET_KEY`).
pub const SECRET_KEY: &str = "sk_test_fake";
/// The endpoint secret the fake signs events with (`STRIPE_WEBHOOK_SECRET`).
pub const WEBHOOK_SECRET: &str = "whsec_test_fake";
/// The tolerance of Stripe's signature check (seconds).
pub const TOLERANCE: i64 = 300;

/// The API version events are rendered in: the one async-stripe is generated for.
pub fn api_version() -> &'static str {
    stripe_shared::version::VERSION.as_str()
}

/// A request as the fake received it.
#[derive(Debug, Clone)]
pub struct StripeRequest {
    pub method: String,
    /// Path without the query (`/v1/checkout/sessions`).
    pub path: String,
    pub query: Option<String>,
    pub idempotency_key: Option<String>,
    /// `Stripe-Account` (a call made on behalf of a connected account).
    pub stripe_account: Option<String>,
    pub stripe_version: Option<String>,
    /// The form body in order, keys as sent (`line_items[0][price_data][currency]`).
    pub form: Vec<(String, String)>,
}

impl StripeRequest {
    /// The value of a form field.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The fields `prefix[key]` as `key → value` (`metadata`, `payment_intent_data[metadata]`).
    pub fn map(&self, prefix: &str) -> BTreeMap<String, String> {
        let start = format!("{prefix}[");
        self.form
            .iter()
            .filter_map(|(k, v)| {
                let key = k.strip_prefix(&start)?.strip_suffix(']')?;
                (!key.contains('[')).then(|| (key.to_owned(), v.clone()))
            })
            .collect()
    }

    /// Whether any form field starts with `prefix`.
    pub fn has(&self, prefix: &str) -> bool {
        self.form.iter().any(|(k, _)| k.starts_with(prefix))
    }
}

/// One line of a Checkout Session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLine {
    pub name: String,
    /// `unit_amount` in cents.
    pub amount: i64,
    pub quantity: i64,
    /// `month` or `year` for a recurring line.
    pub interval: Option<String>,
}

/// A Checkout Session the fake created.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    /// `payment` or `subscription`.
    pub mode: String,
    pub currency: String,
    pub lines: Vec<SessionLine>,
    pub client_reference_id: Option<String>,
    pub customer_email: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// `payment_intent_data[metadata]`.
    pub payment_intent_metadata: BTreeMap<String, String>,
    /// `subscription_data[metadata]`.
    pub subscription_metadata: BTreeMap<String, String>,
    /// `payment_intent_data[transfer_data][destination]`.
    pub destination: Option<String>,
    /// `payment_intent_data[application_fee_amount]`.
    pub application_fee: Option<i64>,
    pub created: i64,
    pub expires_at: i64,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    /// `open`, `complete` or `expired`.
    pub status: String,
    /// `unpaid` or `paid`.
    pub payment_status: String,
    pub payment_intent: Option<String>,
    pub customer: Option<String>,
    pub subscription: Option<String>,
    pub invoice: Option<String>,
}

impl Session {
    /// `amount_total`: the sum of the lines.
    pub fn amount_total(&self) -> i64 {
        self.lines.iter().map(|l| l.amount * l.quantity).sum()
    }

    /// Where the buyer pays (while the session is open).
    pub fn url(&self) -> String {
        format!("https://checkout.stripe.com/c/pay/{}", self.id)
    }
}

/// A PaymentIntent (made when a Checkout Session fails or completes in payment mode).
#[derive(Debug, Clone)]
pub struct PaymentIntent {
    pub id: String,
    pub session: String,
    pub amount: i64,
    pub currency: String,
    pub metadata: BTreeMap<String, String>,
    /// `requires_payment_method` or `succeeded`.
    pub status: String,
    pub charge: Option<String>,
    pub destination: Option<String>,
    pub application_fee: Option<i64>,
    pub last_error: Option<String>,
    pub created: i64,
}

/// A refund, created through `POST /v1/refunds` or in the dashboard.
#[derive(Debug, Clone)]
pub struct Refund {
    pub id: String,
    pub payment_intent: String,
    pub charge: Option<String>,
    pub amount: i64,
    pub metadata: BTreeMap<String, String>,
    pub reverse_transfer: bool,
    pub refund_application_fee: bool,
    pub created: i64,
    /// `false` for a refund made in the dashboard ([`FakeStripe::charge_refunded_amount`]).
    pub through_api: bool,
}

/// A connected account.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub account_type: String,
    pub country: String,
    pub email: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// Capabilities requested at creation (`card_payments`, `transfers`).
    pub capabilities: Vec<String>,
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub details_submitted: bool,
    pub created: i64,
}

/// One item of a subscription.
#[derive(Debug, Clone)]
pub struct SubscriptionItem {
    pub id: String,
    pub price: String,
    pub product: String,
    pub name: String,
    pub amount: i64,
    /// `month` or `year`.
    pub interval: String,
}

/// A subscription (made when a Checkout Session completes in subscription mode).
#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: String,
    pub session: String,
    pub customer: String,
    pub customer_email: Option<String>,
    pub currency: String,
    /// Stripe's status (`active`, `past_due`, `canceled`, …).
    pub status: String,
    pub cancel_at_period_end: bool,
    pub canceled_at: Option<i64>,
    pub metadata: BTreeMap<String, String>,
    pub created: i64,
    pub current_period_start: i64,
    pub current_period_end: i64,
    pub items: Vec<SubscriptionItem>,
    pub latest_invoice: Option<String>,
    /// Invoices issued so far (numbers them).
    pub invoices: u32,
}

impl Subscription {
    /// The sum of the items (one period, before tax).
    pub fn amount(&self) -> i64 {
        self.items.iter().map(|i| i.amount).sum()
    }
}

/// An error the next request is answered with ([`FakeStripe::fail_next`]).
#[derive(Debug, Clone)]
struct Failure {
    status: u16,
    code: String,
    message: String,
}

/// What Stripe keeps of an idempotent request.
struct Saved {
    /// Method and path.
    signature: String,
    /// The form, sorted.
    parameters: Vec<(String, String)>,
    status: u16,
    answer: String,
}

#[derive(Default)]
struct State {
    requests: Vec<StripeRequest>,
    /// The outcome saved under each `Idempotency-Key`.
    idempotent: HashMap<String, Saved>,
    sessions: BTreeMap<String, Session>,
    intents: BTreeMap<String, PaymentIntent>,
    refunds: Vec<Refund>,
    accounts: BTreeMap<String, Account>,
    subscriptions: BTreeMap<String, Subscription>,
    fail_next: Vec<Failure>,
    invoice_prefix: String,
}

/// The fake Stripe, listening until the test's runtime ends.
pub struct FakeStripe {
    base: String,
    state: Arc<Mutex<State>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

fn now() -> i64 {
    Utc::now().timestamp()
}

/// A Stripe-looking id: `prefix_` and 24 letters and digits.
pub fn new_id(prefix: &str) -> String {
    format!(
        "{prefix}_{}",
        Alphanumeric.sample_string(&mut rand::rng(), 24)
    )
}

impl FakeStripe {
    /// Starts the fake on a random local port.
    pub async fn start() -> Self {
        let listener = match TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(err) => panic!("fake Stripe: {err}"),
        };
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let base = format!("http://127.0.0.1:{port}");
        let state = Arc::new(Mutex::new(State {
            invoice_prefix: Alphanumeric
                .sample_string(&mut rand::rng(), 8)
                .to_ascii_uppercase(),
            ..State::default()
        }));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let state = shared.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut socket).await else {
                        return;
                    };
                    let (status, body, replayed) = answer(&state, &request);
                    let replayed = if replayed {
                        "idempotent-replayed: true\r\n"
                    } else {
                        ""
                    };
                    let head = format!(
                        "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nrequest-id: {}\r\nstripe-version: {}\r\n{replayed}connection: close\r\n\r\n",
                        reason(status),
                        body.len(),
                        new_id("req"),
                        api_version(),
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(body.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self { base, state }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// `http://127.0.0.1:<port>`: the `api_base` (`STRIPE_API_BASE`) that points at the fake.
    pub fn url(&self) -> String {
        self.base.clone()
    }

    /// Settings of a gateway talking to the fake and verifying its events.
    pub fn gateway_settings(&self) -> service::payments::gateway::Settings {
        service::payments::gateway::Settings {
            secret_key: SECRET_KEY.to_owned().into(),
            api_base: Some(self.url()),
            webhook_secrets: vec![WEBHOOK_SECRET.to_owned().into()],
        }
    }

    /// A gateway talking to the fake.
    pub fn gateway(&self) -> service::payments::gateway::Gateway {
        match service::payments::gateway::Gateway::new(self.gateway_settings()) {
            Ok(gateway) => gateway,
            Err(err) => panic!("gateway: {err}"),
        }
    }

    /// The application settings that point at the fake.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("STRIPE_SECRET_KEY", SECRET_KEY.to_owned()),
            ("STRIPE_API_BASE", self.url()),
            ("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET.to_owned()),
        ]
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<StripeRequest> {
        self.lock().requests.clone()
    }

    /// The requests received at `path` (without the query), any method.
    pub fn requests_to(&self, path: &str) -> Vec<StripeRequest> {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// The next request (after the key check) is answered with this error, like Stripe:
    /// `{"error": {"type", "code", "message"}}` (`api_error` for 5xx, `card_error` for 402,
    /// `invalid_request_error` otherwise). Several calls queue several failures.
    pub fn fail_next(&self, status: u16, code: &str, message: &str) {
        self.lock().fail_next.push(Failure {
            status,
            code: code.to_owned(),
            message: message.to_owned(),
        });
    }

    /// A Checkout Session.
    pub fn session(&self, id: &str) -> Option<Session> {
        self.lock().sessions.get(id).cloned()
    }

    /// Every Checkout Session, by id.
    pub fn sessions(&self) -> Vec<Session> {
        self.lock().sessions.values().cloned().collect()
    }

    /// A PaymentIntent.
    pub fn payment_intent(&self, id: &str) -> Option<PaymentIntent> {
        self.lock().intents.get(id).cloned()
    }

    /// Every refund, in creation order.
    pub fn refunds(&self) -> Vec<Refund> {
        self.lock().refunds.clone()
    }

    /// The refunds of a PaymentIntent.
    pub fn refunds_for(&self, payment_intent: &str) -> Vec<Refund> {
        self.lock()
            .refunds
            .iter()
            .filter(|r| r.payment_intent == payment_intent)
            .cloned()
            .collect()
    }

    /// A connected account.
    pub fn account(&self, id: &str) -> Option<Account> {
        self.lock().accounts.get(id).cloned()
    }

    /// Every connected account.
    pub fn accounts(&self) -> Vec<Account> {
        self.lock().accounts.values().cloned().collect()
    }

    /// A subscription.
    pub fn subscription(&self, id: &str) -> Option<Subscription> {
        self.lock().subscriptions.get(id).cloned()
    }

    /// Sets a subscription's status (`past_due`, `unpaid`, `canceled`, …) for the next events.
    pub fn set_subscription_status(&self, id: &str, status: &str) {
        let mut state = self.lock();
        let sub = subscription_mut(&mut state, id);
        sub.status = status.to_owned();
        if status == "canceled" && sub.canceled_at.is_none() {
            sub.canceled_at = Some(now());
        }
    }

    /// Moves a subscription to its next period (a renewal), like Stripe at the period's end.
    pub fn renew(&self, id: &str) {
        let mut state = self.lock();
        let sub = subscription_mut(&mut state, id);
        let interval = sub
            .items
            .first()
            .map(|i| i.interval.clone())
            .unwrap_or_else(|| "month".to_owned());
        sub.current_period_start = sub.current_period_end;
        sub.current_period_end = period_end(sub.current_period_start, &interval);
    }

    // ---- events ----

    /// An event of `kind` about `object`, as Stripe sends it (a fresh `evt_…` id).
    pub fn event(&self, kind: &str, object: Value) -> String {
        event_json(&new_id("evt"), kind, object)
    }

    /// `checkout.session.completed`: the session becomes `complete` and `paid`. In payment mode
    /// it gets a PaymentIntent (`succeeded`) and a charge carrying the
    /// `payment_intent_data.metadata`; in subscription mode a customer and an `active`
    /// subscription carrying the `subscription_data.metadata`. A second call completes nothing
    /// new and describes the same objects.
    pub fn checkout_completed(&self, session_id: &str) -> String {
        let object = {
            let mut state = self.lock();
            complete_session(&mut state, session_id);
            let session = session_ref(&state, session_id);
            session_json(session)
        };
        self.event("checkout.session.completed", object)
    }

    /// `checkout.session.expired`: the session becomes `expired`.
    pub fn checkout_expired(&self, session_id: &str) -> String {
        let object = {
            let mut state = self.lock();
            let session = session_mut(&mut state, session_id);
            if session.status == "open" {
                session.status = "expired".to_owned();
            }
            session_json(session)
        };
        self.event("checkout.session.expired", object)
    }

    /// `payment_intent.payment_failed` for a session's payment (a declined card): the
    /// PaymentIntent (made now if the session has none) carries the
    /// `payment_intent_data.metadata` and `last_payment_error`.
    pub fn payment_failed(&self, session_id: &str) -> String {
        let object = {
            let mut state = self.lock();
            let intent_id = ensure_intent(&mut state, session_id);
            let Some(intent) = state.intents.get_mut(&intent_id) else {
                panic!("fake Stripe: no PaymentIntent {intent_id}");
            };
            intent.status = "requires_payment_method".to_owned();
            intent.last_error = Some("Your card was declined.".to_owned());
            intent_json(intent)
        };
        self.event("payment_intent.payment_failed", object)
    }

    /// `charge.refunded` for a completed payment-mode session: `amount_refunded` is the sum of
    /// the refunds made so far (through `POST /v1/refunds` or the dashboard).
    pub fn charge_refunded(&self, session_id: &str) -> String {
        let object = {
            let state = self.lock();
            let intent = paid_intent(&state, session_id);
            charge_json(&state, intent)
        };
        self.event("charge.refunded", object)
    }

    /// A refund of `amount` made in Stripe's dashboard (not through the API), then its
    /// `charge.refunded` event (`amount_refunded` includes the earlier refunds).
    pub fn charge_refunded_amount(&self, session_id: &str, amount: i64) -> String {
        let object = {
            let mut state = self.lock();
            let intent = paid_intent(&state, session_id).clone();
            state.refunds.push(Refund {
                id: new_id("re"),
                payment_intent: intent.id.clone(),
                charge: intent.charge.clone(),
                amount,
                metadata: BTreeMap::new(),
                reverse_transfer: false,
                refund_application_fee: false,
                created: now(),
                through_api: false,
            });
            charge_json(&state, &intent)
        };
        self.event("charge.refunded", object)
    }

    /// `customer.subscription.<kind>` (`created`, `updated`, `deleted`) with the subscription
    /// as the fake has it now; `deleted` first cancels it.
    pub fn subscription_event(&self, subscription_id: &str, kind: &str) -> String {
        let object = {
            let mut state = self.lock();
            let sub = subscription_mut(&mut state, subscription_id);
            if kind == "deleted" {
                sub.status = "canceled".to_owned();
                if sub.canceled_at.is_none() {
                    sub.canceled_at = Some(now());
                }
            }
            subscription_json(sub)
        };
        self.event(&format!("customer.subscription.{kind}"), object)
    }

    /// `invoice.paid` or `invoice.payment_failed` for a new invoice of the subscription's
    /// current period (no tax).
    pub fn invoice_event(&self, subscription_id: &str, kind: &str) -> String {
        self.invoice_event_taxed(subscription_id, kind, 0)
    }

    /// Like [`Self::invoice_event`], with `tax` cents of tax on top of the items (one
    /// `total_taxes` entry).
    pub fn invoice_event_taxed(&self, subscription_id: &str, kind: &str, tax: i64) -> String {
        let paid = match kind {
            "invoice.paid" => true,
            "invoice.payment_failed" => false,
            other => panic!("fake Stripe: no invoice event {other}"),
        };
        let object = {
            let mut state = self.lock();
            let prefix = state.invoice_prefix.clone();
            let sub = subscription_mut(&mut state, subscription_id);
            sub.invoices += 1;
            let id = new_id("in");
            sub.latest_invoice = Some(id.clone());
            let number = format!("{prefix}-{:04}", sub.invoices);
            invoice_json(sub, &id, &number, paid, tax)
        };
        self.event(kind, object)
    }

    /// `account.updated`: onboarding finished (`enabled`: charges and payouts enabled, details
    /// submitted, nothing due) or not. An account the fake does not know is made.
    pub fn account_updated(&self, account_id: &str, enabled: bool) -> String {
        let object = {
            let mut state = self.lock();
            let account = state
                .accounts
                .entry(account_id.to_owned())
                .or_insert_with(|| Account {
                    id: account_id.to_owned(),
                    account_type: "express".to_owned(),
                    country: "CA".to_owned(),
                    email: None,
                    metadata: BTreeMap::new(),
                    capabilities: vec!["card_payments".to_owned(), "transfers".to_owned()],
                    charges_enabled: false,
                    payouts_enabled: false,
                    details_submitted: false,
                    created: now(),
                });
            account.charges_enabled = enabled;
            account.payouts_enabled = enabled;
            account.details_submitted = enabled;
            account_json(account)
        };
        self.event("account.updated", object)
    }

    // ---- signatures ----

    /// The `Stripe-Signature` header for `payload`, signed now with [`WEBHOOK_SECRET`].
    pub fn sign(&self, payload: &str) -> String {
        sign_with(WEBHOOK_SECRET, payload, now())
    }

    /// The header signed at Unix time `t` (a stale one is more than [`TOLERANCE`] old).
    pub fn sign_at(&self, payload: &str, t: i64) -> String {
        sign_with(WEBHOOK_SECRET, payload, t)
    }

    /// The header signed with another secret at `t`.
    pub fn sign_with(&self, secret: &str, payload: &str, t: i64) -> String {
        sign_with(secret, payload, t)
    }
}

/// `t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>`.
pub fn sign_with(secret: &str, payload: &str, t: i64) -> String {
    format!("t={t},v1={}", v1(secret, payload, t))
}

/// The `v1` signature alone (to build headers carrying several).
pub fn v1(secret: &str, payload: &str, t: i64) -> String {
    hex(&hmac_sha256(
        secret.as_bytes(),
        format!("{t}.{payload}").as_bytes(),
    ))
}

/// The payload with its event id replaced (a redelivery of the same event as another body).
pub fn with_event_id(payload: &str, id: &str) -> String {
    let mut value: Value = serde_json::from_str(payload).unwrap_or(Value::Null);
    value["id"] = json!(id);
    value.to_string()
}

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ---- state changes ----

fn session_ref<'a>(state: &'a State, id: &str) -> &'a Session {
    match state.sessions.get(id) {
        Some(session) => session,
        None => panic!("fake Stripe: no Checkout Session {id}"),
    }
}

fn session_mut<'a>(state: &'a mut State, id: &str) -> &'a mut Session {
    match state.sessions.get_mut(id) {
        Some(session) => session,
        None => panic!("fake Stripe: no Checkout Session {id}"),
    }
}

fn subscription_mut<'a>(state: &'a mut State, id: &str) -> &'a mut Subscription {
    match state.subscriptions.get_mut(id) {
        Some(sub) => sub,
        None => panic!("fake Stripe: no subscription {id}"),
    }
}

fn paid_intent<'a>(state: &'a State, session_id: &str) -> &'a PaymentIntent {
    let session = session_ref(state, session_id);
    match session
        .payment_intent
        .as_ref()
        .and_then(|id| state.intents.get(id))
    {
        Some(intent) if intent.charge.is_some() => intent,
        _ => panic!("fake Stripe: Checkout Session {session_id} is not paid"),
    }
}

/// The session's PaymentIntent, made if it has none.
fn ensure_intent(state: &mut State, session_id: &str) -> String {
    let session = session_ref(state, session_id).clone();
    if session.mode != "payment" {
        panic!("fake Stripe: Checkout Session {session_id} is not in payment mode");
    }
    if let Some(id) = session.payment_intent {
        return id;
    }
    let id = new_id("pi");
    state.intents.insert(
        id.clone(),
        PaymentIntent {
            id: id.clone(),
            session: session.id.clone(),
            amount: session.amount_total(),
            currency: session.currency.clone(),
            metadata: session.payment_intent_metadata.clone(),
            status: "requires_payment_method".to_owned(),
            charge: None,
            destination: session.destination.clone(),
            application_fee: session.application_fee,
            last_error: None,
            created: now(),
        },
    );
    session_mut(state, session_id).payment_intent = Some(id.clone());
    id
}

fn complete_session(state: &mut State, session_id: &str) {
    let session = session_ref(state, session_id).clone();
    if session.status == "complete" {
        return;
    }
    let created = now();
    if session.mode == "payment" {
        let intent_id = ensure_intent(state, session_id);
        if let Some(intent) = state.intents.get_mut(&intent_id) {
            intent.status = "succeeded".to_owned();
            intent.last_error = None;
            intent.charge = Some(new_id("ch"));
        }
    } else {
        let customer = new_id("cus");
        let sub_id = new_id("sub");
        let items = session
            .lines
            .iter()
            .filter_map(|line| {
                Some(SubscriptionItem {
                    id: new_id("si"),
                    price: new_id("price"),
                    product: new_id("prod"),
                    name: line.name.clone(),
                    amount: line.amount * line.quantity,
                    interval: line.interval.clone()?,
                })
            })
            .collect::<Vec<_>>();
        let interval = items
            .first()
            .map(|i| i.interval.clone())
            .unwrap_or_else(|| "month".to_owned());
        let invoice = new_id("in");
        state.subscriptions.insert(
            sub_id.clone(),
            Subscription {
                id: sub_id.clone(),
                session: session.id.clone(),
                customer: customer.clone(),
                customer_email: session.customer_email.clone(),
                currency: session.currency.clone(),
                status: "active".to_owned(),
                cancel_at_period_end: false,
                canceled_at: None,
                metadata: session.subscription_metadata.clone(),
                created,
                current_period_start: created,
                current_period_end: period_end(created, &interval),
                items,
                latest_invoice: Some(invoice.clone()),
                invoices: 0,
            },
        );
        let s = session_mut(state, session_id);
        s.customer = Some(customer);
        s.subscription = Some(sub_id);
        s.invoice = Some(invoice);
    }
    let s = session_mut(state, session_id);
    s.status = "complete".to_owned();
    s.payment_status = "paid".to_owned();
}

fn period_end(start: i64, interval: &str) -> i64 {
    let months = if interval == "year" { 12 } else { 1 };
    DateTime::from_timestamp(start, 0)
        .and_then(|at| at.checked_add_months(Months::new(months)))
        .map(|at| at.timestamp())
        .unwrap_or(start + i64::from(months) * 30 * 86_400)
}

// ---- the HTTP side ----

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        _ => "Error",
    }
}

fn error_json(kind: &str, code: Option<&str>, message: &str, param: Option<&str>) -> String {
    let mut error = json!({
        "type": kind,
        "message": message,
        "request_log_url": format!("https://dashboard.stripe.com/test/logs/{}", new_id("req")),
    });
    if let Some(code) = code {
        error["code"] = json!(code);
        error["doc_url"] = json!(format!("https://stripe.com/docs/error-codes/{code}"));
    }
    if let Some(param) = param {
        error["param"] = json!(param);
    }
    json!({ "error": error }).to_string()
}

fn invalid(message: &str, param: Option<&str>) -> (u16, String) {
    (
        400,
        error_json(
            "invalid_request_error",
            Some("parameter_missing").filter(|_| message.starts_with("Missing")),
            message,
            param,
        ),
    )
}

fn missing(kind: &str, id: &str) -> (u16, String) {
    (
        404,
        error_json(
            "invalid_request_error",
            Some("resource_missing"),
            &format!("No such {kind}: '{id}'"),
            Some("id"),
        ),
    )
}

/// Decodes `a%5Bb%5D=x+y&…` keeping order and the keys' brackets.
pub fn parse_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                crate::http::percent_decode(k),
                crate::http::percent_decode(v),
            )
        })
        .collect()
}

/// Answers one request: (status, body, replayed).
fn answer(state: &Mutex<State>, received: &Received) -> (u16, String, bool) {
    let (path, query) = match received.path.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (received.path.clone(), None),
    };
    let body = String::from_utf8_lossy(&received.body).into_owned();
    let request = StripeRequest {
        method: received.method.clone(),
        path,
        query,
        idempotency_key: received.headers.get("idempotency-key").cloned(),
        stripe_account: received.headers.get("stripe-account").cloned(),
        stripe_version: received.headers.get("stripe-version").cloned(),
        form: parse_form(&body),
    };
    let mut state = lock(state);
    state.requests.push(request.clone());

    match received
        .headers
        .get("authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
    {
        Some(SECRET_KEY) => {}
        Some(other) => {
            let tail: String = other
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let shown = format!(
                "{}****{tail}",
                if other.starts_with("sk_live_") {
                    "sk_live_"
                } else {
                    "sk_test_"
                }
            );
            let message = format!("Invalid API Key provided: {shown}");
            return (
                401,
                error_json("invalid_request_error", None, &message, None),
                false,
            );
        }
        None => {
            let message = "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').";
            return (
                401,
                error_json("invalid_request_error", None, message, None),
                false,
            );
        }
    }

    let signature = format!("{} {}", request.method, request.path);
    // Stripe compares the parameters, not their order (maps are sent in any order).
    let mut parameters = request.form.clone();
    parameters.sort();
    if let Some(key) = &request.idempotency_key
        && request.method == "POST"
        && let Some(saved) = state.idempotent.get(key)
    {
        if saved.signature == signature && saved.parameters == parameters {
            return (saved.status, saved.answer.clone(), true);
        }
        let message = format!(
            "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."
        );
        return (
            400,
            error_json("idempotency_error", None, &message, None),
            false,
        );
    }

    let (status, answer) = if state.fail_next.is_empty() {
        route(&mut state, &request)
    } else {
        let failure = state.fail_next.remove(0);
        let kind = match failure.status {
            402 => "card_error",
            500..=599 => "api_error",
            _ => "invalid_request_error",
        };
        (
            failure.status,
            error_json(kind, Some(&failure.code), &failure.message, None),
        )
    };
    // Stripe saves the outcome of an idempotent request unless the server failed.
    if let Some(key) = &request.idempotency_key
        && request.method == "POST"
        && status < 500
    {
        state.idempotent.insert(
            key.clone(),
            Saved {
                signature,
                parameters,
                status,
                answer: answer.clone(),
            },
        );
    }
    (status, answer, false)
}

fn route(state: &mut State, request: &StripeRequest) -> (u16, String) {
    let path = request.path.as_str();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (request.method.as_str(), segments.as_slice()) {
        ("POST", ["v1", "checkout", "sessions"]) => create_session(state, request),
        ("GET", ["v1", "checkout", "sessions", id]) => match state.sessions.get(*id) {
            Some(session) => (200, session_json(session).to_string()),
            None => missing("checkout.session", id),
        },
        ("POST", ["v1", "accounts"]) => create_account(state, request),
        ("GET", ["v1", "accounts", id]) => match state.accounts.get(*id) {
            Some(account) => (200, account_json(account).to_string()),
            None => missing("account", id),
        },
        ("POST", ["v1", "account_links"]) => create_account_link(request),
        ("POST", ["v1", "refunds"]) => create_refund(state, request),
        ("POST", ["v1", "billing_portal", "sessions"]) => create_portal_session(request),
        ("GET", ["v1", "subscriptions", id]) => match state.subscriptions.get(*id) {
            Some(sub) => (200, subscription_json(sub).to_string()),
            None => missing("subscription", id),
        },
        ("POST", ["v1", "subscriptions", id]) => update_subscription(state, id, request),
        _ => (
            404,
            error_json(
                "invalid_request_error",
                None,
                &format!(
                    "Unrecognized request URL ({}: {path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
                    request.method
                ),
                None,
            ),
        ),
    }
}

fn create_session(state: &mut State, request: &StripeRequest) -> (u16, String) {
    let Some(mode) = request.field("mode") else {
        return invalid("Missing required param: mode.", Some("mode"));
    };
    if mode != "payment" && mode != "subscription" {
        return invalid(&format!("Invalid mode: {mode}"), Some("mode"));
    }
    let mut lines = Vec::new();
    let mut currency: Option<String> = None;
    for i in 0.. {
        let prefix = format!("line_items[{i}]");
        if !request.has(&prefix) {
            break;
        }
        let field = |name: &str| request.field(&format!("{prefix}{name}"));
        let Some(line_currency) = field("[price_data][currency]") else {
            return invalid(
                "Missing required param: line_items[0][price_data][currency].",
                Some(&format!("{prefix}[price_data][currency]")),
            );
        };
        if currency.as_deref().is_some_and(|c| c != line_currency) {
            return invalid(
                "All line items must use the same currency.",
                Some(&format!("{prefix}[price_data][currency]")),
            );
        }
        currency = Some(line_currency.to_owned());
        let Some(amount) = field("[price_data][unit_amount]").and_then(|v| v.parse::<i64>().ok())
        else {
            return invalid(
                "Missing required param: unit_amount.",
                Some(&format!("{prefix}[price_data][unit_amount]")),
            );
        };
        let Some(name) = field("[price_data][product_data][name]") else {
            return invalid(
                "Missing required param: product_data[name].",
                Some(&format!("{prefix}[price_data][product_data][name]")),
            );
        };
        let Some(quantity) = field("[quantity]").and_then(|v| v.parse::<i64>().ok()) else {
            return invalid(
                "Missing required param: quantity.",
                Some(&format!("{prefix}[quantity]")),
            );
        };
        let interval = field("[price_data][recurring][interval]").map(str::to_owned);
        if interval.is_some() && mode == "payment" {
            return invalid(
                "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
                Some(&format!("{prefix}[price_data][recurring]")),
            );
        }
        lines.push(SessionLine {
            name: name.to_owned(),
            amount,
            quantity,
            interval,
        });
    }
    if lines.is_empty() {
        return invalid(
            &format!("`line_items` is required in `{mode}` mode."),
            Some("line_items"),
        );
    }
    if mode == "subscription" && lines.iter().all(|l| l.interval.is_none()) {
        return invalid(
            "You must provide at least one recurring price in `subscription` mode when using prices.",
            Some("line_items"),
        );
    }
    if mode == "subscription" && request.has("payment_intent_data") {
        return invalid(
            "You can not pass `payment_intent_data` in `subscription` mode.",
            Some("payment_intent_data"),
        );
    }
    if mode == "payment" && request.has("subscription_data") {
        return invalid(
            "You can not pass `subscription_data` in `payment` mode.",
            Some("subscription_data"),
        );
    }
    let created = now();
    let expires_at = match request.field("expires_at") {
        Some(value) => match value.parse::<i64>() {
            Ok(at) if at >= created + 30 * 60 - 60 && at <= created + 24 * 3600 + 60 => at,
            _ => {
                return invalid(
                    "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
                    Some("expires_at"),
                );
            }
        },
        None => created + 24 * 3600,
    };
    let application_fee = match request.field("payment_intent_data[application_fee_amount]") {
        Some(fee) => match fee.parse::<i64>() {
            Ok(fee) => Some(fee),
            Err(_) => {
                return invalid(
                    "Invalid integer: application_fee_amount",
                    Some("payment_intent_data[application_fee_amount]"),
                );
            }
        },
        None => None,
    };
    let id = format!(
        "cs_test_{}",
        Alphanumeric.sample_string(&mut rand::rng(), 58)
    );
    let session = Session {
        id: id.clone(),
        mode: mode.to_owned(),
        currency: currency.unwrap_or_else(|| "cad".to_owned()),
        lines,
        client_reference_id: request.field("client_reference_id").map(str::to_owned),
        customer_email: request.field("customer_email").map(str::to_owned),
        metadata: request.map("metadata"),
        payment_intent_metadata: request.map("payment_intent_data[metadata]"),
        subscription_metadata: request.map("subscription_data[metadata]"),
        destination: request
            .field("payment_intent_data[transfer_data][destination]")
            .map(str::to_owned),
        application_fee,
        created,
        expires_at,
        success_url: request.field("success_url").map(str::to_owned),
        cancel_url: request.field("cancel_url").map(str::to_owned),
        status: "open".to_owned(),
        payment_status: "unpaid".to_owned(),
        payment_intent: None,
        customer: None,
        subscription: None,
        invoice: None,
    };
    let answer = session_json(&session).to_string();
    state.sessions.insert(id, session);
    (200, answer)
}

fn create_account(state: &mut State, request: &StripeRequest) -> (u16, String) {
    let account_type = request.field("type").unwrap_or("standard");
    let capabilities = ["card_payments", "transfers"]
        .into_iter()
        .filter(|c| request.field(&format!("capabilities[{c}][requested]")) == Some("true"))
        .map(str::to_owned)
        .collect();
    let account = Account {
        id: new_id("acct"),
        account_type: account_type.to_owned(),
        country: request.field("country").unwrap_or("US").to_owned(),
        email: request.field("email").map(str::to_owned),
        metadata: request.map("metadata"),
        capabilities,
        charges_enabled: false,
        payouts_enabled: false,
        details_submitted: false,
        created: now(),
    };
    let answer = account_json(&account).to_string();
    state.accounts.insert(account.id.clone(), account);
    (200, answer)
}

fn create_account_link(request: &StripeRequest) -> (u16, String) {
    let Some(account) = request.field("account") else {
        return invalid("Missing required param: account.", Some("account"));
    };
    let Some(kind) = request.field("type") else {
        return invalid("Missing required param: type.", Some("type"));
    };
    let created = now();
    (
        200,
        json!({
            "object": "account_link",
            "created": created,
            "expires_at": created + 300,
            "url": format!(
                "https://connect.stripe.com/setup/e/{account}/{}",
                Alphanumeric.sample_string(&mut rand::rng(), 12)
            ),
            "type": kind,
            "refresh_url": request.field("refresh_url"),
            "return_url": request.field("return_url"),
        })
        .to_string(),
    )
}

fn create_refund(state: &mut State, request: &StripeRequest) -> (u16, String) {
    let Some(intent_id) = request.field("payment_intent") else {
        return invalid(
            "One of the following params should be provided for this request: payment_intent or charge.",
            None,
        );
    };
    let Some(intent) = state.intents.get(intent_id).cloned() else {
        return missing("payment_intent", intent_id);
    };
    if intent.charge.is_none() {
        return (
            400,
            error_json(
                "invalid_request_error",
                Some("charge_not_refundable"),
                &format!(
                    "This PaymentIntent ({intent_id}) does not have a successful charge to refund."
                ),
                Some("payment_intent"),
            ),
        );
    }
    let refunded: i64 = state
        .refunds
        .iter()
        .filter(|r| r.payment_intent == intent.id)
        .map(|r| r.amount)
        .sum();
    let left = intent.amount - refunded;
    let amount = match request.field("amount") {
        Some(amount) => match amount.parse::<i64>() {
            Ok(amount) if amount > 0 => amount,
            _ => return invalid("Invalid positive integer", Some("amount")),
        },
        None => left,
    };
    if amount > left {
        return (
            400,
            error_json(
                "invalid_request_error",
                Some("amount_too_large"),
                &format!(
                    "Refund amount ({}) is greater than unrefunded amount on charge ({}).",
                    money(amount, &intent.currency),
                    money(left, &intent.currency)
                ),
                Some("amount"),
            ),
        );
    }
    let refund = Refund {
        id: new_id("re"),
        payment_intent: intent.id.clone(),
        charge: intent.charge.clone(),
        amount,
        metadata: request.map("metadata"),
        reverse_transfer: request.field("reverse_transfer") == Some("true"),
        refund_application_fee: request.field("refund_application_fee") == Some("true"),
        created: now(),
        through_api: true,
    };
    let answer = refund_json(&refund, &intent).to_string();
    state.refunds.push(refund);
    (200, answer)
}

fn money(cents: i64, currency: &str) -> String {
    format!(
        "${}.{:02} {}",
        cents / 100,
        cents % 100,
        currency.to_ascii_uppercase()
    )
}

fn create_portal_session(request: &StripeRequest) -> (u16, String) {
    let Some(customer) = request.field("customer") else {
        return invalid("Missing required param: customer.", Some("customer"));
    };
    (
        200,
        json!({
            "id": new_id("bps"),
            "object": "billing_portal.session",
            "configuration": new_id("bpc"),
            "created": now(),
            "customer": customer,
            "customer_account": null,
            "flow": null,
            "livemode": false,
            "locale": null,
            "on_behalf_of": null,
            "return_url": request.field("return_url"),
            "url": format!(
                "https://billing.stripe.com/p/session/test_{}",
                Alphanumeric.sample_string(&mut rand::rng(), 40)
            ),
        })
        .to_string(),
    )
}

fn update_subscription(state: &mut State, id: &str, request: &StripeRequest) -> (u16, String) {
    let Some(sub) = state.subscriptions.get_mut(id) else {
        return missing("subscription", id);
    };
    if sub.status == "canceled" {
        return invalid(
            "A canceled subscription can only update its cancellation_details and metadata.",
            None,
        );
    }
    match request.field("cancel_at_period_end") {
        Some("true") => sub.cancel_at_period_end = true,
        Some("false") => sub.cancel_at_period_end = false,
        Some(_) => return invalid("Invalid boolean", Some("cancel_at_period_end")),
        None => {}
    }
    for (key, value) in request.map("metadata") {
        if value.is_empty() {
            sub.metadata.remove(&key);
        } else {
            sub.metadata.insert(key, value);
        }
    }
    (200, subscription_json(sub).to_string())
}

// ---- objects ----

/// One JSON object of the fields of several (`json!` has a recursion limit).
fn merged<const N: usize>(parts: [Value; N]) -> Value {
    let mut all = serde_json::Map::new();
    for part in parts {
        if let Value::Object(fields) = part {
            all.extend(fields);
        }
    }
    Value::Object(all)
}

fn event_json(id: &str, kind: &str, object: Value) -> String {
    json!({
        "id": id,
        "object": "event",
        "api_version": api_version(),
        "created": now(),
        "data": { "object": object },
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": kind,
    })
    .to_string()
}

fn address() -> Value {
    json!({
        "city": null,
        "country": "CA",
        "line1": null,
        "line2": null,
        "postal_code": "K1A 0B1",
        "state": null,
    })
}

fn session_json(s: &Session) -> Value {
    let total = s.amount_total();
    let complete = s.status == "complete";
    let payment = s.mode == "payment";
    merged([
        json!({
            "id": s.id,
            "object": "checkout.session",
            "adaptive_pricing": { "enabled": false },
            "after_expiration": null,
            "allow_promotion_codes": null,
            "amount_subtotal": total,
            "amount_total": total,
            "automatic_tax": { "enabled": false, "liability": null, "provider": null, "status": null },
            "billing_address_collection": null,
            "cancel_url": s.cancel_url,
            "client_reference_id": s.client_reference_id,
            "client_secret": null,
            "collected_information": null,
            "consent": null,
            "consent_collection": null,
            "created": s.created,
            "currency": s.currency,
            "currency_conversion": null,
            "custom_fields": [],
            "custom_text": {
            "after_submit": null,
            "shipping_address": null,
            "submit": null,
            "terms_of_service_acceptance": null,
        },
        }),
        json!({
            "customer": s.customer,
            "customer_account": null,
            "customer_creation": if payment { "if_required" } else { "always" },
            "customer_details": if complete {
            json!({
                "address": address(),
                "business_name": null,
                "email": s.customer_email,
                "individual_name": null,
                "name": "Test Buyer",
                "phone": null,
                "tax_exempt": "none",
                "tax_ids": [],
            })
        } else {
            Value::Null
        },
            "customer_email": s.customer_email,
            "discounts": [],
            "expires_at": s.expires_at,
            "invoice": s.invoice,
            "invoice_creation": null,
            "livemode": false,
            "locale": null,
            "metadata": s.metadata,
            "mode": s.mode,
            "origin_context": null,
            "payment_intent": s.payment_intent,
            "payment_link": null,
            "payment_method_collection": if payment { "if_required" } else { "always" },
            "payment_method_configuration_details": null,
            "payment_method_options": {},
            "payment_method_types": ["card"],
        }),
        json!({
            "payment_status": s.payment_status,
            "permissions": null,
            "phone_number_collection": { "enabled": false },
            "recovered_from": null,
            "saved_payment_method_options": null,
            "setup_intent": null,
            "shipping_address_collection": null,
            "shipping_cost": null,
            "shipping_options": [],
            "status": s.status,
            "submit_type": null,
            "subscription": s.subscription,
            "success_url": s.success_url,
            "total_details": { "amount_discount": 0, "amount_shipping": 0, "amount_tax": 0 },
            "ui_mode": "hosted_page",
            "url": if s.status == "open" { json!(s.url()) } else { Value::Null },
            "wallet_options": null,
        }),
    ])
}

fn intent_json(pi: &PaymentIntent) -> Value {
    let succeeded = pi.status == "succeeded";
    merged([
        json!({
            "id": pi.id,
            "object": "payment_intent",
            "amount": pi.amount,
            "amount_capturable": 0,
            "amount_received": if succeeded { pi.amount } else { 0 },
            "application": null,
            "application_fee_amount": pi.application_fee,
            "automatic_payment_methods": null,
            "canceled_at": null,
            "cancellation_reason": null,
            "capture_method": "automatic_async",
            "client_secret": format!("{}_secret_{}", pi.id, Alphanumeric.sample_string(&mut rand::rng(), 24)),
            "confirmation_method": "automatic",
            "created": pi.created,
            "currency": pi.currency,
            "customer": null,
            "description": null,
            "last_payment_error": pi.last_error.as_ref().map(|message| json!({
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "generic_decline",
            "doc_url": "https://stripe.com/docs/error-codes/card-declined",
            "message": message,
        })),
            "latest_charge": pi.charge,
            "livemode": false,
        }),
        json!({
            "metadata": pi.metadata,
            "next_action": null,
            "on_behalf_of": null,
            "payment_method": null,
            "payment_method_configuration_details": null,
            "payment_method_types": ["card"],
            "processing": null,
            "receipt_email": null,
            "review": null,
            "setup_future_usage": null,
            "shipping": null,
            "source": null,
            "statement_descriptor": null,
            "statement_descriptor_suffix": null,
            "status": pi.status,
            "transfer_data": pi.destination.as_ref().map(|d| json!({ "destination": d })),
            "transfer_group": pi.destination.as_ref().map(|_| format!("group_{}", pi.id)),
        }),
    ])
}

fn charge_json(state: &State, pi: &PaymentIntent) -> Value {
    let refunded: i64 = state
        .refunds
        .iter()
        .filter(|r| r.payment_intent == pi.id)
        .map(|r| r.amount)
        .sum();
    let email = state
        .sessions
        .get(&pi.session)
        .and_then(|s| s.customer_email.clone());
    merged([
        json!({
            "id": pi.charge,
            "object": "charge",
            "amount": pi.amount,
            "amount_captured": pi.amount,
            "amount_refunded": refunded,
            "application": null,
            "application_fee": pi.application_fee.map(|_| new_id("fee")),
            "application_fee_amount": pi.application_fee,
            "balance_transaction": new_id("txn"),
            "billing_details": {
            "address": address(),
            "email": email,
            "name": "Test Buyer",
            "phone": null,
            "tax_id": null,
        },
            "calculated_statement_descriptor": "RUSINGACADEMY",
            "captured": true,
            "created": pi.created,
            "currency": pi.currency,
            "customer": null,
            "description": null,
            "disputed": false,
            "failure_balance_transaction": null,
            "failure_code": null,
            "failure_message": null,
        }),
        json!({
            "fraud_details": {},
            "livemode": false,
            "metadata": pi.metadata,
            "on_behalf_of": null,
            "outcome": {
            "advice_code": null,
            "network_advice_code": null,
            "network_decline_code": null,
            "network_status": "approved_by_network",
            "reason": null,
            "risk_level": "normal",
            "risk_score": 32,
            "seller_message": "Payment complete.",
            "type": "authorized",
        },
            "paid": true,
            "payment_intent": pi.id,
            "payment_method": new_id("pm"),
            "payment_method_details": { "type": "card" },
            "receipt_email": email,
            "receipt_number": null,
            "receipt_url": format!("https://pay.stripe.com/receipts/payment/{}", Alphanumeric.sample_string(&mut rand::rng(), 40)),
            "refunded": refunded >= pi.amount,
            "review": null,
            "shipping": null,
            "source_transfer": null,
            "statement_descriptor": null,
            "statement_descriptor_suffix": null,
            "status": "succeeded",
            "transfer": pi.destination.as_ref().map(|_| new_id("tr")),
        }),
        json!({
            "transfer_data": pi.destination.as_ref().map(|d| json!({ "amount": null, "destination": d })),
            "transfer_group": pi.destination.as_ref().map(|_| format!("group_{}", pi.id)),
        }),
    ])
}

fn refund_json(refund: &Refund, pi: &PaymentIntent) -> Value {
    json!({
        "id": refund.id,
        "object": "refund",
        "amount": refund.amount,
        "balance_transaction": new_id("txn"),
        "charge": refund.charge,
        "created": refund.created,
        "currency": pi.currency,
        "destination_details": null,
        "metadata": refund.metadata,
        "payment_intent": refund.payment_intent,
        "reason": null,
        "receipt_number": null,
        "source_transfer_reversal": null,
        "status": "succeeded",
        "transfer_reversal": if refund.reverse_transfer { json!(new_id("trr")) } else { Value::Null },
    })
}

fn account_json(account: &Account) -> Value {
    let capability = if account.charges_enabled {
        "active"
    } else {
        "inactive"
    };
    let capabilities: serde_json::Map<String, Value> = account
        .capabilities
        .iter()
        .map(|c| (c.clone(), json!(capability)))
        .collect();
    let due: Vec<&str> = if account.details_submitted {
        Vec::new()
    } else {
        vec![
            "business_profile.url",
            "external_account",
            "individual.dob.day",
            "individual.first_name",
            "individual.last_name",
            "tos_acceptance.date",
        ]
    };
    json!({
        "id": account.id,
        "object": "account",
        "business_profile": {
            "annual_revenue": null,
            "estimated_worker_count": null,
            "mcc": null,
            "name": null,
            "product_description": null,
            "support_address": null,
            "support_email": null,
            "support_phone": null,
            "support_url": null,
            "url": null,
        },
        "business_type": null,
        "capabilities": capabilities,
        "charges_enabled": account.charges_enabled,
        "country": account.country,
        "created": account.created,
        "default_currency": "cad",
        "details_submitted": account.details_submitted,
        "email": account.email,
        "external_accounts": {
            "object": "list",
            "data": [],
            "has_more": false,
            "total_count": 0,
            "url": format!("/v1/accounts/{}/external_accounts", account.id),
        },
        "metadata": account.metadata,
        "payouts_enabled": account.payouts_enabled,
        "requirements": {
            "alternatives": [],
            "current_deadline": null,
            "currently_due": due,
            "disabled_reason": if account.details_submitted { Value::Null } else { json!("requirements.past_due") },
            "errors": [],
            "eventually_due": due,
            "past_due": due,
            "pending_verification": [],
        },
        "type": account.account_type,
    })
}

fn plan_and_price(sub: &Subscription, item: &SubscriptionItem) -> (Value, Value) {
    let plan = json!({
        "id": item.price,
        "object": "plan",
        "active": true,
        "amount": item.amount,
        "amount_decimal": item.amount.to_string(),
        "billing_scheme": "per_unit",
        "created": sub.created,
        "currency": sub.currency,
        "interval": item.interval,
        "interval_count": 1,
        "livemode": false,
        "metadata": {},
        "meter": null,
        "nickname": null,
        "product": item.product,
        "tiers_mode": null,
        "transform_usage": null,
        "trial_period_days": null,
        "usage_type": "licensed",
    });
    let price = json!({
        "id": item.price,
        "object": "price",
        "active": false,
        "billing_scheme": "per_unit",
        "created": sub.created,
        "currency": sub.currency,
        "custom_unit_amount": null,
        "livemode": false,
        "lookup_key": null,
        "metadata": {},
        "nickname": null,
        "product": item.product,
        "recurring": {
            "interval": item.interval,
            "interval_count": 1,
            "meter": null,
            "trial_period_days": null,
            "usage_type": "licensed",
        },
        "tax_behavior": "unspecified",
        "tiers_mode": null,
        "transform_quantity": null,
        "type": "recurring",
        "unit_amount": item.amount,
        "unit_amount_decimal": item.amount.to_string(),
    });
    (plan, price)
}

fn subscription_json(sub: &Subscription) -> Value {
    let items: Vec<Value> = sub
        .items
        .iter()
        .map(|item| {
            let (plan, price) = plan_and_price(sub, item);
            json!({
                "id": item.id,
                "object": "subscription_item",
                "billing_thresholds": null,
                "created": sub.created,
                "current_period_end": sub.current_period_end,
                "current_period_start": sub.current_period_start,
                "discounts": [],
                "metadata": {},
                "plan": plan,
                "price": price,
                "quantity": 1,
                "subscription": sub.id,
                "tax_rates": [],
            })
        })
        .collect();
    let ended = sub.status == "canceled";
    merged([
        json!({
            "id": sub.id,
            "object": "subscription",
            "application": null,
            "application_fee_percent": null,
            "automatic_tax": { "disabled_reason": null, "enabled": false, "liability": null },
            "billing_cycle_anchor": sub.created,
            "billing_cycle_anchor_config": null,
            "billing_mode": { "type": "flexible", "flexible": null, "updated_at": null },
            "billing_schedules": [],
            "billing_thresholds": null,
            "cancel_at": if sub.cancel_at_period_end { json!(sub.current_period_end) } else { Value::Null },
            "cancel_at_period_end": sub.cancel_at_period_end,
            "canceled_at": sub.canceled_at,
            "cancellation_details": {
            "comment": null,
            "feedback": null,
            "reason": if sub.cancel_at_period_end || ended { json!("cancellation_requested") } else { Value::Null },
        },
            "collection_method": "charge_automatically",
            "created": sub.created,
            "currency": sub.currency,
            "customer": sub.customer,
            "customer_account": null,
            "days_until_due": null,
        }),
        json!({
            "default_payment_method": null,
            "default_source": null,
            "default_tax_rates": [],
            "description": null,
            "discounts": [],
            "ended_at": if ended { json!(sub.canceled_at) } else { Value::Null },
            "invoice_settings": { "account_tax_ids": null, "issuer": { "type": "self" } },
            "items": {
            "object": "list",
            "data": items,
            "has_more": false,
            "total_count": sub.items.len(),
            "url": format!("/v1/subscription_items?subscription={}", sub.id),
        },
            "latest_invoice": sub.latest_invoice,
            "livemode": false,
            "metadata": sub.metadata,
            "next_pending_invoice_item_invoice": null,
            "on_behalf_of": null,
            "pause_collection": null,
            "payment_settings": {
            "payment_method_options": null,
            "payment_method_types": null,
            "save_default_payment_method": "off",
        },
            "pending_invoice_item_interval": null,
            "pending_setup_intent": null,
            "pending_update": null,
            "schedule": null,
            "start_date": sub.created,
        }),
        json!({
            "status": sub.status,
            "test_clock": null,
            "transfer_data": null,
            "trial_end": null,
            "trial_settings": { "end_behavior": { "missing_payment_method": "create_invoice" } },
            "trial_start": null,
        }),
    ])
}

fn invoice_json(sub: &Subscription, id: &str, number: &str, paid: bool, tax: i64) -> Value {
    let created = now();
    let subtotal = sub.amount();
    let total = subtotal + tax;
    let lines: Vec<Value> = sub
        .items
        .iter()
        .map(|item| {
            json!({
                "id": new_id("il"),
                "object": "line_item",
                "amount": item.amount,
                "currency": sub.currency,
                "description": format!("1 × {} (at {} / {})", item.name, money(item.amount, &sub.currency), item.interval),
                "discount_amounts": [],
                "discountable": true,
                "discounts": [],
                "invoice": id,
                "livemode": false,
                "metadata": sub.metadata,
                "parent": {
                    "type": "subscription_item_details",
                    "invoice_item_details": null,
                    "subscription_item_details": {
                        "invoice_item": null,
                        "proration": false,
                        "proration_details": { "credited_items": null },
                        "subscription": sub.id,
                        "subscription_item": item.id,
                    },
                },
                "period": { "end": sub.current_period_end, "start": sub.current_period_start },
                "pretax_credit_amounts": [],
                "pricing": {
                    "type": "price_details",
                    "price_details": { "price": item.price, "product": item.product },
                    "unit_amount_decimal": item.amount.to_string(),
                },
                "quantity": 1,
                "subtotal": item.amount,
                "taxes": [],
            })
        })
        .collect();
    let taxes = if tax > 0 {
        json!([{
            "amount": tax,
            "tax_behavior": "exclusive",
            "tax_rate_details": { "tax_rate": new_id("txr") },
            "taxability_reason": "standard_rated",
            "taxable_amount": subtotal,
            "type": "tax_rate_details",
        }])
    } else {
        json!([])
    };
    merged([
        json!({
            "id": id,
            "object": "invoice",
            "account_country": "CA",
            "account_name": "RusingAcademy",
            "account_tax_ids": null,
            "amount_due": total,
            "amount_overpaid": 0,
            "amount_paid": if paid { total } else { 0 },
            "amount_remaining": if paid { 0 } else { total },
            "amount_shipping": 0,
            "application": null,
            "attempt_count": 1,
            "attempted": true,
            "auto_advance": !paid,
            "automatic_tax": {
            "disabled_reason": null,
            "enabled": false,
            "liability": null,
            "provider": null,
            "status": null,
        },
            "automatically_finalizes_at": null,
            "billing_reason": if sub.invoices <= 1 { "subscription_create" } else { "subscription_cycle" },
            "collection_method": "charge_automatically",
            "created": created,
            "currency": sub.currency,
        }),
        json!({
            "customer": sub.customer,
            "customer_account": null,
            "customer_email": sub.customer_email,
            "customer_name": "Test Buyer",
            "customer_tax_exempt": "none",
            "customer_tax_ids": [],
            "default_payment_method": null,
            "default_source": null,
            "default_tax_rates": [],
            "description": null,
            "discounts": [],
            "due_date": null,
            "effective_at": created,
            "ending_balance": 0,
            "footer": null,
            "from_invoice": null,
            "hosted_invoice_url": format!("https://invoice.stripe.com/i/acct_fake/test_{}", Alphanumeric.sample_string(&mut rand::rng(), 32)),
            "invoice_pdf": format!("https://pay.stripe.com/invoice/acct_fake/test_{}/pdf", Alphanumeric.sample_string(&mut rand::rng(), 32)),
            "issuer": { "type": "self" },
            "last_finalization_error": null,
        }),
        json!({
            "latest_revision": null,
            "lines": {
            "object": "list",
            "data": lines,
            "has_more": false,
            "total_count": sub.items.len(),
            "url": format!("/v1/invoices/{id}/lines"),
        },
            "livemode": false,
            "metadata": {},
            "next_payment_attempt": if paid { Value::Null } else { json!(created + 3 * 86_400) },
            "number": number,
            "on_behalf_of": null,
            "parent": {
            "type": "subscription_details",
            "quote_details": null,
            "subscription_details": {
                "metadata": sub.metadata,
                "subscription": sub.id,
                "subscription_proration_date": null,
            },
        },
            "payment_settings": {
            "default_mandate": null,
            "payment_method_options": null,
            "payment_method_types": null,
        },
            "period_end": sub.current_period_start,
            "period_start": sub.current_period_start,
            "post_payment_credit_notes_amount": 0,
            "pre_payment_credit_notes_amount": 0,
            "receipt_number": null,
            "shipping_cost": null,
            "shipping_details": null,
            "starting_balance": 0,
            "statement_descriptor": null,
            "status": if paid { "paid" } else { "open" },
            "status_transitions": {
            "finalized_at": created,
            "marked_uncollectible_at": null,
            "paid_at": if paid { json!(created) } else { Value::Null },
            "voided_at": null,
        },
        }),
        json!({
            "subtotal": subtotal,
            "subtotal_excluding_tax": subtotal,
            "test_clock": null,
            "total": total,
            "total_discount_amounts": [],
            "total_excluding_tax": subtotal,
            "total_pretax_credit_amounts": [],
            "total_taxes": taxes,
            "webhooks_delivered_at": null,
        }),
    ])
}
