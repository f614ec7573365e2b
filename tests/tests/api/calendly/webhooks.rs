//! The signed webhook: verified before anything, recorded once, processed once.

use entity::chat::chat_rooms;
use entity::coaching::sessions;
use entity::enums::{SessionStatus, SessionType, WebhookProvider, WebhookStatus};
use entity::payments::webhook_events;
use futures_util::future::join_all;
use reqwest::StatusCode;
use rusing_academy_tests::app::*;
use rusing_academy_tests::calendly::*;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

/// An application with the coach connected to `fake`; returns it and the coach profile's id.
async fn connected(fake: &FakeCalendly) -> (TestApp, i64) {
    let app = spawn_app_for(fake, &[]).await;
    let profile = db_coach_profile(&app.db.conn, &app.users.coach).await;
    connect(&app, &app.users.coach).await;
    (app, profile.id)
}

async fn counts(app: &TestApp) -> (u64, u64) {
    (
        sessions::Entity::find().count(&app.db.conn).await.unwrap(),
        webhook_events::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
    )
}

#[tokio::test]
async fn a_signed_booking_delivered_three_times_creates_one_session() {
    let fake = FakeCalendly::start("COACH1").await;
    let (app, coach_id) = connected(&fake).await;
    // The invitee's e-mail as typed on Calendly: matched case-insensitively.
    let booking = invitee_created(&fake, "EVT1", "Learner@Example.gc.ca");

    let mut statuses = Vec::new();
    for _ in 0..3 {
        let response = deliver(&app, &booking).await;
        statuses.push(json_ok(&response, StatusCode::OK)["status"].clone());
    }
    assert_eq!(
        statuses,
        [json!("processed"), json!("duplicate"), json!("duplicate")]
    );

    assert_eq!(counts(&app).await, (1, 1));
    let session = sessions::Entity::find()
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session.coach_id, coach_id);
    assert_eq!(session.learner_id, app.users.learner.id);
    assert_eq!(session.status, SessionStatus::Confirmed);
    assert_eq!(session.r#type, SessionType::Single);
    assert_eq!(session.duration_minutes, 60);
    assert_eq!(
        session.scheduled_at.to_rfc3339(),
        "2026-12-03T15:00:00+00:00"
    );
    assert_eq!(
        session.calendly_event_uri.as_deref(),
        Some("https://api.calendly.com/scheduled_events/EVT1")
    );
    assert_eq!(
        session.meeting_url.as_deref(),
        Some("https://zoom.example/j/123")
    );
    // The session has its coaching room.
    let room = chat_rooms::Entity::find()
        .filter(chat_rooms::Column::SessionId.eq(session.id))
        .one(&app.db.conn)
        .await
        .unwrap();
    assert!(room.is_some());

    let event = webhook_events::Entity::find()
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event.provider, WebhookProvider::Calendly);
    assert_eq!(event.status, WebhookStatus::Processed);
    assert_eq!(event.r#type, "invitee.created");
    assert_eq!(
        event.external_id,
        "invitee.created:https://api.calendly.com/scheduled_events/EVT1/invitees/INV1"
    );
    assert_eq!(event.attempts, 1);
    assert!(event.locked_until.is_none() && event.processed_at.is_some());
    assert_eq!(event.last_error, None);
}

#[tokio::test]
async fn twenty_deliveries_at_once_create_one_session() {
    let fake = FakeCalendly::start("COACH1").await;
    let (app, _) = connected(&fake).await;
    let booking = invitee_created(&fake, "EVT1", "learner@example.gc.ca");

    let responses = join_all((0..20).map(|_| deliver(&app, &booking))).await;
    for response in &responses {
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    }
    let processed = responses
        .iter()
        .filter(|r| r.json()["status"] == "processed")
        .count();
    assert_eq!(processed, 1);
    assert_eq!(counts(&app).await, (1, 1));
}

#[tokio::test]
async fn bad_signatures_and_old_timestamps_are_refused_and_nothing_is_recorded() {
    let fake = FakeCalendly::start("COACH1").await;
    let (app, _) = connected(&fake).await;
    let body = invitee_created(&fake, "EVT1", "learner@example.gc.ca").to_string();
    // Beyond the 300 s tolerance with a margin: the server's clock reads a later second than this
    // one by the time a request arrives (the exact bound is a unit test of `webhooks`).
    let now = chrono::Utc::now().timestamp();
    let sign = |key: &str, body: &str, at: i64| {
        service::webhooks::sign(key.as_bytes(), body.as_bytes(), at)
    };
    let tampered = body.replace("EVT1", "EVT2");

    for (signature, sent) in [
        (None, body.as_str()),
        (Some("t=abc,v1=00".to_owned()), body.as_str()),
        (Some(format!("t={now}")), body.as_str()),
        (Some(sign("another-signing-key", &body, now)), body.as_str()),
        (Some(sign(SIGNING_KEY, &body, now - 310)), body.as_str()),
        (Some(sign(SIGNING_KEY, &body, now + 310)), body.as_str()),
        (Some(sign(SIGNING_KEY, &body, now)), tampered.as_str()),
    ] {
        let mut request = app
            .post("/api/v1/webhooks/calendly")
            .header("content-type", "application/json")
            .body(sent.to_owned());
        if let Some(signature) = &signature {
            request = request.header("Calendly-Webhook-Signature", signature);
        }
        let response = send(request).await;
        assert_problem(
            &response,
            StatusCode::BAD_REQUEST,
            "webhook_signature_invalid",
        );
    }
    // Signed, but not an event.
    let response = deliver(&app, &json!({"hello": "world"})).await;
    assert_problem(
        &response,
        StatusCode::BAD_REQUEST,
        "webhook_payload_invalid",
    );
    assert_eq!(counts(&app).await, (0, 0));
}

