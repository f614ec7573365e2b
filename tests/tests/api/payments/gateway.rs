//! The Stripe gateway against the fake Stripe: what each call sends (path, `Idempotency-Key`,
//! form), what it makes of the answers (and of Stripe's errors), and every event the fake builds
//! verified (signature, tolerance, rotation) and translated into facts.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Months, Utc};
use rusing_academy_tests::stripe::*;
use serde_json::{Value, json};
use service::payments::gateway::{
    AccountFacts, ChargeFacts, CheckoutFacts, CheckoutRequest, Destination, Event, Gateway,
    Interval, InvoiceFacts, Line, Mode, Object, PaymentIntentFacts, RefundRequest, Settings,
    SubscriptionFacts,
};
use service::webhooks::{PAYLOAD_INVALID, SIGNATURE_INVALID};

fn gateway(fake: &FakeStripe) -> Gateway {
    Gateway::new(Settings {
        secret_key: SECRET_KEY.to_owned().into(),
        api_base: Some(fake.url()),
        webhook_secrets: vec![WEBHOOK_SECRET.to_owned().into()],
    })
    .unwrap()
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Now, to the second (Stripe's precision).
fn in_hours(hours: i64) -> DateTime<Utc> {
    let at = Utc::now() + Duration::hours(hours);
    DateTime::from_timestamp(at.timestamp(), 0).unwrap()
}

fn payment_request(key: &str) -> CheckoutRequest {
    CheckoutRequest {
        idempotency_key: key.to_owned(),
        mode: Mode::Payment,
        currency: "cad".to_owned(),
        lines: vec![
            Line {
                name: "Coaching session (60 min)".to_owned(),
                amount: 6000,
                interval: None,
            },
            Line {
                name: "Workbook".to_owned(),
                amount: 1500,
                interval: None,
            },
        ],
        client_reference_id: "42".to_owned(),
        customer_email: Some("learner@example.gc.ca".to_owned()),
        metadata: map(&[("paymentId", "42"), ("purpose", "coaching")]),
        destination: Some(Destination {
            account: "acct_1CoachAbc".to_owned(),
            application_fee: 1125,
        }),
        expires_at: in_hours(2),
        success_url: "https://app.rusingacademy.test/payments/42/success".to_owned(),
        cancel_url: "https://app.rusingacademy.test/payments/42/cancel".to_owned(),
    }
}

fn subscription_request(key: &str) -> CheckoutRequest {
    CheckoutRequest {
        idempotency_key: key.to_owned(),
        mode: Mode::Subscription,
        currency: "cad".to_owned(),
        lines: vec![Line {
            name: "Premium (monthly)".to_owned(),
            amount: 2900,
            interval: Some(Interval::Month),
        }],
        client_reference_id: "77".to_owned(),
        customer_email: None,
        metadata: map(&[("paymentId", "77"), ("plan", "premium")]),
        destination: None,
        expires_at: in_hours(24),
        success_url: "https://app.rusingacademy.test/ok".to_owned(),
        cancel_url: "https://app.rusingacademy.test/cancel".to_owned(),
    }
}

/// The verified facts of `payload`, signed now by the fake.
fn verified(gateway: &Gateway, fake: &FakeStripe, payload: &str) -> Event {
    match gateway.verify_event(payload, Some(&fake.sign(payload))) {
        Ok(event) => event,
        Err(err) => panic!("{err:?} for {payload}"),
    }
}

fn assert_dependency(err: &service::Error, contains: &str) {
    match err {
        service::Error::Dependency {
            dependency,
            message,
        } => {
            assert_eq!(*dependency, "stripe");
            assert!(message.contains(contains), "{message:?} lacks {contains:?}");
            assert!(!message.contains(SECRET_KEY), "{message:?}");
        }
        other => panic!("expected a dependency error, got {other:?}"),
    }
}

fn assert_problem(err: service::Error, problem: &'static service::Problem) {
    assert!(err.is(problem), "expected {}, got {err:?}", problem.code);
}

/// A completed payment-mode checkout: (session id, PaymentIntent id).
async fn paid_checkout(gateway: &Gateway, fake: &FakeStripe, key: &str) -> (String, String) {
    let created = gateway
        .create_checkout(&payment_request(key))
        .await
        .unwrap();
    fake.checkout_completed(&created.id);
    let pi = fake.session(&created.id).unwrap().payment_intent.unwrap();
    (created.id, pi)
}

/// A completed subscription checkout: its subscription id.
async fn subscribed(gateway: &Gateway, fake: &FakeStripe, key: &str) -> String {
    let created = gateway
        .create_checkout(&subscription_request(key))
        .await
        .unwrap();
    fake.checkout_completed(&created.id);
    fake.session(&created.id).unwrap().subscription.unwrap()
}

// ---- calls ----

#[tokio::test]
async fn a_payment_checkout_sends_lines_metadata_and_the_destination() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let request = payment_request("checkout-42-1");

    let created = gateway.create_checkout(&request).await.unwrap();

    assert!(created.id.starts_with("cs_test_"), "{}", created.id);
    assert_eq!(
        created.url,
        format!("https://checkout.stripe.com/c/pay/{}", created.id)
    );
    assert_eq!(created.expires_at, request.expires_at);

    let sent = fake.requests_to("/v1/checkout/sessions");
    assert_eq!(sent.len(), 1);
    let sent = &sent[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.idempotency_key.as_deref(), Some("checkout-42-1"));
    assert_eq!(sent.stripe_account, None);
    assert_eq!(sent.stripe_version.as_deref(), Some(api_version()));
    let field = |k: &str| sent.field(k);
    assert_eq!(field("mode"), Some("payment"));
    assert_eq!(field("line_items[0][price_data][currency]"), Some("cad"));
    assert_eq!(
        field("line_items[0][price_data][unit_amount]"),
        Some("6000")
    );
    assert_eq!(
        field("line_items[0][price_data][product_data][name]"),
        Some("Coaching session (60 min)")
    );
    assert_eq!(field("line_items[0][quantity]"), Some("1"));
    assert_eq!(
        field("line_items[1][price_data][unit_amount]"),
        Some("1500")
    );
    assert_eq!(
        field("line_items[1][price_data][product_data][name]"),
        Some("Workbook")
    );
    assert_eq!(field("line_items[1][quantity]"), Some("1"));
    assert!(!sent.has("line_items[0][price_data][recurring]"));
    assert_eq!(field("client_reference_id"), Some("42"));
    assert_eq!(field("customer_email"), Some("learner@example.gc.ca"));
    assert_eq!(sent.map("metadata"), request.metadata);
    assert_eq!(sent.map("payment_intent_data[metadata]"), request.metadata);
    assert_eq!(
        field("payment_intent_data[application_fee_amount]"),
        Some("1125")
    );
    assert_eq!(
        field("payment_intent_data[transfer_data][destination]"),
        Some("acct_1CoachAbc")
    );
    assert!(!sent.has("subscription_data"));
    let expires_at = request.expires_at.timestamp().to_string();
    assert_eq!(field("expires_at"), Some(expires_at.as_str()));
    assert_eq!(field("success_url"), Some(request.success_url.as_str()));
    assert_eq!(field("cancel_url"), Some(request.cancel_url.as_str()));

    let session = fake.session(&created.id).unwrap();
    assert_eq!(session.amount_total(), 7500);
    assert_eq!(session.status, "open");
    assert_eq!(session.destination.as_deref(), Some("acct_1CoachAbc"));
    assert_eq!(session.application_fee, Some(1125));
    assert_eq!(session.payment_intent_metadata, request.metadata);
}

#[tokio::test]
async fn a_subscription_checkout_sends_recurring_lines_and_subscription_metadata() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let mut request = subscription_request("subscribe-77");
    request.lines[0].interval = Some(Interval::Year);

    let created = gateway.create_checkout(&request).await.unwrap();

    let sent = &fake.requests_to("/v1/checkout/sessions")[0];
    assert_eq!(sent.idempotency_key.as_deref(), Some("subscribe-77"));
    assert_eq!(sent.field("mode"), Some("subscription"));
    assert_eq!(
        sent.field("line_items[0][price_data][recurring][interval]"),
        Some("year")
    );
    assert_eq!(
        sent.field("line_items[0][price_data][unit_amount]"),
        Some("2900")
    );
    assert_eq!(sent.field("line_items[0][quantity]"), Some("1"));
    assert_eq!(sent.map("metadata"), request.metadata);
    assert_eq!(sent.map("subscription_data[metadata]"), request.metadata);
    assert!(!sent.has("payment_intent_data"));
    assert_eq!(sent.field("customer_email"), None);

    let session = fake.session(&created.id).unwrap();
    assert_eq!(session.mode, "subscription");
    assert_eq!(session.lines[0].interval.as_deref(), Some("year"));
    assert_eq!(session.subscription_metadata, request.metadata);
}

