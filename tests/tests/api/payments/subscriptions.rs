//! Subscriptions: checkout in `mode=subscription`, the row following Stripe whatever the order
//! of its events, the catalog it opens and closes, invoices, cancelling and the portal.

use entity::enrollments::enrollments;
use entity::enums::{EnrollmentSource, EnrollmentStatus, InvoiceStatus, SubscriptionStatus};
use entity::payments::{invoices, subscription_plans, subscriptions};
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::notifications_of;
use rusing_academy_tests::payments::{Shop, paid_course, shop};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

async fn plan(app: &TestApp) -> subscription_plans::Model {
    let now = service::now();
    subscription_plans::ActiveModel {
        code: Set("monthly".to_owned()),
        name: Set("All-access monthly".to_owned()),
        name_fr: Set("Accès complet mensuel".to_owned()),
        interval: Set(entity::enums::PlanInterval::Month),
        price: Set(3900),
        currency: Set("CAD".to_owned()),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db.conn)
    .await
    .unwrap()
}

async fn subscription_of(app: &TestApp, user_id: i64) -> Option<subscriptions::Model> {
    subscriptions::Entity::find()
        .filter(subscriptions::Column::UserId.eq(user_id))
        .one(&app.db.conn)
        .await
        .unwrap()
}

/// Subscribes the learner: `(payment, Stripe subscription id)`.
async fn subscribed(shop: &Shop, plan_id: i64) -> (i64, String) {
    let app = &shop.app;
    let (payment, session) = shop
        .checked_out(&app.users.learner, "subscription", plan_id)
        .await;
    shop.processed(&shop.stripe.checkout_completed(&session))
        .await;
    let sub = shop.stripe.session(&session).unwrap().subscription.unwrap();
    (payment, sub)
}

