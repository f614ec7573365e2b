//! `POST /webhooks/stripe`: the signature before anything, the event ledger (once, duplicates,
//! a crash retried after the lease), and handlers that converge whatever the order.

use chrono::Duration;
use entity::enrollments::enrollments;
use entity::enums::{
    EnrollmentStatus, PaymentStatus, RefundStatus, WebhookProvider, WebhookStatus,
};
use entity::payments::{invoices, refunds, webhook_events};
use reqwest::StatusCode;
use rusing_academy_tests::app::*;
use rusing_academy_tests::payments::{Shop, paid_course, shop, shop_with};
use rusing_academy_tests::stripe::{WEBHOOK_SECRET, sign_with, v1, with_event_id};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::Value;

async fn events(app: &TestApp) -> Vec<webhook_events::Model> {
    webhook_events::Entity::find()
        .filter(webhook_events::Column::Provider.eq(WebhookProvider::Stripe))
        .all(&app.db.conn)
        .await
        .unwrap()
}

fn event_id(payload: &str) -> String {
    serde_json::from_str::<Value>(payload).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn only_correctly_signed_fresh_events_are_read() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "signed", 4900).await;
    let (payment, session) = shop
        .checked_out(&app.users.learner, "course", course.id)
        .await;
    let payload = shop.stripe.checkout_completed(&session);
    let now = service::now().timestamp();
    let bad = [
        sign_with("whsec_someone_else", &payload, now),
        sign_with(WEBHOOK_SECRET, &payload, now - 301),
        sign_with(WEBHOOK_SECRET, &format!("{payload} "), now),
        "t=abc,v1=00".to_owned(),
        format!("t={now}"),
    ];
    for signature in &bad {
        let response = shop.deliver_signed(&payload, signature).await;
        assert_problem(
            &response,
            StatusCode::BAD_REQUEST,
            "webhook_signature_invalid",
        );
    }
    let response = send(app.post("/api/v1/webhooks/stripe").body(payload.clone())).await;
    assert_problem(
        &response,
        StatusCode::BAD_REQUEST,
        "webhook_signature_invalid",
    );
    // Nothing was recorded or granted.
    assert!(events(app).await.is_empty());
    assert_eq!(
        shop.payment_row(payment).await.status,
        PaymentStatus::Pending
    );
    // A signed body that is not an event.
    let response = shop.deliver("{}").await;
    assert_problem(
        &response,
        StatusCode::BAD_REQUEST,
        "webhook_payload_invalid",
    );
    // Two v1 signatures (a rotation on Stripe's side): one matching is enough.
    let header = format!(
        "t={now},v1={},v1={}",
        v1("whsec_old", &payload, now),
        v1(WEBHOOK_SECRET, &payload, now)
    );
    let response = shop.deliver_signed(&payload, &header).await;
    assert_eq!(json_ok(&response, StatusCode::OK)["status"], "processed");
    assert_eq!(
        shop.payment_row(payment).await.status,
        PaymentStatus::Succeeded
    );
}

#[tokio::test]
async fn during_a_secret_rotation_both_endpoint_secrets_are_accepted() {
    let shop = shop_with(&[("STRIPE_WEBHOOK_SECRET", "whsec_new_one, whsec_test_fake")]).await;
    let app = &shop.app;
    let course = paid_course(app, "rotation", 4900).await;
    let (_, session) = shop
        .checked_out(&app.users.learner, "course", course.id)
        .await;
    let payload = shop.stripe.checkout_completed(&session);
    let now = service::now().timestamp();
    let response = shop
        .deliver_signed(&payload, &sign_with("whsec_new_one", &payload, now))
        .await;
    json_ok(&response, StatusCode::OK);
    let other = with_event_id(&payload, "evt_other_delivery");
    let response = shop
        .deliver_signed(&other, &sign_with(WEBHOOK_SECRET, &other, now))
        .await;
    json_ok(&response, StatusCode::OK);
}