#[tokio::test]
async fn a_repeated_idempotency_key_gets_the_same_session() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let request = payment_request("checkout-7-1");

    let first = gateway.create_checkout(&request).await.unwrap();
    let second = gateway.create_checkout(&request).await.unwrap();
    let other = gateway
        .create_checkout(&payment_request("checkout-7-2"))
        .await
        .unwrap();

    assert_eq!(first, second);
    assert_ne!(first.id, other.id);
    assert_eq!(fake.requests_to("/v1/checkout/sessions").len(), 3);
    assert_eq!(fake.sessions().len(), 2);

    // The same key with other parameters is refused, as Stripe does.
    let mut changed = payment_request("checkout-7-1");
    changed.lines.pop();
    let err = gateway.create_checkout(&changed).await.unwrap_err();
    assert_dependency(&err, "idempotency_error");
}

#[tokio::test]
async fn an_express_account_is_created_in_canada_with_both_capabilities() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);

    let id = gateway
        .create_express_account("coach-7-account", "coach@example.gc.ca", 7)
        .await
        .unwrap();

    assert!(id.starts_with("acct_"), "{id}");
    let sent = &fake.requests_to("/v1/accounts")[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.idempotency_key.as_deref(), Some("coach-7-account"));
    assert_eq!(sent.field("type"), Some("express"));
    assert_eq!(sent.field("country"), Some("CA"));
    assert_eq!(sent.field("email"), Some("coach@example.gc.ca"));
    assert_eq!(
        sent.field("capabilities[card_payments][requested]"),
        Some("true")
    );
    assert_eq!(
        sent.field("capabilities[transfers][requested]"),
        Some("true")
    );
    assert_eq!(sent.map("metadata"), map(&[("coachProfileId", "7")]));

    let account = fake.account(&id).unwrap();
    assert!(!account.charges_enabled && !account.payouts_enabled);
    assert_eq!(account.account_type, "express");
    assert_eq!(account.capabilities, ["card_payments", "transfers"]);

    // A retry of the same creation finds the same account.
    let again = gateway
        .create_express_account("coach-7-account", "coach@example.gc.ca", 7)
        .await
        .unwrap();
    assert_eq!(again, id);
    assert_eq!(fake.accounts().len(), 1);
}

