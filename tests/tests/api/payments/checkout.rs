//! `POST /checkout`: what each purchase sends to Stripe, what is refused, coupons and their
//! limits under concurrency, `Idempotency-Key`, and the routes without Stripe.

use entity::enrollments::enrollments;
use entity::enums::{EnrollmentStatus, PaymentStatus, UserRole};
use entity::payments::{coupon_redemptions, coupons, payments};
use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::db_user;
use rusing_academy_tests::payments::{paid_course, shop};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

async fn payment_count(app: &TestApp) -> u64 {
    payments::Entity::find().count(&app.db.conn).await.unwrap()
}

async fn coupon(app: &TestApp, body: serde_json::Value) -> coupons::Model {
    let response = send(
        app.request_as(&app.users.admin, Method::POST, "/api/v1/coupons")
            .json(&body),
    )
    .await;
    let id = json_ok(&response, StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    coupons::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn without_stripe_the_payment_routes_answer_503_and_the_rest_works() {
    let app = spawn_app().await;
    let course = paid_course(&app, "paid-no-stripe", 4900).await;
    let response = send(
        app.request_as(&app.users.learner, Method::POST, "/api/v1/checkout")
            .json(&json!({"purpose": "course", "referenceId": course.id})),
    )
    .await;
    assert_problem(
        &response,
        StatusCode::SERVICE_UNAVAILABLE,
        "payments_unavailable",
    );
    let response = send(
        app.post("/api/v1/webhooks/stripe")
            .header("Stripe-Signature", "t=1,v1=00")
            .body("{}"),
    )
    .await;
    assert_problem(
        &response,
        StatusCode::SERVICE_UNAVAILABLE,
        "payments_unavailable",
    );
    assert_eq!(payment_count(&app).await, 0);
    // Reading is unaffected.
    let response = send(app.get("/api/v1/subscription-plans")).await;
    json_ok(&response, StatusCode::OK);
    let response = send(app.request_as(&app.users.learner, Method::GET, "/api/v1/payments")).await;
    assert_eq!(json_ok(&response, StatusCode::OK)["items"], json!([]));
}

#[tokio::test]
async fn a_course_checkout_creates_a_pending_payment_and_a_checkout_session_and_grants_nothing() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "paid-course", 4900).await;
    let response = shop
        .checkout(&app.users.learner, "course", course.id, None)
        .await;
    let body = json_ok(&response, StatusCode::CREATED);
    assert_eq!(body["amount"], 4900);
    assert_eq!(body["taxAmount"], 0);
    assert_eq!(body["currency"], "CAD");
    let payment_id = body["paymentId"].as_i64().unwrap();
    let session = shop.session_of(payment_id);
    assert_eq!(body["url"], session.url());

    // What Stripe was asked: one line, tax included, our ids in the metadata, our key.
    let calls = shop.stripe.requests_to("/v1/checkout/sessions");
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(
        call.idempotency_key.as_deref(),
        Some(format!("checkout:{payment_id}").as_str())
    );
    assert_eq!(call.field("mode"), Some("payment"));
    assert_eq!(
        call.field("line_items[0][price_data][unit_amount]"),
        Some("4900")
    );
    assert_eq!(
        call.field("line_items[0][price_data][currency]"),
        Some("cad")
    );
    assert!(
        call.field("line_items[1][price_data][unit_amount]")
            .is_none()
    );
    assert_eq!(
        call.field("client_reference_id"),
        Some(payment_id.to_string().as_str())
    );
    assert_eq!(
        call.field("metadata[paymentId]"),
        Some(payment_id.to_string().as_str())
    );
    assert_eq!(
        call.field("payment_intent_data[metadata][paymentId]"),
        Some(payment_id.to_string().as_str())
    );
    assert!(!call.has("payment_intent_data[transfer_data]"));
    assert_eq!(
        call.field("customer_email"),
        Some(app.users.learner.email.as_str())
    );

    let row = shop.payment_row(payment_id).await;
    assert_eq!(row.status, PaymentStatus::Pending);
    assert_eq!(
        row.stripe_checkout_session_id.as_deref(),
        Some(session.id.as_str())
    );
    assert!(row.paid_at.is_none());
    // Nothing is granted before Stripe's word.
    let enrolled = enrollments::Entity::find()
        .filter(enrollments::Column::UserId.eq(app.users.learner.id))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(enrolled, 0);
    // The caller sees it, pending, with its page.
    let response = send(app.request_as(&app.users.learner, Method::GET, "/api/v1/payments")).await;
    let page = json_ok(&response, StatusCode::OK);
    assert_eq!(page["items"][0]["status"], "pending");
    assert_eq!(page["items"][0]["checkoutUrl"], session.url());
    // Another user does not.
    let response = send(app.request_as(
        &app.users.coach,
        Method::GET,
        &format!("/api/v1/payments/{payment_id}"),
    ))
    .await;
    assert_problem(&response, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn what_cannot_be_bought_is_refused_and_nothing_is_recorded() {
    let shop = shop().await;
    let app = &shop.app;
    let free = rusing_academy_tests::fixtures::db_course(&app.db.conn, "free-one", None).await;
    let owned = paid_course(app, "owned-one", 2500).await;
    rusing_academy_tests::fixtures::db_enrollment(&app.db.conn, app.users.learner.id, owned.id)
        .await;
    let learner = &app.users.learner;
    assert_problem(
        &shop.checkout(learner, "course", free.id, None).await,
        StatusCode::CONFLICT,
        "not_purchasable",
    );
    assert_problem(
        &shop.checkout(learner, "course", owned.id, None).await,
        StatusCode::CONFLICT,
        "already_owned",
    );
    for purpose in ["course", "path", "session", "plan", "subscription"] {
        assert_problem(
            &shop.checkout(learner, purpose, 987_654, None).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
    }
    let response = send(
        app.request_as(learner, Method::POST, "/api/v1/checkout")
            .json(&json!({"purpose": "lesson", "referenceId": 1})),
    )
    .await;
    assert_problem(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_problem(
        &shop
            .checkout(learner, "course", owned.id, Some("NO SUCH"))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(payment_count(app).await, 0);
    assert!(shop.stripe.requests_to("/v1/checkout/sessions").is_empty());
}

#[tokio::test]
async fn a_stripe_failure_answers_503_and_the_payment_is_failed() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "stripe-down", 4900).await;
    shop.stripe
        .fail_next(500, "api_error", "Something went wrong");
    let response = shop
        .checkout(&app.users.learner, "course", course.id, None)
        .await;
    assert_problem(
        &response,
        StatusCode::SERVICE_UNAVAILABLE,
        "dependency_unavailable",
    );
    let rows = payments::Entity::find().all(&app.db.conn).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, PaymentStatus::Failed);
}

#[tokio::test]
async fn ten_checkouts_with_one_idempotency_key_make_one_stripe_call_and_one_row() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "idempotent-course", 4900).await;
    let requests = (0..10).map(|_| {
        send(
            app.request_as(&app.users.learner, Method::POST, "/api/v1/checkout")
                .header("Idempotency-Key", "buy-course-once")
                .json(&json!({"purpose": "course", "referenceId": course.id})),
        )
    });
    let responses = join_all(requests).await;
    let mut urls = std::collections::BTreeSet::new();
    for response in &responses {
        match response.status {
            StatusCode::CREATED => {
                urls.insert(response.json()["url"].as_str().unwrap().to_owned());
            }
            _ => {
                assert_problem(
                    response,
                    StatusCode::CONFLICT,
                    "idempotency_key_in_progress",
                );
            }
        }
    }
    assert_eq!(urls.len(), 1, "every success is the same checkout");
    assert_eq!(payment_count(app).await, 1);
    assert_eq!(shop.stripe.requests_to("/v1/checkout/sessions").len(), 1);
    // A later retry replays it.
    let retry = send(
        app.request_as(&app.users.learner, Method::POST, "/api/v1/checkout")
            .header("Idempotency-Key", "buy-course-once")
            .json(&json!({"purpose": "course", "referenceId": course.id})),
    )
    .await;
    let body = json_ok(&retry, StatusCode::CREATED);
    assert!(urls.contains(body["url"].as_str().unwrap()));
    assert_eq!(shop.stripe.requests_to("/v1/checkout/sessions").len(), 1);
}