#[tokio::test]
async fn a_cancellation_cancels_the_session_once() {
    let fake = FakeCalendly::start("COACH1").await;
    let (app, _) = connected(&fake).await;
    let email = "learner@example.gc.ca";
    json_ok(
        &deliver(&app, &invitee_created(&fake, "EVT1", email)).await,
        StatusCode::OK,
    );
    let cancel = invitee_canceled(&fake, "EVT1", email);
    for expected in ["processed", "duplicate"] {
        let response = deliver(&app, &cancel).await;
        assert_eq!(json_ok(&response, StatusCode::OK)["status"], expected);
    }
    let session = sessions::Entity::find()
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session.status, SessionStatus::Cancelled);
    assert!(session.cancelled_at.is_some());
    assert_eq!(
        session.cancellation_reason.as_deref(),
        Some("Conflict at work")
    );
    assert_eq!(counts(&app).await, (1, 2));
}

#[tokio::test]
async fn a_cancellation_delivered_before_its_booking_books_nothing() {
    let fake = FakeCalendly::start("COACH1").await;
    let (app, _) = connected(&fake).await;
    let email = "learner@example.gc.ca";
    json_ok(
        &deliver(&app, &invitee_canceled(&fake, "EVT1", email)).await,
        StatusCode::OK,
    );
    json_ok(
        &deliver(&app, &invitee_created(&fake, "EVT1", email)).await,
        StatusCode::OK,
    );
    assert_eq!(counts(&app).await, (0, 2));
}

#[tokio::test]
async fn an_unknown_learner_or_coach_is_recorded_without_a_session() {
    let fake = FakeCalendly::start("COACH1").await;
    let (app, _) = connected(&fake).await;
    let unknown_learner = invitee_created(&fake, "EVT1", "nobody@example.gc.ca");
    let mut unknown_coach = invitee_created(&fake, "EVT2", "learner@example.gc.ca");
    let stranger = json!("https://api.calendly.com/users/STRANGER");
    unknown_coach["created_by"] = stranger.clone();
    unknown_coach["payload"]["scheduled_event"]["event_memberships"] = json!([{"user": stranger}]);

    for (body, note) in [
        (
            unknown_learner,
            "no active account has the invitee's e-mail as a verified address",
        ),
        (
            unknown_coach,
            "no coach has connected the host's Calendly account",
        ),
    ] {
        let response = deliver(&app, &body).await;
        assert_eq!(json_ok(&response, StatusCode::OK)["status"], "processed");
        let external_id = format!(
            "invitee.created:{}",
            body["payload"]["uri"].as_str().unwrap()
        );
        let event = webhook_events::Entity::find()
            .filter(webhook_events::Column::ExternalId.eq(external_id))
            .one(&app.db.conn)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(event.status, WebhookStatus::Processed);
        assert_eq!(event.last_error.as_deref(), Some(note));
    }
    assert_eq!(counts(&app).await, (0, 2));
}

/// Someone registers with the e-mail of a person who books on Calendly, without verifying it:
/// the booking is not theirs to receive.
#[tokio::test]
async fn an_unverified_e_mail_is_not_matched() {
    let fake = FakeCalendly::start("COACH1").await;
    let (app, _) = connected(&fake).await;
    let mut row: entity::users::users::ActiveModel = app.users.learner.clone().into();
    row.email_verified_at = Set(None);
    row.update(&app.db.conn).await.unwrap();

    let booking = invitee_created(&fake, "EVT1", &app.users.learner.email);
    let response = deliver(&app, &booking).await;
    assert_eq!(json_ok(&response, StatusCode::OK)["status"], "processed");
    let event = webhook_events::Entity::find()
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event.status, WebhookStatus::Processed);
    assert_eq!(
        event.last_error.as_deref(),
        Some("no active account has the invitee's e-mail as a verified address")
    );
    assert_eq!(counts(&app).await, (0, 1));
}

/// The creation and the cancellation of one invitee, each delivered 20 times, all at once: in
/// the end the session is cancelled, or was never booked; never left confirmed.
#[tokio::test]
async fn a_booking_and_its_cancellation_at_once_never_leave_a_confirmed_session() {
    let fake = FakeCalendly::start("COACH1").await;
    let (app, _) = connected(&fake).await;
    let email = app.users.learner.email.clone();
    for round in 0..3 {
        let event = format!("RACE{round}");
        let created = invitee_created(&fake, &event, &email);
        let canceled = invitee_canceled(&fake, &event, &email);
        let deliveries = (0..40).map(|i| if i % 2 == 0 { &created } else { &canceled });
        let responses = join_all(deliveries.map(|body| deliver(&app, body))).await;
        for response in &responses {
            assert!(
                response.status == StatusCode::OK || response.status == StatusCode::CONFLICT,
                "{} {}",
                response.status,
                response.text()
            );
        }
        let uri = format!("https://api.calendly.com/scheduled_events/{event}");
        let session = sessions::Entity::find()
            .filter(sessions::Column::CalendlyEventUri.eq(uri))
            .one(&app.db.conn)
            .await
            .unwrap();
        if let Some(session) = session {
            assert_eq!(session.status, SessionStatus::Cancelled, "round {round}");
        }
    }
}