#[tokio::test]
async fn an_onboarding_link_names_the_account_and_both_urls() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let before = Utc::now().timestamp();

    let link = gateway
        .account_link(
            "acct_1CoachAbc",
            "https://app.rusingacademy.test/coach/payouts/refresh",
            "https://app.rusingacademy.test/coach/payouts/done",
        )
        .await
        .unwrap();

    assert!(
        link.url
            .starts_with("https://connect.stripe.com/setup/e/acct_1CoachAbc/"),
        "{}",
        link.url
    );
    assert!(link.expires_at.timestamp() >= before + 300);
    assert!(link.expires_at.timestamp() <= Utc::now().timestamp() + 300);
    let sent = &fake.requests_to("/v1/account_links")[0];
    assert_eq!(sent.field("account"), Some("acct_1CoachAbc"));
    assert_eq!(sent.field("type"), Some("account_onboarding"));
    assert_eq!(
        sent.field("refresh_url"),
        Some("https://app.rusingacademy.test/coach/payouts/refresh")
    );
    assert_eq!(
        sent.field("return_url"),
        Some("https://app.rusingacademy.test/coach/payouts/done")
    );
}

#[tokio::test]
async fn a_refund_of_a_destination_charge_reverses_the_transfer_and_the_fee() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let (_, pi) = paid_checkout(&gateway, &fake, "checkout-42-1").await;

    let refund = RefundRequest {
        idempotency_key: "refund-5".to_owned(),
        payment_intent: pi.clone(),
        amount: 2000,
        destination_charge: true,
        metadata: map(&[("refundId", "5"), ("paymentId", "42")]),
    };
    let created = gateway.refund(&refund).await.unwrap();

    assert!(created.id.starts_with("re_"), "{}", created.id);
    assert_eq!(created.status, "succeeded");
    let sent = &fake.requests_to("/v1/refunds")[0];
    assert_eq!(sent.idempotency_key.as_deref(), Some("refund-5"));
    assert_eq!(sent.field("payment_intent"), Some(pi.as_str()));
    assert_eq!(sent.field("amount"), Some("2000"));
    assert_eq!(sent.field("reverse_transfer"), Some("true"));
    assert_eq!(sent.field("refund_application_fee"), Some("true"));
    assert_eq!(sent.map("metadata"), refund.metadata);

    // Retried: the same refund, not a second one.
    assert_eq!(gateway.refund(&refund).await.unwrap(), created);
    assert_eq!(fake.refunds_for(&pi).len(), 1);

    // A refund of a direct charge sends neither reversal.
    let direct = RefundRequest {
        idempotency_key: "refund-6".to_owned(),
        destination_charge: false,
        amount: 500,
        ..refund.clone()
    };
    gateway.refund(&direct).await.unwrap();
    let sent = &fake.requests_to("/v1/refunds")[2];
    assert_eq!(sent.field("reverse_transfer"), None);
    assert_eq!(sent.field("refund_application_fee"), None);
    assert_eq!(
        fake.refunds_for(&pi)
            .iter()
            .map(|r| r.amount)
            .collect::<Vec<_>>(),
        [2000, 500]
    );

    // More than what is left (7500 − 2500) is Stripe's error.
    let too_much = RefundRequest {
        idempotency_key: "refund-7".to_owned(),
        amount: 5001,
        ..direct
    };
    let err = gateway.refund(&too_much).await.unwrap_err();
    assert_dependency(&err, "amount_too_large");
}