#[tokio::test]
async fn a_duplicate_answers_200_and_changes_nothing() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "duplicate", 4900).await;
    let (payment, session) = shop
        .checked_out(&app.users.learner, "course", course.id)
        .await;
    let payload = shop.stripe.checkout_completed(&session);
    shop.processed(&payload).await;
    let before = shop.payment_row(payment).await;
    for _ in 0..3 {
        let response = shop.deliver(&payload).await;
        assert_eq!(json_ok(&response, StatusCode::OK)["status"], "duplicate");
    }
    assert_eq!(shop.payment_row(payment).await, before);
    assert_eq!(
        invoices::Entity::find().count(&app.db.conn).await.unwrap(),
        1
    );
    let recorded = events(app).await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].status, WebhookStatus::Processed);
    assert_eq!(recorded[0].attempts, 1);
    assert_eq!(recorded[0].external_id, event_id(&payload));
}

#[tokio::test]
async fn an_event_whose_delivery_crashed_is_processed_by_the_retry_after_the_lease() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "crashed", 4900).await;
    let (payment, session) = shop
        .checked_out(&app.users.learner, "course", course.id)
        .await;
    let payload = shop.stripe.checkout_completed(&session);
    // A delivery that recorded the event, took the lease and died mid-handler (its effects rolled
    // back with it): the row is `processing` with a lease that has ended.
    let now = service::now();
    webhook_events::ActiveModel {
        provider: Set(WebhookProvider::Stripe),
        external_id: Set(event_id(&payload)),
        r#type: Set("checkout.session.completed".to_owned()),
        status: Set(WebhookStatus::Processing),
        attempts: Set(1),
        locked_until: Set(Some(now - Duration::seconds(1))),
        payload: Set(serde_json::from_str(&payload).unwrap()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db.conn)
    .await
    .unwrap();
    assert_eq!(
        shop.payment_row(payment).await.status,
        PaymentStatus::Pending
    );
    let response = shop.deliver(&payload).await;
    assert_eq!(json_ok(&response, StatusCode::OK)["status"], "processed");
    let row = shop.payment_row(payment).await;
    assert_eq!(row.status, PaymentStatus::Succeeded);
    let recorded = events(app).await;
    assert_eq!(recorded[0].attempts, 2);
    assert_eq!(recorded[0].status, WebhookStatus::Processed);
    assert!(recorded[0].locked_until.is_none());
}

/// The rows a course purchase leaves, to compare runs.
async fn outcome(
    shop: &Shop,
    payment: i64,
) -> (
    PaymentStatus,
    i64,
    Vec<(i64, RefundStatus)>,
    Option<EnrollmentStatus>,
    u64,
) {
    let app = &shop.app;
    let row = shop.payment_row(payment).await;
    let refunds: Vec<(i64, RefundStatus)> = refunds::Entity::find()
        .filter(refunds::Column::PaymentId.eq(payment))
        .order_by_asc(refunds::Column::Id)
        .all(&app.db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.amount, r.status))
        .collect();
    let enrollment = enrollments::Entity::find()
        .filter(enrollments::Column::UserId.eq(row.user_id))
        .one(&app.db.conn)
        .await
        .unwrap()
        .map(|e| e.status);
    let invoices = invoices::Entity::find().count(&app.db.conn).await.unwrap();
    (
        row.status,
        row.refunded_amount,
        refunds,
        enrollment,
        invoices,
    )
}

