//! Paying for coaching: only coaches who can be paid, the payment confirms the session, a
//! destination charge with the tiered fee on the pre-tax price, HST on its own line, the
//! coach's ledger, refunds under the cancellation policy, and unpaid sessions released.

use chrono::Duration;
use entity::chat::chat_rooms;
use entity::coaching::{coach_profiles, sessions};
use entity::enums::{LedgerType, PaymentStatus, RefundStatus, SessionStatus};
use entity::payments::{payout_ledger, refunds};
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::{
    act, book, booked, coach, free_stretch, move_session, session_row,
};
use rusing_academy_tests::payments::{Shop, make_payable, shop};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

async fn ledger(app: &TestApp, coach_id: i64) -> Vec<payout_ledger::Model> {
    payout_ledger::Entity::find()
        .filter(payout_ledger::Column::CoachId.eq(coach_id))
        .order_by_asc(payout_ledger::Column::Id)
        .all(&app.db.conn)
        .await
        .unwrap()
}

/// A payable coach (hourly rate from the fixture) and a single session booked 3 days ahead.
async fn booked_single(shop: &Shop, email: &str) -> (coach_profiles::Model, i64) {
    let app = &shop.app;
    let (_, profile) = coach(app, email, "America/Toronto").await;
    let profile = make_payable(app, &profile).await;
    let at = free_stretch(app, profile.id, Duration::days(3), 2).await;
    let session = booked(app, &app.users.learner, profile.id, "single", &at).await;
    (profile, session["id"].as_i64().unwrap())
}