#[tokio::test]
async fn a_portal_session_returns_its_url() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);

    let url = gateway
        .portal_session("cus_Learner1", "https://app.rusingacademy.test/billing")
        .await
        .unwrap();

    assert!(
        url.starts_with("https://billing.stripe.com/p/session/test_"),
        "{url}"
    );
    let sent = &fake.requests_to("/v1/billing_portal/sessions")[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.field("customer"), Some("cus_Learner1"));
    assert_eq!(
        sent.field("return_url"),
        Some("https://app.rusingacademy.test/billing")
    );
}

#[tokio::test]
async fn cancel_at_period_end_is_set_and_cleared_on_the_subscription() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let sub = subscribed(&gateway, &fake, "subscribe-77").await;
    let path = format!("/v1/subscriptions/{sub}");

    gateway.set_cancel_at_period_end(&sub, true).await.unwrap();
    assert_eq!(
        fake.requests_to(&path)[0].field("cancel_at_period_end"),
        Some("true")
    );
    assert!(fake.subscription(&sub).unwrap().cancel_at_period_end);
    let Object::Subscription(facts) =
        verified(&gateway, &fake, &fake.subscription_event(&sub, "updated")).object
    else {
        panic!("not a subscription")
    };
    assert!(facts.cancel_at_period_end);
    // Fetched as Stripe has it now: the same facts.
    assert_eq!(gateway.retrieve_subscription(&sub).await.unwrap(), facts);
    let fetched = fake.requests();
    let fetched = fetched.last().unwrap();
    assert_eq!(
        (fetched.method.as_str(), fetched.path.as_str()),
        ("GET", path.as_str())
    );

    gateway.set_cancel_at_period_end(&sub, false).await.unwrap();
    assert_eq!(
        fake.requests_to(&path)[2].field("cancel_at_period_end"),
        Some("false")
    );
    assert!(!fake.subscription(&sub).unwrap().cancel_at_period_end);

    let err = gateway
        .set_cancel_at_period_end("sub_missing", true)
        .await
        .unwrap_err();
    assert_dependency(&err, "resource_missing");
}