#[tokio::test]
async fn a_subscription_checkout_is_recurring_and_opens_the_catalog_until_it_ends() {
    let shop = shop().await;
    let app = &shop.app;
    let plan = plan(app).await;
    let response = send(app.get("/api/v1/subscription-plans")).await;
    let plans = json_ok(&response, StatusCode::OK);
    assert_eq!(plans[0]["code"], "monthly");

    let (payment, sub) = subscribed(&shop, plan.id).await;
    let call = &shop.stripe.requests_to("/v1/checkout/sessions")[0];
    assert_eq!(call.field("mode"), Some("subscription"));
    assert_eq!(
        call.field("line_items[0][price_data][recurring][interval]"),
        Some("month")
    );
    assert_eq!(
        call.field("subscription_data[metadata][userId]"),
        Some(app.users.learner.id.to_string().as_str())
    );
    let row = subscription_of(app, app.users.learner.id).await.unwrap();
    assert_eq!(row.status, SubscriptionStatus::Active);
    assert_eq!(row.stripe_subscription_id, sub);
    assert_eq!(row.plan, "monthly");
    assert_eq!(row.payment_id, Some(payment));
    assert!(row.current_period_end.is_some());
    // A second subscription is refused.
    assert_problem(
        &shop
            .checkout(&app.users.learner, "subscription", plan.id, None)
            .await,
        StatusCode::CONFLICT,
        "already_subscribed",
    );
    // The catalog is open.
    let course = paid_course(app, "included", 4900).await;
    let response = send(app.request_as(
        &app.users.learner,
        Method::POST,
        &format!("/api/v1/courses/{}/enroll", course.id),
    ))
    .await;
    json_ok(&response, StatusCode::CREATED);

    // Renewals bill invoices; a failed one tells the subscriber.
    shop.processed(&shop.stripe.invoice_event(&sub, "invoice.paid"))
        .await;
    shop.processed(&shop.stripe.invoice_event(&sub, "invoice.payment_failed"))
        .await;
    let rows = invoices::Entity::find()
        .filter(invoices::Column::UserId.eq(app.users.learner.id))
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().any(|i| i.status == InvoiceStatus::Paid
        && i.amount == 3900
        && i.number.starts_with("RA-S-")));
    assert!(rows.iter().any(|i| i.status == InvoiceStatus::Open));
    let told = notifications_of(app, app.users.learner.id, "subscription.payment_failed").await;
    assert_eq!(told.len(), 1);

    // Cancel at the period's end: Stripe is told, the row follows.
    let response = send(app.request_as(
        &app.users.learner,
        Method::POST,
        "/api/v1/subscriptions/me/cancel",
    ))
    .await;
    assert_eq!(
        json_ok(&response, StatusCode::OK)["cancelAtPeriodEnd"],
        true
    );
    let call = shop
        .stripe
        .requests_to(&format!("/v1/subscriptions/{sub}"))
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(call.field("cancel_at_period_end"), Some("true"));
    // The portal.
    let response = send(app.request_as(
        &app.users.learner,
        Method::POST,
        "/api/v1/subscriptions/me/portal",
    ))
    .await;
    assert!(
        json_ok(&response, StatusCode::OK)["url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );

    // It ends: the catalog closes.
    shop.processed(&shop.stripe.subscription_event(&sub, "deleted"))
        .await;
    let row = subscription_of(app, app.users.learner.id).await.unwrap();
    assert_eq!(row.status, SubscriptionStatus::Canceled);
    let enrollment = enrollments::Entity::find()
        .filter(enrollments::Column::CourseId.eq(course.id))
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(enrollment.source, EnrollmentSource::Subscription);
    assert_eq!(enrollment.status, EnrollmentStatus::Expired);
    let response =
        send(app.request_as(&app.users.learner, Method::GET, "/api/v1/subscriptions/me")).await;
    assert_eq!(json_ok(&response, StatusCode::OK)["status"], "canceled");
}

#[tokio::test]
async fn subscription_events_in_any_order_leave_stripes_current_state() {
    let shop = shop().await;
    let app = &shop.app;
    let plan = plan(app).await;
    let (_, session) = shop
        .checked_out(&app.users.learner, "subscription", plan.id)
        .await;
    let completed = shop.stripe.checkout_completed(&session);
    let sub = shop.stripe.session(&session).unwrap().subscription.unwrap();
    let created = shop.stripe.subscription_event(&sub, "created");
    shop.stripe.set_subscription_status(&sub, "past_due");
    let updated = shop.stripe.subscription_event(&sub, "updated");
    // Delivered newest first.
    for payload in [&updated, &created, &completed] {
        shop.processed(payload).await;
    }
    let row = subscription_of(app, app.users.learner.id).await.unwrap();
    assert_eq!(row.status, SubscriptionStatus::PastDue);
    // Replays change nothing.
    for payload in [&completed, &created, &updated] {
        assert_eq!(
            json_ok(&shop.deliver(payload).await, StatusCode::OK)["status"],
            "duplicate"
        );
    }
    assert_eq!(
        subscription_of(app, app.users.learner.id).await.unwrap(),
        row
    );
}

#[tokio::test]
async fn without_a_subscription_the_routes_say_so() {
    let shop = shop().await;
    let app = &shop.app;
    for (method, path) in [
        (Method::GET, "/api/v1/subscriptions/me"),
        (Method::POST, "/api/v1/subscriptions/me/cancel"),
        (Method::POST, "/api/v1/subscriptions/me/portal"),
    ] {
        let response = send(app.request_as(&app.users.learner, method, path)).await;
        assert_problem(&response, StatusCode::NOT_FOUND, "no_subscription");
    }
}

#[tokio::test]
async fn deleting_the_account_keeps_the_records_and_ends_the_subscription_at_stripe() {
    let shop = shop().await;
    let app = &shop.app;
    let plan = plan(app).await;
    let (payment, sub) = subscribed(&shop, plan.id).await;
    shop.processed(&shop.stripe.invoice_event(&sub, "invoice.paid"))
        .await;
    let response =
        send(app.request_as(&app.users.learner, Method::DELETE, "/api/v1/users/me")).await;
    assert!(response.status.is_success(), "{}", response.text());
    app.run_due_jobs().await;
    let call = shop
        .stripe
        .requests_to(&format!("/v1/subscriptions/{sub}"))
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("Stripe was told");
    assert_eq!(call.field("cancel_at_period_end"), Some("true"));
    assert!(shop.stripe.subscription(&sub).unwrap().cancel_at_period_end);
    // The records stay.
    assert_eq!(
        shop.payment_row(payment).await.user_id,
        app.users.learner.id
    );
    let kept = invoices::Entity::find()
        .filter(invoices::Column::UserId.eq(app.users.learner.id))
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(kept.len(), 1);
}

#[tokio::test]
async fn an_unpaid_subscription_closes_the_catalog_and_a_cancelled_one_never_runs_again() {
    let shop = shop().await;
    let app = &shop.app;
    let plan = plan(app).await;
    let (_, sub) = subscribed(&shop, plan.id).await;
    let course = paid_course(app, "closed-when-unpaid", 4900).await;
    json_ok(
        &send(app.request_as(
            &app.users.learner,
            Method::POST,
            &format!("/api/v1/courses/{}/enroll", course.id),
        ))
        .await,
        StatusCode::CREATED,
    );
    // Stripe stopped retrying: `unpaid` opens nothing.
    shop.stripe.set_subscription_status(&sub, "unpaid");
    shop.processed(&shop.stripe.subscription_event(&sub, "updated"))
        .await;
    let row = subscription_of(app, app.users.learner.id).await.unwrap();
    assert_eq!(row.status, SubscriptionStatus::Incomplete);
    let enrollment = enrollments::Entity::find()
        .filter(enrollments::Column::CourseId.eq(course.id))
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(enrollment.status, EnrollmentStatus::Expired);
    // Cancelled, then a state fetched earlier says `active`: it stays cancelled.
    shop.processed(&shop.stripe.subscription_event(&sub, "deleted"))
        .await;
    shop.stripe.set_subscription_status(&sub, "active");
    shop.processed(&shop.stripe.subscription_event(&sub, "updated"))
        .await;
    let row = subscription_of(app, app.users.learner.id).await.unwrap();
    assert_eq!(row.status, SubscriptionStatus::Canceled);
}