#[tokio::test]
async fn a_refund_that_arrives_before_the_completion_converges_to_the_same_rows() {
    let mut outcomes = Vec::new();
    for reverse in [false, true] {
        let shop = shop().await;
        let app = &shop.app;
        let course = paid_course(app, "order", 4900).await;
        let (payment, session) = shop
            .checked_out(&app.users.learner, "course", course.id)
            .await;
        let completed = shop.stripe.checkout_completed(&session);
        // Refunded in full from Stripe's dashboard.
        let refunded = shop.stripe.charge_refunded_amount(&session, 4900);
        let mut order = vec![completed, refunded];
        if reverse {
            order.reverse();
        }
        for payload in &order {
            shop.processed(payload).await;
        }
        // Replayed three times, in both orders: duplicates, nothing moves.
        for _ in 0..3 {
            for payload in order.iter().chain(order.iter().rev()) {
                json_ok(&shop.deliver(payload).await, StatusCode::OK);
            }
        }
        let result = outcome(&shop, payment).await;
        assert_eq!(result.0, PaymentStatus::Refunded);
        assert_eq!(result.1, 4900);
        assert_eq!(result.2, vec![(4900, RefundStatus::Succeeded)]);
        assert_eq!(
            result.3,
            Some(EnrollmentStatus::Refunded),
            "reverse = {reverse}"
        );
        outcomes.push(result);
    }
    assert_eq!(outcomes[0], outcomes[1]);
}

#[tokio::test]
async fn a_declined_attempt_fails_the_payment_until_a_later_success_and_an_expiry_fails_it() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "declined", 4900).await;
    let (payment, session) = shop
        .checked_out(&app.users.learner, "course", course.id)
        .await;
    shop.processed(&shop.stripe.payment_failed(&session)).await;
    let row = shop.payment_row(payment).await;
    assert_eq!(row.status, PaymentStatus::Failed);
    assert_eq!(
        row.failure_message.as_deref(),
        Some("Your card was declined.")
    );
    // The buyer tries another card on the same page: paid.
    shop.processed(&shop.stripe.checkout_completed(&session))
        .await;
    let row = shop.payment_row(payment).await;
    assert_eq!(row.status, PaymentStatus::Succeeded);
    assert!(row.failure_message.is_none());
    // An expiry afterwards (out of order) changes nothing.
    shop.processed(&shop.stripe.checkout_expired(&session))
        .await;
    assert_eq!(
        shop.payment_row(payment).await.status,
        PaymentStatus::Succeeded
    );

    let other = paid_course(app, "expired", 2500).await;
    let (payment, session) = shop
        .checked_out(&app.users.learner, "course", other.id)
        .await;
    shop.processed(&shop.stripe.checkout_expired(&session))
        .await;
    let row = shop.payment_row(payment).await;
    assert_eq!(row.status, PaymentStatus::Failed);
    let enrolled = enrollments::Entity::find()
        .filter(enrollments::Column::CourseId.eq(other.id))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(enrolled, 0);
}

#[tokio::test]
async fn an_event_for_an_unknown_payment_is_recorded_with_a_note() {
    let shop = shop().await;
    let app = &shop.app;
    let payload = shop.stripe.account_updated("acct_nobody", true);
    shop.processed(&payload).await;
    let recorded = events(app).await;
    assert_eq!(recorded[0].status, WebhookStatus::Processed);
    assert!(
        recorded[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("acct_nobody")
    );
}

#[tokio::test]
async fn a_second_payment_for_the_same_course_is_refunded_and_the_first_keeps_the_course() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "twice", 4900).await;
    let make_coupon = send(
        app.request_as(&app.users.admin, reqwest::Method::POST, "/api/v1/coupons")
            .json(&serde_json::json!({"code": "FIVE", "kind": "fixed_amount", "value": 500, "appliesTo": "all"})),
    )
    .await;
    json_ok(&make_coupon, StatusCode::CREATED);
    // Two open checkouts of one course (another coupon makes another purchase), both paid.
    let (first, first_session) = shop
        .checked_out(&app.users.learner, "course", course.id)
        .await;
    let second = json_ok(
        &shop
            .checkout(&app.users.learner, "course", course.id, Some("FIVE"))
            .await,
        StatusCode::CREATED,
    )["paymentId"]
        .as_i64()
        .unwrap();
    shop.processed(&shop.stripe.checkout_completed(&first_session))
        .await;
    shop.processed(&shop.stripe.checkout_completed(&shop.session_of(second).id))
        .await;
    app.run_due_jobs().await;
    assert_eq!(
        shop.payment_row(first).await.status,
        PaymentStatus::Succeeded
    );
    assert_eq!(
        shop.payment_row(second).await.status,
        PaymentStatus::Refunded
    );
    let enrollment = enrollments::Entity::find()
        .filter(enrollments::Column::CourseId.eq(course.id))
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(enrollment.status, EnrollmentStatus::Active);
}