#[tokio::test]
async fn stripe_errors_become_dependency_errors_without_the_key() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);

    fake.fail_next(500, "api_error", "An unknown error occurred");
    let err = gateway
        .create_checkout(&payment_request("checkout-1"))
        .await
        .unwrap_err();
    assert_dependency(&err, "500");
    // A server failure is not saved under the key: the retry goes through.
    gateway
        .create_checkout(&payment_request("checkout-1"))
        .await
        .unwrap();

    fake.fail_next(400, "parameter_invalid_integer", "Invalid integer: abc");
    let err = gateway
        .portal_session("cus_1", "https://app.rusingacademy.test/billing")
        .await
        .unwrap_err();
    assert_dependency(&err, "Invalid integer: abc");

    fake.fail_next(429, "rate_limit", "Too many requests");
    let err = gateway
        .create_express_account("coach-1", "c@example.gc.ca", 1)
        .await
        .unwrap_err();
    assert_dependency(&err, "rate_limit");

    // A wrong key: Stripe's 401, the key kept out of the message.
    let wrong_key = "sk_test_wrong0123456789";
    let stranger = Gateway::new(Settings {
        secret_key: wrong_key.to_owned().into(),
        api_base: Some(fake.url()),
        webhook_secrets: vec![],
    })
    .unwrap();
    let err = stranger
        .account_link("acct_1", "https://a.test/r", "https://a.test/d")
        .await
        .unwrap_err();
    assert_dependency(&err, "401");
    assert!(!format!("{err:?}").contains(wrong_key), "{err:?}");
    assert!(!err.to_string().contains(wrong_key), "{err}");

    // Nobody listening.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let unreachable = Gateway::new(Settings {
        secret_key: SECRET_KEY.to_owned().into(),
        api_base: Some(closed),
        webhook_secrets: vec![],
    })
    .unwrap();
    let err = unreachable
        .portal_session("cus_1", "https://a.test/b")
        .await
        .unwrap_err();
    assert_dependency(&err, "");
}

// ---- events ----

#[tokio::test]
async fn every_event_carries_the_library_api_version_and_a_fresh_id() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let created = gateway
        .create_checkout(&payment_request("k"))
        .await
        .unwrap();

    let first = fake.checkout_expired(&created.id);
    let second = fake.checkout_expired(&created.id);
    let value: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(value["object"], "event");
    assert_eq!(
        value["api_version"],
        stripe_shared::version::VERSION.as_str()
    );
    assert_eq!(value["livemode"], false);
    assert_eq!(value["type"], "checkout.session.expired");
    assert_eq!(value["data"]["object"]["object"], "checkout.session");
    let (a, b) = (
        verified(&gateway, &fake, &first),
        verified(&gateway, &fake, &second),
    );
    assert!(a.id.starts_with("evt_"), "{}", a.id);
    assert_ne!(a.id, b.id);

    let again = with_event_id(&first, "evt_same");
    assert_eq!(verified(&gateway, &fake, &again).id, "evt_same");
}

#[tokio::test]
async fn checkout_events_translate_into_checkout_facts() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let request = payment_request("checkout-42-1");
    let created = gateway.create_checkout(&request).await.unwrap();

    let event = verified(&gateway, &fake, &fake.checkout_completed(&created.id));
    let pi = fake.session(&created.id).unwrap().payment_intent.unwrap();
    assert!(pi.starts_with("pi_"), "{pi}");
    assert_eq!(event.kind, "checkout.session.completed");
    assert_eq!(
        event.object,
        Object::Checkout(CheckoutFacts {
            id: created.id.clone(),
            client_reference_id: Some("42".to_owned()),
            metadata: request.metadata.clone(),
            payment_intent: Some(pi.clone()),
            subscription: None,
            customer: None,
            amount_total: Some(7500),
            paid: true,
        })
    );
    let intent = fake.payment_intent(&pi).unwrap();
    assert_eq!(intent.metadata, request.metadata);
    assert_eq!(intent.amount, 7500);
    assert!(intent.charge.unwrap().starts_with("ch_"));

    // Expired, never paid.
    let other = gateway
        .create_checkout(&payment_request("checkout-43-1"))
        .await
        .unwrap();
    let event = verified(&gateway, &fake, &fake.checkout_expired(&other.id));
    assert_eq!(event.kind, "checkout.session.expired");
    let Object::Checkout(facts) = event.object else {
        panic!("not a checkout")
    };
    assert_eq!(facts.id, other.id);
    assert!(!facts.paid);
    assert_eq!(facts.payment_intent, None);
    assert_eq!(fake.session(&other.id).unwrap().status, "expired");

    // A subscription checkout names the customer and the subscription.
    let subscription = subscription_request("subscribe-77");
    let created = gateway.create_checkout(&subscription).await.unwrap();
    let event = verified(&gateway, &fake, &fake.checkout_completed(&created.id));
    let session = fake.session(&created.id).unwrap();
    let (sub, customer) = (
        session.subscription.clone().unwrap(),
        session.customer.clone().unwrap(),
    );
    assert!(sub.starts_with("sub_") && customer.starts_with("cus_"));
    assert_eq!(
        event.object,
        Object::Checkout(CheckoutFacts {
            id: created.id.clone(),
            client_reference_id: Some("77".to_owned()),
            metadata: subscription.metadata.clone(),
            payment_intent: None,
            subscription: Some(sub.clone()),
            customer: Some(customer),
            amount_total: Some(2900),
            paid: true,
        })
    );
    assert_eq!(
        fake.subscription(&sub).unwrap().metadata,
        subscription.metadata
    );
}