#[tokio::test]
async fn a_coupon_discounts_the_checkout_and_is_redeemed_only_when_paid() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "coupon-course", 4900).await;
    let coupon = coupon(
        app,
        json!({"code": "welcome10", "kind": "percentage", "value": 10, "appliesTo": "course"}),
    )
    .await;
    assert_eq!(coupon.code, "WELCOME10");
    let response = shop
        .checkout(&app.users.learner, "course", course.id, Some("Welcome10"))
        .await;
    let body = json_ok(&response, StatusCode::CREATED);
    assert_eq!(body["amount"], 4410);
    assert_eq!(body["discountAmount"], 490);
    let payment_id = body["paymentId"].as_i64().unwrap();
    let session = shop.session_of(payment_id);
    assert_eq!(session.amount_total(), 4410);
    let redeemed = || async {
        coupon_redemptions::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap()
    };
    assert_eq!(redeemed().await, 0, "not redeemed at checkout");
    shop.processed(&shop.stripe.checkout_completed(&session.id))
        .await;
    assert_eq!(redeemed().await, 1);
    let coupon = coupons::Entity::find_by_id(coupon.id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(coupon.used_count, 1);
    // It applies to courses only.
    let plan =
        rusing_academy_tests::coaching::plan_purchase(app, app.users.learner.id, 1, 30).await;
    assert_problem(
        &shop
            .checkout(&app.users.learner, "plan", plan.plan_id, Some("WELCOME10"))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
}

#[tokio::test]
async fn coupon_limits_hold_under_concurrency_counting_open_checkouts() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "limited-course", 4900).await;
    coupon(
        app,
        json!({"code": "THREE", "kind": "fixed_amount", "value": 1000, "appliesTo": "all", "maxUses": 3, "maxUsesPerUser": 1}),
    )
    .await;
    let mut buyers = Vec::new();
    for i in 0..10 {
        buyers.push(
            db_user(
                &app.db.conn,
                &format!("buyer{i}@example.gc.ca"),
                UserRole::Learner,
            )
            .await,
        );
    }
    let responses = join_all(
        buyers
            .iter()
            .map(|buyer| shop.checkout(buyer, "course", course.id, Some("THREE"))),
    )
    .await;
    let ok = responses
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    assert_eq!(
        ok,
        3,
        "{:?}",
        responses.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for response in responses.iter().filter(|r| r.status != StatusCode::CREATED) {
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(problem["errors"][0]["code"], "coupon_used_up", "{problem}");
    }
    let with_coupon = payments::Entity::find()
        .filter(payments::Column::CouponId.is_not_null())
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(with_coupon, 3);
    let winner = buyers
        .iter()
        .zip(&responses)
        .find(|(_, r)| r.status == StatusCode::CREATED)
        .map(|(b, _)| b)
        .unwrap();
    // Asking again for the same purchase answers the open checkout (no second reservation)…
    let again = shop
        .checkout(winner, "course", course.id, Some("THREE"))
        .await;
    let reused = json_ok(&again, StatusCode::OK);
    assert_eq!(payment_count(app).await, 3);
    // …and another purchase with the coupon is over the buyer's limit of one.
    let other = paid_course(app, "limited-other", 2500).await;
    let again = shop
        .checkout(winner, "course", other.id, Some("THREE"))
        .await;
    let problem = assert_problem(
        &again,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(problem["errors"][0]["code"], "coupon_used_up");
    // An expired checkout gives its use back.
    let first = payments::Entity::find()
        .filter(payments::Column::UserId.eq(winner.id))
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reused["paymentId"], first.id);
    let session = first.stripe_checkout_session_id.clone().unwrap();
    shop.processed(&shop.stripe.checkout_expired(&session))
        .await;
    assert_eq!(
        shop.payment_row(first.id).await.status,
        PaymentStatus::Failed
    );
    let retry = shop
        .checkout(winner, "course", course.id, Some("THREE"))
        .await;
    json_ok(&retry, StatusCode::CREATED);
}