#[tokio::test]
async fn a_declined_attempt_keeps_the_coupon_reserved_until_the_checkout_expires() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "reserved", 4900).await;
    json_ok(
        &send(
            app.request_as(&app.users.admin, reqwest::Method::POST, "/api/v1/coupons")
                .json(&serde_json::json!({"code": "LAST", "kind": "percentage", "value": 50, "appliesTo": "all", "maxUses": 1})),
        )
        .await,
        StatusCode::CREATED,
    );
    let first = json_ok(
        &shop
            .checkout(&app.users.learner, "course", course.id, Some("LAST"))
            .await,
        StatusCode::CREATED,
    )["paymentId"]
        .as_i64()
        .unwrap();
    let session = shop.session_of(first).id;
    shop.processed(&shop.stripe.payment_failed(&session)).await;
    // The page is still open: the buyer may pay with another card, so the use stays reserved.
    let other = shop
        .checkout(&app.users.coach, "course", course.id, Some("LAST"))
        .await;
    let problem = assert_problem(
        &other,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(problem["errors"][0]["code"], "coupon_used_up");
    shop.processed(&shop.stripe.checkout_expired(&session))
        .await;
    let other = shop
        .checkout(&app.users.coach, "course", course.id, Some("LAST"))
        .await;
    json_ok(&other, StatusCode::CREATED);
}

/// A published path priced 39 900 cents over `courses`.
async fn path_over(app: &TestApp, slug: &str, courses: &[i64]) -> i64 {
    use entity::courses::{learning_path_courses, learning_paths};
    let now = service::now();
    let path = learning_paths::ActiveModel {
        title: Set(format!("Path {slug}")),
        title_fr: Set(format!("Parcours {slug}")),
        slug: Set(slug.to_owned()),
        level: Set("B".into()),
        price: Set(39_900),
        currency: Set("CAD".into()),
        status: Set(entity::enums::CourseStatus::Published),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db.conn)
    .await
    .unwrap();
    for (order, course) in (1..).zip(courses) {
        learning_path_courses::ActiveModel {
            path_id: Set(path.id),
            course_id: Set(*course),
            order: Set(order),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db.conn)
        .await
        .unwrap();
    }
    path.id
}

#[tokio::test]
async fn a_refunded_path_takes_back_its_courses_but_not_those_another_paid_path_holds() {
    let shop = shop().await;
    let app = &shop.app;
    let shared = paid_course(app, "shared", 4900).await;
    let only_a = paid_course(app, "only-a", 4900).await;
    let a = path_over(app, "path-a", &[shared.id, only_a.id]).await;
    let b = path_over(app, "path-b", &[shared.id]).await;
    let learner = &app.users.learner;
    let (pa, _) = shop.paid(learner, "path", a).await;
    shop.paid(learner, "path", b).await;
    // Refund path A in full: its own course goes, the course path B also pays for stays.
    let response = send(
        app.request_as(
            &app.users.admin,
            reqwest::Method::POST,
            &format!("/api/v1/payments/{pa}/refunds"),
        )
        .json(&serde_json::json!({})),
    )
    .await;
    json_ok(&response, StatusCode::ACCEPTED);
    app.run_due_jobs().await;
    let status_of = |course: i64| async move {
        enrollments::Entity::find()
            .filter(enrollments::Column::UserId.eq(learner.id))
            .filter(enrollments::Column::CourseId.eq(course))
            .one(&app.db.conn)
            .await
            .unwrap()
            .unwrap()
            .status
    };
    assert_eq!(status_of(only_a.id).await, EnrollmentStatus::Refunded);
    assert_eq!(status_of(shared.id).await, EnrollmentStatus::Active);
}