#[tokio::test]
async fn a_failed_payment_names_the_payment_and_the_error() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let request = payment_request("checkout-42-1");
    let created = gateway.create_checkout(&request).await.unwrap();

    let event = verified(&gateway, &fake, &fake.payment_failed(&created.id));

    let pi = fake.session(&created.id).unwrap().payment_intent.unwrap();
    assert_eq!(event.kind, "payment_intent.payment_failed");
    assert_eq!(
        event.object,
        Object::PaymentIntent(PaymentIntentFacts {
            id: pi.clone(),
            metadata: request.metadata.clone(),
            error: Some("Your card was declined.".to_owned()),
        })
    );
    // Paid on a second try: the same PaymentIntent.
    let Object::Checkout(facts) =
        verified(&gateway, &fake, &fake.checkout_completed(&created.id)).object
    else {
        panic!("not a checkout")
    };
    assert_eq!(facts.payment_intent, Some(pi));
}

#[tokio::test]
async fn a_refunded_charge_sums_the_refunds() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let (cs, pi) = paid_checkout(&gateway, &fake, "checkout-42-1").await;
    let charge = fake.payment_intent(&pi).unwrap().charge.unwrap();
    for (key, amount) in [("refund-1", 1000), ("refund-2", 1500)] {
        gateway
            .refund(&RefundRequest {
                idempotency_key: key.to_owned(),
                payment_intent: pi.clone(),
                amount,
                destination_charge: true,
                metadata: map(&[("refundId", key)]),
            })
            .await
            .unwrap();
    }

    let event = verified(&gateway, &fake, &fake.charge_refunded(&cs));
    assert_eq!(event.kind, "charge.refunded");
    assert_eq!(
        event.object,
        Object::Charge(ChargeFacts {
            id: charge.clone(),
            payment_intent: Some(pi.clone()),
            metadata: map(&[("paymentId", "42"), ("purpose", "coaching")]),
            amount: 7500,
            amount_refunded: 2500,
        })
    );

    // A refund made in the dashboard adds to the total.
    let Object::Charge(facts) =
        verified(&gateway, &fake, &fake.charge_refunded_amount(&cs, 5000)).object
    else {
        panic!("not a charge")
    };
    assert_eq!((facts.id, facts.amount_refunded), (charge, 7500));
    assert_eq!(fake.refunds_for(&pi).len(), 3);
}

#[tokio::test]
async fn subscription_events_carry_status_period_and_metadata() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let sub = subscribed(&gateway, &fake, "subscribe-77").await;
    let state = fake.subscription(&sub).unwrap();
    let start = DateTime::from_timestamp(state.current_period_start, 0).unwrap();
    let end = start.checked_add_months(Months::new(1)).unwrap();

    let event = verified(&gateway, &fake, &fake.subscription_event(&sub, "created"));
    assert_eq!(event.kind, "customer.subscription.created");
    assert_eq!(
        event.object,
        Object::Subscription(SubscriptionFacts {
            id: sub.clone(),
            customer: Some(state.customer.clone()),
            status: "active".to_owned(),
            current_period_end: Some(end),
            cancel_at_period_end: false,
            metadata: map(&[("paymentId", "77"), ("plan", "premium")]),
            created: state.created,
        })
    );

    fake.set_subscription_status(&sub, "past_due");
    let event = verified(&gateway, &fake, &fake.subscription_event(&sub, "updated"));
    assert_eq!(event.kind, "customer.subscription.updated");
    let Object::Subscription(facts) = event.object else {
        panic!("not a subscription")
    };
    assert_eq!(facts.status, "past_due");

    fake.renew(&sub);
    let event = verified(&gateway, &fake, &fake.subscription_event(&sub, "updated"));
    let Object::Subscription(facts) = event.object else {
        panic!("not a subscription")
    };
    assert_eq!(
        facts.current_period_end,
        end.checked_add_months(Months::new(1))
    );

    let event = verified(&gateway, &fake, &fake.subscription_event(&sub, "deleted"));
    assert_eq!(event.kind, "customer.subscription.deleted");
    let Object::Subscription(facts) = event.object else {
        panic!("not a subscription")
    };
    assert_eq!(facts.status, "canceled");
}