#[tokio::test]
async fn a_coach_who_cannot_be_paid_is_not_booked_for_a_priced_session() {
    let shop = shop().await;
    let app = &shop.app;
    let (_, profile) = coach(app, "unpaid-coach@example.gc.ca", "America/Toronto").await;
    let at = free_stretch(app, profile.id, Duration::days(3), 2).await;
    let response = book(
        app,
        &app.users.learner,
        &json!({"coachId": profile.id, "type": "single", "scheduledAt": at}),
    )
    .await;
    assert_problem(&response, StatusCode::CONFLICT, "coach_not_payable");
    let count = sessions::Entity::find().count(&app.db.conn).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn the_payment_confirms_the_session_with_hst_apart_and_the_fee_on_the_pre_tax_price() {
    let shop = shop().await;
    let app = &shop.app;
    let (profile, session_id) = booked_single(&shop, "paid-coach@example.gc.ca").await;
    let session = session_row(app, session_id).await;
    assert_eq!(session.status, SessionStatus::Pending);
    let price = session.price;
    let hst = (price * 1300 + 5000) / 10000;
    assert_eq!(session.tax_amount, hst);
    // The coach cannot confirm a session that waits for its payment.
    let coach_user = entity::users::users::Entity::find_by_id(profile.user_id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    let response = act(app, &coach_user, session_id, "confirm", None).await;
    assert_problem(&response, StatusCode::CONFLICT, "payment_pending");

    let response = shop
        .checkout(&app.users.learner, "session", session_id, None)
        .await;
    let body = json_ok(&response, StatusCode::CREATED);
    assert_eq!(body["amount"], price + hst);
    assert_eq!(body["taxAmount"], hst);
    let payment_id = body["paymentId"].as_i64().unwrap();
    let call = shop
        .stripe
        .requests_to("/v1/checkout/sessions")
        .pop()
        .unwrap();
    assert_eq!(
        call.field("line_items[0][price_data][unit_amount]"),
        Some(price.to_string().as_str())
    );
    assert_eq!(
        call.field("line_items[1][price_data][unit_amount]"),
        Some(hst.to_string().as_str())
    );
    assert_eq!(
        call.field("payment_intent_data[transfer_data][destination]"),
        profile_row_account(app, profile.id).await.as_deref()
    );
    // A new coach (0 completed hours): 2600 bps of the pre-tax price, never of the tax.
    let fee = (price * 2600 + 5000) / 10000;
    assert_eq!(
        call.field("payment_intent_data[application_fee_amount]"),
        Some(fee.to_string().as_str())
    );

    let stripe_session = shop.session_of(payment_id);
    shop.processed(&shop.stripe.checkout_completed(&stripe_session.id))
        .await;
    let session = session_row(app, session_id).await;
    assert_eq!(session.status, SessionStatus::Confirmed);
    assert_eq!(session.payment_id, Some(payment_id));
    let room = chat_rooms::Entity::find()
        .filter(chat_rooms::Column::SessionId.eq(session_id))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(room, 1, "the coaching room opened");
    let rows = ledger(app, profile.id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].r#type, LedgerType::SessionPayment);
    assert_eq!(rows[0].gross_amount, price);
    assert_eq!(rows[0].fee_amount, fee);
    assert_eq!(rows[0].net_amount, price - fee);
    // No transfer is ever made: the destination charge moved the coach's share.
    assert!(shop.stripe.requests_to("/v1/transfers").is_empty());

    // The coach's earnings.
    let response =
        send(app.request_as(&coach_user, Method::GET, "/api/v1/coaches/me/earnings")).await;
    let earnings = json_ok(&response, StatusCode::OK);
    assert_eq!(earnings["total"]["gross"], price);
    assert_eq!(earnings["total"]["fees"], fee);
    assert_eq!(earnings["total"]["net"], price - fee);
    assert_eq!(earnings["months"].as_array().unwrap().len(), 1);
}

async fn profile_row_account(app: &TestApp, id: i64) -> Option<String> {
    coach_profiles::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap()
        .stripe_connect_id
}

#[tokio::test]
async fn sle_verified_coaches_pay_1500_bps_and_trials_pay_no_fee() {
    let shop = shop().await;
    let app = &shop.app;
    let (_, profile) = coach(app, "verified@example.gc.ca", "America/Toronto").await;
    let profile = make_payable(app, &profile).await;
    let mut row: coach_profiles::ActiveModel = profile.clone().into();
    row.sle_verified = Set(true);
    row.trial_rate = Set(2000);
    let profile = row.update(&app.db.conn).await.unwrap();
    let at = free_stretch(app, profile.id, Duration::days(3), 3).await;
    let single = booked(app, &app.users.learner, profile.id, "single", &at).await;
    let price = single["price"].as_i64().unwrap();
    json_ok(
        &shop
            .checkout(
                &app.users.learner,
                "session",
                single["id"].as_i64().unwrap(),
                None,
            )
            .await,
        StatusCode::CREATED,
    );
    let call = shop
        .stripe
        .requests_to("/v1/checkout/sessions")
        .pop()
        .unwrap();
    assert_eq!(
        call.field("payment_intent_data[application_fee_amount]"),
        Some(((price * 1500 + 5000) / 10000).to_string().as_str())
    );
    let trial_at =
        (chrono::DateTime::parse_from_rfc3339(&at).unwrap() + Duration::hours(2)).to_rfc3339();
    let trial = booked(app, &app.users.learner, profile.id, "trial", &trial_at).await;
    assert_eq!(trial["price"], 2000);
    json_ok(
        &shop
            .checkout(
                &app.users.learner,
                "session",
                trial["id"].as_i64().unwrap(),
                None,
            )
            .await,
        StatusCode::CREATED,
    );
    let call = shop
        .stripe
        .requests_to("/v1/checkout/sessions")
        .pop()
        .unwrap();
    assert_eq!(
        call.field("payment_intent_data[application_fee_amount]"),
        Some("0")
    );
}

#[tokio::test]
async fn a_learner_cancelling_a_day_ahead_is_refunded_in_full_with_the_fee_reversed() {
    let shop = shop().await;
    let app = &shop.app;
    let (profile, session_id) = booked_single(&shop, "refund-coach@example.gc.ca").await;
    let (payment_id, stripe_session) = shop.paid(&app.users.learner, "session", session_id).await;
    let payment = shop.payment_row(payment_id).await;
    let response = act(
        app,
        &app.users.learner,
        session_id,
        "cancel",
        Some(json!({"reason": "Conflict"})),
    )
    .await;
    json_ok(&response, StatusCode::OK);
    assert_eq!(
        session_row(app, session_id).await.refund_due,
        Some(payment.amount)
    );
    app.run_due_jobs().await;

    let intent = shop
        .stripe
        .session(&stripe_session)
        .unwrap()
        .payment_intent
        .unwrap();
    let made = shop.stripe.refunds_for(&intent);
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].amount, payment.amount);
    assert!(made[0].reverse_transfer && made[0].refund_application_fee);
    let calls = shop.stripe.requests_to("/v1/refunds");
    assert!(
        calls[0]
            .idempotency_key
            .as_deref()
            .unwrap()
            .starts_with("refund:")
    );

    let row = shop.payment_row(payment_id).await;
    assert_eq!(row.status, PaymentStatus::Refunded);
    assert_eq!(row.refunded_amount, payment.amount);
    let rows = refunds::Entity::find().all(&app.db.conn).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, RefundStatus::Succeeded);
    assert_eq!(
        rows[0].stripe_refund_id.as_deref(),
        Some(made[0].id.as_str())
    );
    let entries = ledger(app, profile.id).await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].r#type, LedgerType::Refund);
    assert_eq!(entries[1].gross_amount, -entries[0].gross_amount);
    assert_eq!(entries[1].fee_amount, -entries[0].fee_amount);
    assert_eq!(entries[1].net_amount, -entries[0].net_amount);
    // Stripe's charge.refunded for our own refund adds nothing.
    shop.processed(&shop.stripe.charge_refunded(&stripe_session))
        .await;
    assert_eq!(
        refunds::Entity::find().count(&app.db.conn).await.unwrap(),
        1
    );
    // The job running again refunds nothing more.
    app.run_due_jobs_at(service::now() + Duration::hours(1))
        .await;
    assert_eq!(shop.stripe.refunds().len(), 1);
}

