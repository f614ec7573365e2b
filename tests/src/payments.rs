//! Payment arrangements: the application wired to a fake Stripe, checkouts, signed webhook
//! deliveries, a paid course and a coach who can be paid.

#![allow(clippy::expect_used)] // a failed expectation is a failed test

use entity::coaching::coach_profiles;
use entity::courses::courses;
use entity::payments::payments;
use entity::users::users;
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::json;

use crate::app::{TestApp, TestResponse, json_ok, send, spawn_app_with};
use crate::fixtures::db_course;
use crate::stripe::{FakeStripe, Session};

/// The application and the fake Stripe it pays through.
pub struct Shop {
    pub app: TestApp,
    pub stripe: FakeStripe,
}

/// Starts a fake Stripe and the application configured to use it.
pub async fn shop() -> Shop {
    shop_with(&[]).await
}

/// [`shop`] with more settings.
pub async fn shop_with(extra: &[(&str, &str)]) -> Shop {
    let stripe = FakeStripe::start().await;
    let settings = stripe.settings();
    let mut overrides: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    overrides.extend_from_slice(extra);
    let app = spawn_app_with(&overrides).await;
    Shop { app, stripe }
}

impl Shop {
    /// `user` starts a checkout.
    pub async fn checkout(
        &self,
        user: &users::Model,
        purpose: &str,
        reference: i64,
        coupon: Option<&str>,
    ) -> TestResponse {
        let mut body = json!({"purpose": purpose, "referenceId": reference});
        if let Some(code) = coupon {
            body["couponCode"] = json!(code);
        }
        send(
            self.app
                .request_as(user, Method::POST, "/api/v1/checkout")
                .json(&body),
        )
        .await
    }

    /// A checkout that must succeed: `(paymentId, Checkout Session id)`.
    pub async fn checked_out(
        &self,
        user: &users::Model,
        purpose: &str,
        reference: i64,
    ) -> (i64, String) {
        let body = json_ok(
            &self.checkout(user, purpose, reference, None).await,
            StatusCode::CREATED,
        );
        let payment = body["paymentId"].as_i64().expect("paymentId");
        (payment, self.session_of(payment).id)
    }

    /// The fake's Checkout Session of our payment.
    pub fn session_of(&self, payment_id: i64) -> Session {
        self.stripe
            .sessions()
            .into_iter()
            .find(|s| s.client_reference_id.as_deref() == Some(&payment_id.to_string()))
            .expect("a Checkout Session for the payment")
    }

    /// Delivers an event signed as Stripe signs it.
    pub async fn deliver(&self, payload: &str) -> TestResponse {
        self.deliver_signed(payload, &self.stripe.sign(payload))
            .await
    }

    /// Delivers an event with the given `Stripe-Signature`.
    pub async fn deliver_signed(&self, payload: &str, signature: &str) -> TestResponse {
        send(
            self.app
                .post("/api/v1/webhooks/stripe")
                .header("Stripe-Signature", signature)
                .header("Content-Type", "application/json")
                .body(payload.to_owned()),
        )
        .await
    }

    /// Delivers an event that must be processed now.
    pub async fn processed(&self, payload: &str) {
        let response = self.deliver(payload).await;
        let body = json_ok(&response, StatusCode::OK);
        assert_eq!(body["status"], "processed", "{body}");
    }

    /// Checkout, then Stripe's `checkout.session.completed`: `(paymentId, session id)`.
    pub async fn paid(&self, user: &users::Model, purpose: &str, reference: i64) -> (i64, String) {
        let (payment, session) = self.checked_out(user, purpose, reference).await;
        self.processed(&self.stripe.checkout_completed(&session))
            .await;
        (payment, session)
    }

    /// A payment's row.
    pub async fn payment_row(&self, id: i64) -> payments::Model {
        payments::Entity::find_by_id(id)
            .one(&self.app.db.conn)
            .await
            .expect("query")
            .expect("the payment")
    }
}

/// A published course priced `price` cents.
pub async fn paid_course(app: &TestApp, slug: &str, price: i64) -> courses::Model {
    let course = db_course(&app.db.conn, slug, None).await;
    let mut row: courses::ActiveModel = course.into();
    row.price = Set(price);
    row.update(&app.db.conn).await.expect("price the course")
}

/// Makes a coach profile payable, as `account.updated` would.
pub async fn make_payable(app: &TestApp, profile: &coach_profiles::Model) -> coach_profiles::Model {
    let mut row: coach_profiles::ActiveModel = profile.clone().into();
    row.stripe_connect_id = Set(Some(format!("acct_test_{}", profile.id)));
    row.payouts_enabled = Set(true);
    row.update(&app.db.conn).await.expect("payable coach")
}