#[tokio::test]
async fn invoice_events_carry_totals_number_and_the_subscription_metadata() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let sub = subscribed(&gateway, &fake, "subscribe-77").await;
    let customer = fake.subscription(&sub).unwrap().customer;
    let before = Utc::now().timestamp();

    let event = verified(&gateway, &fake, &fake.invoice_event(&sub, "invoice.paid"));
    assert_eq!(event.kind, "invoice.paid");
    let Object::Invoice(paid) = event.object else {
        panic!("not an invoice")
    };
    assert!(paid.id.starts_with("in_"), "{}", paid.id);
    assert!(paid.number.as_deref().unwrap().ends_with("-0001"));
    let paid_at = paid.paid_at.unwrap().timestamp();
    assert!(paid_at >= before && paid_at <= Utc::now().timestamp());
    assert_eq!(
        paid,
        InvoiceFacts {
            id: paid.id.clone(),
            number: paid.number.clone(),
            subscription: Some(sub.clone()),
            subscription_metadata: map(&[("paymentId", "77"), ("plan", "premium")]),
            customer: Some(customer.clone()),
            total: 2900,
            amount_paid: 2900,
            tax: 0,
            currency: "cad".to_owned(),
            paid_at: paid.paid_at,
            status: "paid".to_owned(),
        }
    );

    let event = verified(
        &gateway,
        &fake,
        &fake.invoice_event_taxed(&sub, "invoice.paid", 377),
    );
    let Object::Invoice(taxed) = event.object else {
        panic!("not an invoice")
    };
    assert_eq!(
        (taxed.total, taxed.amount_paid, taxed.tax),
        (3277, 3277, 377)
    );
    assert!(taxed.number.as_deref().unwrap().ends_with("-0002"));
    assert_ne!(taxed.id, paid.id);

    let event = verified(
        &gateway,
        &fake,
        &fake.invoice_event(&sub, "invoice.payment_failed"),
    );
    assert_eq!(event.kind, "invoice.payment_failed");
    let Object::Invoice(failed) = event.object else {
        panic!("not an invoice")
    };
    assert_eq!(
        (failed.total, failed.amount_paid, failed.paid_at),
        (2900, 0, None)
    );
    assert_eq!(failed.status, "open");
    assert_eq!(failed.subscription, Some(sub));
}

#[tokio::test]
async fn account_updated_carries_the_enabled_flags() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let id = gateway
        .create_express_account("coach-7-account", "coach@example.gc.ca", 7)
        .await
        .unwrap();

    let event = verified(&gateway, &fake, &fake.account_updated(&id, false));
    assert_eq!(event.kind, "account.updated");
    assert_eq!(
        event.object,
        Object::Account(AccountFacts {
            id: id.clone(),
            charges_enabled: false,
            payouts_enabled: false,
            details_submitted: false,
            metadata: map(&[("coachProfileId", "7")]),
        })
    );

    let event = verified(&gateway, &fake, &fake.account_updated(&id, true));
    assert_eq!(
        event.object,
        Object::Account(AccountFacts {
            id: id.clone(),
            charges_enabled: true,
            payouts_enabled: true,
            details_submitted: true,
            metadata: map(&[("coachProfileId", "7")]),
        })
    );
    assert!(fake.account(&id).unwrap().payouts_enabled);
    let Object::Account(facts) = event.object else {
        panic!("not an account")
    };
    assert_eq!(gateway.retrieve_account(&id).await.unwrap(), facts);
    let err = gateway.retrieve_account("acct_missing").await.unwrap_err();
    assert_dependency(&err, "resource_missing");
}