#[tokio::test]
async fn a_late_cancellation_by_the_learner_is_not_refunded() {
    let shop = shop().await;
    let app = &shop.app;
    let (_, session_id) = booked_single(&shop, "late-coach@example.gc.ca").await;
    let (payment_id, _) = shop.paid(&app.users.learner, "session", session_id).await;
    move_session(app, session_id, service::now() + Duration::hours(3)).await;
    json_ok(
        &act(
            app,
            &app.users.learner,
            session_id,
            "cancel",
            Some(json!({})),
        )
        .await,
        StatusCode::OK,
    );
    app.run_due_jobs().await;
    assert!(shop.stripe.refunds().is_empty());
    assert_eq!(
        shop.payment_row(payment_id).await.status,
        PaymentStatus::Succeeded
    );
}

#[tokio::test]
async fn an_expired_checkout_or_an_unpaid_hour_releases_the_session() {
    let shop = shop().await;
    let app = &shop.app;
    let (profile, first) = booked_single(&shop, "release-coach@example.gc.ca").await;
    let (payment, stripe_session) = shop.checked_out(&app.users.learner, "session", first).await;
    shop.processed(&shop.stripe.checkout_expired(&stripe_session))
        .await;
    assert_eq!(
        shop.payment_row(payment).await.status,
        PaymentStatus::Failed
    );
    assert_eq!(
        session_row(app, first).await.status,
        SessionStatus::Cancelled
    );

    // Booked, never taken to checkout: released by the sweep once a checkout's lifetime passed.
    let at = free_stretch(app, profile.id, Duration::days(4), 2).await;
    let second = booked(app, &app.users.learner, profile.id, "single", &at).await["id"]
        .as_i64()
        .unwrap();
    app.run_due_jobs().await;
    assert_eq!(
        session_row(app, second).await.status,
        SessionStatus::Pending
    );
    app.run_due_jobs_at(service::now() + Duration::minutes(70))
        .await;
    let row = session_row(app, second).await;
    assert_eq!(row.status, SessionStatus::Cancelled);
    assert!(row.refund_due.is_none());
}

#[tokio::test]
async fn a_session_paid_after_it_was_cancelled_is_refunded_in_full() {
    let shop = shop().await;
    let app = &shop.app;
    let (_, session_id) = booked_single(&shop, "gone-coach@example.gc.ca").await;
    let (payment_id, stripe_session) = shop
        .checked_out(&app.users.learner, "session", session_id)
        .await;
    json_ok(
        &act(
            app,
            &app.users.learner,
            session_id,
            "cancel",
            Some(json!({})),
        )
        .await,
        StatusCode::OK,
    );
    shop.processed(&shop.stripe.checkout_completed(&stripe_session))
        .await;
    assert_eq!(
        session_row(app, session_id).await.status,
        SessionStatus::Cancelled
    );
    app.run_due_jobs().await;
    let row = shop.payment_row(payment_id).await;
    assert_eq!(row.status, PaymentStatus::Refunded);
    assert_eq!(shop.stripe.refunds().len(), 1);
}
