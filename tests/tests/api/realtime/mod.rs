//! `GET /events`: what reaches a stream, what never does, resuming after a disconnect, two
//! instances on one database, and streams ending with their credentials.

use std::time::Duration;

use entity::enums::UserRole;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::chat::{direct_room, group_room, said};
use rusing_academy_tests::events::EventStream;
use rusing_academy_tests::fixtures::db_user;
use serde_json::json;

const QUIET: Duration = Duration::from_millis(1500);

#[tokio::test]
async fn a_stream_gets_its_rooms_messages_and_resumes_after_a_disconnect_without_loss() {
    let app = spawn_app().await;
    let marie = app.users.learner.clone();
    let luc = db_user(&app.db.conn, "luc@example.gc.ca", UserRole::Learner).await;
    let eve = db_user(&app.db.conn, "eve@example.gc.ca", UserRole::Learner).await;
    let room = direct_room(&app, &marie, &luc).await;
    let mut lucs = EventStream::open(&app.address, &app.token_for(&luc), None).await;
    let mut eves = EventStream::open(&app.address, &app.token_for(&eve), None).await;

    said(&app, &marie, room, "one").await;
    let first = lucs.next_of("chat.message").await;
    assert_eq!(first.data["message"]["content"], "one");
    assert_eq!(first.data["roomId"], room);
    let last_seen = first.id.clone().expect("events carry ids");
    drop(lucs);

    said(&app, &marie, room, "two").await;
    said(&app, &marie, room, "three").await;
    let mut resumed = EventStream::open(&app.address, &app.token_for(&luc), Some(&last_seen)).await;
    let replayed: Vec<String> = [
        resumed.next_of("chat.message").await,
        resumed.next_of("chat.message").await,
    ]
    .iter()
    .map(|e| e.data["message"]["content"].as_str().unwrap().to_owned())
    .collect();
    assert_eq!(replayed, ["two", "three"]);

    // Luc reads: Marie's stream learns it; Eve's stream never saw anything of the room.
    let mut maries = EventStream::open(&app.address, &app.token_for(&marie), None).await;
    let marked = send(
        app.request_as(
            &luc,
            Method::POST,
            &format!("/api/v1/chat/rooms/{room}/read"),
        )
        .json(&json!({})),
    )
    .await;
    assert_eq!(marked.status, StatusCode::OK);
    let read = maries.next_of("chat.read").await;
    assert_eq!(read.data["userId"], luc.id);
    let seen_by_eve = eves.drain(QUIET).await;
    assert!(seen_by_eve.is_empty(), "{seen_by_eve:?}");

    let bad = send(
        app.request_as(&luc, Method::GET, "/api/v1/events")
            .header("last-event-id", "yesterday"),
    )
    .await;
    assert_problem(&bad, StatusCode::BAD_REQUEST, "invalid_last_event_id");
}

#[tokio::test]
async fn a_message_sent_through_one_instance_reaches_a_stream_held_on_another() {
    let app = spawn_app().await;
    let other = app.replica(&[("EVENTS_POLL_INTERVAL_MS", "50")]).await;
    let marie = app.users.learner.clone();
    let luc = db_user(&app.db.conn, "luc@example.gc.ca", UserRole::Learner).await;
    let eve = db_user(&app.db.conn, "eve@example.gc.ca", UserRole::Learner).await;
    let room = direct_room(&app, &marie, &luc).await;
    let mut lucs = EventStream::open(&other.address, &app.token_for(&luc), None).await;
    let mut eves = EventStream::open(&other.address, &app.token_for(&eve), None).await;

    said(&app, &marie, room, "across instances").await;

    let event = lucs.next_of("chat.message").await;
    assert_eq!(event.data["message"]["content"], "across instances");
    assert!(eves.drain(QUIET).await.is_empty());
}

#[tokio::test]
async fn a_removed_member_stops_receiving_and_a_suspended_account_is_cut_off() {
    let app = spawn_app_with(&[("EVENTS_POLL_INTERVAL_MS", "50")]).await;
    let owner = app.users.learner.clone();
    let bea = db_user(&app.db.conn, "bea@example.gc.ca", UserRole::Learner).await;
    let room = group_room(&app, &owner, &[&bea]).await;
    let mut beas = EventStream::open(&app.address, &app.token_for(&bea), None).await;

    said(&app, &owner, room, "before").await;
    assert_eq!(
        beas.next_of("chat.message").await.data["message"]["content"],
        "before"
    );
    let removed = send(app.request_as(
        &owner,
        Method::DELETE,
        &format!("/api/v1/chat/rooms/{room}/members/{}", bea.id),
    ))
    .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let notice = beas.next_of("chat.membership").await;
    assert_eq!(
        (notice.data["action"].clone(), notice.data["userId"].clone()),
        (json!("removed"), json!(bea.id))
    );
    said(&app, &owner, room, "after").await;
    let after: Vec<_> = beas.drain(QUIET).await;
    assert!(after.iter().all(|e| e.event != "chat.message"), "{after:?}");

    let suspended = send(
        app.request_as(
            &app.users.admin,
            Method::PATCH,
            &format!("/api/v1/admin/users/{}", bea.id),
        )
        .json(&json!({"status": "suspended"})),
    )
    .await;
    assert_eq!(suspended.status, StatusCode::OK, "{}", suspended.text());
    let end = beas.next_of("end").await;
    assert_eq!(end.data["reason"], "credentials_ended");
    assert!(beas.next_within(QUIET).await.is_none(), "the stream closes");
}

#[tokio::test]
async fn an_idle_stream_gets_heartbeats_and_a_chat_message_is_also_pushed() {
    let app = spawn_app_with(&[("EVENTS_HEARTBEAT", "1")]).await;
    let marie = app.users.learner.clone();
    let luc = db_user(&app.db.conn, "luc@example.gc.ca", UserRole::Learner).await;
    let mut lucs = EventStream::open(&app.address, &app.token_for(&luc), None).await;

    assert!(
        lucs.shows_within(": heartbeat", Duration::from_secs(5))
            .await
    );

    // A message also becomes a push notification (chat: push only by default), once per member.
    let push = rusing_academy_tests::push::PushService::start().await;
    let subscribed = send(
        app.request_as(&luc, Method::POST, "/api/v1/push-subscriptions")
            .json(&push.subscription_json()),
    )
    .await;
    assert_eq!(subscribed.status, StatusCode::CREATED);
    let room = direct_room(&app, &marie, &luc).await;
    said(&app, &marie, room, "Tu es là ?").await;
    app.run_due_jobs().await;
    app.run_due_jobs().await;
    let received = push.received();
    assert_eq!(received.len(), 1, "one push to Luc, none to Marie");
    let (payload, _) = push.open(&received[0]);
    assert_eq!(payload["body"], "Tu es là ?");
    assert_eq!(payload["type"], "chat.message");
    assert_eq!(payload["data"]["details"]["roomId"], room);
}