#[tokio::test]
async fn other_event_types_are_other() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let payload = fake.event(
        "customer.created",
        json!({
            "id": "cus_New1",
            "object": "customer",
            "created": Utc::now().timestamp(),
            "email": "learner@example.gc.ca",
            "livemode": false,
            "metadata": {},
        }),
    );

    let event = verified(&gateway, &fake, &payload);

    assert_eq!(event.kind, "customer.created");
    assert_eq!(event.object, Object::Other);
}

// ---- signatures ----

#[tokio::test]
async fn signatures_are_checked_before_anything() {
    let fake = FakeStripe::start().await;
    let gateway = gateway(&fake);
    let created = gateway
        .create_checkout(&payment_request("k"))
        .await
        .unwrap();
    let payload = fake.checkout_completed(&created.id);
    let now = Utc::now().timestamp();

    // Wrong secret.
    let header = fake.sign_with("whsec_someone_else", &payload, now);
    assert_problem(
        gateway.verify_event(&payload, Some(&header)).unwrap_err(),
        SIGNATURE_INVALID,
    );
    // Stale, and too far ahead.
    for t in [now - TOLERANCE - 1, now + TOLERANCE + 60] {
        assert_problem(
            gateway
                .verify_event(&payload, Some(&fake.sign_at(&payload, t)))
                .unwrap_err(),
            SIGNATURE_INVALID,
        );
    }
    // Inside the tolerance.
    let recent = fake.sign_at(&payload, now - TOLERANCE + 30);
    assert!(gateway.verify_event(&payload, Some(&recent)).is_ok());
    // Missing or malformed header.
    assert_problem(
        gateway.verify_event(&payload, None).unwrap_err(),
        SIGNATURE_INVALID,
    );
    for header in ["", "garbage", "t=abc,v1=00", &format!("t={now}")] {
        assert_problem(
            gateway.verify_event(&payload, Some(header)).unwrap_err(),
            SIGNATURE_INVALID,
        );
    }
    // Another body under a good signature.
    let header = fake.sign(&payload);
    let tampered = payload.replace("\"paymentId\":\"42\"", "\"paymentId\":\"43\"");
    assert_ne!(tampered, payload);
    assert_problem(
        gateway.verify_event(&tampered, Some(&header)).unwrap_err(),
        SIGNATURE_INVALID,
    );
    // Two v1 signatures, the first wrong: accepted.
    let header = format!(
        "t={now},v1={},v1={}",
        v1("whsec_old", &payload, now),
        v1(WEBHOOK_SECRET, &payload, now)
    );
    assert!(gateway.verify_event(&payload, Some(&header)).is_ok());
    // Signed correctly but not an event.
    assert_problem(
        gateway
            .verify_event("{}", Some(&fake.sign("{}")))
            .unwrap_err(),
        PAYLOAD_INVALID,
    );
    assert_problem(
        gateway
            .verify_event("not json", Some(&fake.sign("not json")))
            .unwrap_err(),
        PAYLOAD_INVALID,
    );
}

#[tokio::test]
async fn any_configured_secret_verifies_during_a_rotation() {
    let fake = FakeStripe::start().await;
    let rotating = Gateway::new(Settings {
        secret_key: SECRET_KEY.to_owned().into(),
        api_base: Some(fake.url()),
        webhook_secrets: vec![
            "whsec_old".to_owned().into(),
            WEBHOOK_SECRET.to_owned().into(),
        ],
    })
    .unwrap();
    let payload = fake.account_updated("acct_1CoachAbc", true);
    let now = Utc::now().timestamp();

    for secret in ["whsec_old", WEBHOOK_SECRET] {
        let event = rotating
            .verify_event(&payload, Some(&fake.sign_with(secret, &payload, now)))
            .unwrap();
        assert_eq!(event.kind, "account.updated");
    }
    assert_problem(
        rotating
            .verify_event(
                &payload,
                Some(&fake.sign_with("whsec_other", &payload, now)),
            )
            .unwrap_err(),
        SIGNATURE_INVALID,
    );
    // No secret configured: nothing verifies.
    let none = Gateway::new(Settings {
        secret_key: SECRET_KEY.to_owned().into(),
        api_base: None,
        webhook_secrets: vec![],
    })
    .unwrap();
    assert_problem(
        none.verify_event(&payload, Some(&fake.sign(&payload)))
            .unwrap_err(),
        SIGNATURE_INVALID,
    );
}