#[tokio::test]
async fn a_paid_course_answers_402_with_the_checkout_link_and_a_subscription_opens_it() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "link-course", 4900).await;
    let response = send(app.request_as(
        &app.users.learner,
        Method::POST,
        &format!("/api/v1/courses/{}/enroll", course.id),
    ))
    .await;
    let problem = assert_problem(&response, StatusCode::PAYMENT_REQUIRED, "payment_required");
    assert_eq!(problem["links"]["checkout"]["href"], "/api/v1/checkout");
    assert_eq!(problem["links"]["checkout"]["method"], "POST");
    assert_eq!(
        problem["links"]["checkout"]["body"],
        json!({"purpose": "course", "referenceId": course.id})
    );
    // Following the link works.
    let link = &problem["links"]["checkout"];
    let response = send(
        app.request_as(
            &app.users.learner,
            Method::POST,
            link["href"].as_str().unwrap(),
        )
        .json(&link["body"]),
    )
    .await;
    json_ok(&response, StatusCode::CREATED);
    // With a running subscription the same request enrolls (source `subscription`).
    let now = service::now();
    entity::payments::subscriptions::ActiveModel {
        user_id: Set(app.users.learner.id),
        stripe_subscription_id: Set("sub_test_running".to_owned()),
        plan: Set("monthly".to_owned()),
        status: Set(entity::enums::SubscriptionStatus::Active),
        cancel_at_period_end: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db.conn)
    .await
    .unwrap();
    let response = send(app.request_as(
        &app.users.learner,
        Method::POST,
        &format!("/api/v1/courses/{}/enroll", course.id),
    ))
    .await;
    let body = json_ok(&response, StatusCode::CREATED);
    assert_eq!(body["source"], "subscription");
    let row = enrollments::Entity::find()
        .filter(enrollments::Column::UserId.eq(app.users.learner.id))
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, EnrollmentStatus::Active);
}

#[tokio::test]
async fn a_per_user_limit_holds_when_one_buyer_checks_out_several_things_at_once() {
    let shop = shop().await;
    let app = &shop.app;
    coupon(
        app,
        json!({"code": "ONEEACH", "kind": "percentage", "value": 20, "appliesTo": "course", "maxUsesPerUser": 1}),
    )
    .await;
    let mut courses = Vec::new();
    for i in 0..8 {
        courses.push(paid_course(app, &format!("each-{i}"), 3000).await);
    }
    let responses = join_all(
        courses
            .iter()
            .map(|c| shop.checkout(&app.users.learner, "course", c.id, Some("ONEEACH"))),
    )
    .await;
    let ok = responses
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    assert_eq!(ok, 1);
    for refused in responses.iter().filter(|r| r.status != StatusCode::CREATED) {
        let problem = assert_problem(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(problem["errors"][0]["code"], "coupon_used_up");
    }
    assert_eq!(payment_count(app).await, 1);
}
