//! Web Push: subscriptions, encrypted delivery with VAPID to a local push service, quiet hours,
//! retries, and subscriptions the push service says are gone.

use chrono::{Duration, Utc};
use entity::notifications::push_subscriptions;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::courses::course_with_lessons;
use rusing_academy_tests::enrollments::enroll;
use rusing_academy_tests::push::PushService;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;

async fn subscribe(app: &TestApp, push: &PushService) -> serde_json::Value {
    let response = send(
        app.request_as(
            &app.users.learner,
            Method::POST,
            "/api/v1/push-subscriptions",
        )
        .json(&push.subscription_json()),
    )
    .await;
    json_ok(&response, StatusCode::CREATED)
}

#[tokio::test]
async fn a_push_reaches_the_push_service_encrypted_and_signed() {
    let app = spawn_app().await;
    let push = PushService::start().await;
    let key = json_ok(
        &send(app.get("/api/v1/push/vapid-public-key")).await,
        StatusCode::OK,
    );
    let subscription = subscribe(&app, &push).await;
    assert_eq!(subscription["active"], true);
    assert!(
        subscription.get("keys").is_none()
            && !subscription
                .to_string()
                .contains(&push.subscription.auth_base64url())
    );
    let again = send(
        app.request_as(
            &app.users.learner,
            Method::POST,
            "/api/v1/push-subscriptions",
        )
        .json(&push.subscription_json()),
    )
    .await;
    assert_eq!(json_ok(&again, StatusCode::OK)["id"], subscription["id"]);
    let (course, _) = course_with_lessons(&app, "push-course", 1, 0).await;

    assert_eq!(
        enroll(&app, &app.users.learner, course.id).await.status,
        StatusCode::CREATED
    );
    app.run_due_jobs().await;

    let received = push.received();
    assert_eq!(received.len(), 1, "one push");
    let (payload, claims) = push.open(&received[0]);
    assert_eq!(payload["title"], "Enrollment confirmed");
    assert_eq!(payload["type"], "enrollment.granted");
    assert_eq!(payload["data"]["details"]["courseId"], course.id);
    assert_eq!(claims.aud, push.base);
    assert_eq!(claims.public_key, key["publicKey"].as_str().unwrap());
    assert!(claims.sub.starts_with("mailto:"));
    let stored = push_subscriptions::Entity::find()
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.last_success_at.is_some() && stored.active);
}

#[tokio::test]
async fn failures_are_retried_and_a_gone_subscription_is_deactivated() {
    let app = spawn_app().await;
    let push = PushService::start().await;
    subscribe(&app, &push).await;
    let (first, _) = course_with_lessons(&app, "retry-course", 1, 0).await;
    let (second, _) = course_with_lessons(&app, "gone-course", 1, 0).await;

    push.answer_with(&[500]);
    enroll(&app, &app.users.learner, first.id).await;
    app.run_due_jobs().await;
    assert_eq!(push.received().len(), 1);
    let failing = push_subscriptions::Entity::find()
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((failing.failure_count, failing.active), (1, true));
    app.run_due_jobs_at(Utc::now() + Duration::hours(1)).await;
    assert_eq!(push.received().len(), 2, "retried once, delivered");
    push.open(&push.received()[1]);

    push.answer_with(&[410]);
    enroll(&app, &app.users.learner, second.id).await;
    app.run_due_jobs().await;
    let gone = push_subscriptions::Entity::find()
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert!(!gone.active);
    let (third, _) = course_with_lessons(&app, "after-gone", 1, 0).await;
    enroll(&app, &app.users.learner, third.id).await;
    app.run_due_jobs_at(Utc::now() + Duration::hours(1)).await;
    assert_eq!(
        push.received().len(),
        3,
        "nothing more to a deactivated subscription"
    );
}

#[tokio::test]
async fn quiet_hours_hold_a_push_until_they_end_but_not_the_in_app_notification() {
    let app = spawn_app().await;
    let push = PushService::start().await;
    subscribe(&app, &push).await;
    let now = Utc::now();
    let hhmm = |t: chrono::DateTime<Utc>| t.format("%H:%M").to_string();
    let quiet = send(
        app.request_as(
            &app.users.learner,
            Method::PUT,
            "/api/v1/users/me/notification-preferences",
        )
        .json(&json!({
            "emailEnabled": true,
            "pushEnabled": true,
            "quietHoursStart": hhmm(now - Duration::hours(1)),
            "quietHoursEnd": hhmm(now + Duration::hours(1)),
            "timezone": "UTC"
        })),
    )
    .await;
    assert_eq!(quiet.status, StatusCode::OK, "{}", quiet.text());
    let (course, _) = course_with_lessons(&app, "quiet-course", 1, 0).await;

    enroll(&app, &app.users.learner, course.id).await;
    app.run_due_jobs().await;
    assert!(push.received().is_empty(), "held during quiet hours");
    let listed = json_ok(
        &send(app.request_as(&app.users.learner, Method::GET, "/api/v1/notifications")).await,
        StatusCode::OK,
    );
    assert_eq!(
        listed["items"].as_array().unwrap().len(),
        1,
        "in-app does not wait"
    );
    app.run_due_jobs_at(now + Duration::minutes(30)).await;
    assert!(push.received().is_empty(), "still quiet");

    app.run_due_jobs_at(now + Duration::minutes(61)).await;
    assert_eq!(push.received().len(), 1, "sent when the quiet hours end");
    push.open(&push.received()[0]);
}

#[tokio::test]
async fn subscriptions_need_a_push_service_url_and_valid_keys() {
    let app = spawn_app().await;
    let push = PushService::start().await;
    let learner = app.users.learner.clone();
    let mut bad_keys = push.subscription_json();
    bad_keys["keys"]["p256dh"] = json!("bm90LWEta2V5");
    let mut bad_url = push.subscription_json();
    bad_url["endpoint"] = json!("ftp://push.example/1");
    for (body, code) in [
        (bad_keys, "invalid_push_keys"),
        (bad_url, "invalid_push_endpoint"),
    ] {
        let refused = send(
            app.request_as(&learner, Method::POST, "/api/v1/push-subscriptions")
                .json(&body),
        )
        .await;
        let problem = assert_problem(
            &refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(problem["errors"][0]["code"], code);
    }
    assert_eq!(
        push_subscriptions::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        0
    );

    subscribe(&app, &push).await;
    let gone = send(
        app.request_as(&learner, Method::DELETE, "/api/v1/push-subscriptions")
            .query(&[("endpoint", push.endpoint())]),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let again = send(
        app.request_as(&learner, Method::DELETE, "/api/v1/push-subscriptions")
            .query(&[("endpoint", push.endpoint())]),
    )
    .await;
    assert_problem(&again, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        push_subscriptions::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn an_endpoint_belongs_to_the_last_account_that_saved_it() {
    let app = spawn_app().await;
    let push = PushService::start().await;
    let first = app.users.learner.clone();
    let next = app.users.coach.clone();
    for user in [&first, &next] {
        let saved = send(
            app.request_as(user, Method::POST, "/api/v1/push-subscriptions")
                .json(&push.subscription_json()),
        )
        .await;
        assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.text());
    }

    // The browser now belongs to the coach: the learner's notifications no longer reach it.
    let rows = push_subscriptions::Entity::find()
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].user_id, next.id);
    let (course, _) = course_with_lessons(&app, "shared-device", 1, 0).await;
    enroll(&app, &first, course.id).await;
    app.run_due_jobs().await;
    assert!(push.received().is_empty());
}
