//! Messages: idempotent sends, pages in both directions, edits and soft deletes, read markers,
//! unread counts, the send rate limit, and what account deletion leaves.

use entity::chat::{chat_messages, chat_room_members};
use entity::enums::UserRole;
use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::chat::{direct_room, group_room, said, say};
use rusing_academy_tests::fixtures::db_user;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

#[tokio::test]
async fn a_message_resent_with_its_client_id_is_stored_once() {
    let app = spawn_app().await;
    let marie = app.users.learner.clone();
    let luc = db_user(&app.db.conn, "luc@example.gc.ca", UserRole::Learner).await;
    let room = direct_room(&app, &marie, &luc).await;
    let path = format!("/api/v1/chat/rooms/{room}/messages");
    let body = json!({"content": "Flaky network", "clientMessageId": "c0ffee-1"});

    let responses =
        join_all((0..20).map(|_| send(app.request_as(&marie, Method::POST, &path).json(&body))))
            .await;
    let created = responses
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    let resent = responses
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    assert_eq!(
        (created, resent),
        (1, 19),
        "{:?}",
        responses.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let ids: Vec<Value> = responses.iter().map(|r| r.json()["id"].clone()).collect();
    assert!(ids.iter().all(|id| *id == ids[0]));
    let rows = chat_messages::Entity::find()
        .filter(chat_messages::Column::ClientMessageId.eq("c0ffee-1"))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rows, 1);

    let elsewhere = group_room(&app, &marie, &[&luc]).await;
    let reused = send(
        app.request_as(
            &marie,
            Method::POST,
            &format!("/api/v1/chat/rooms/{elsewhere}/messages"),
        )
        .json(&body),
    )
    .await;
    assert_problem(&reused, StatusCode::CONFLICT, "client_message_id_reused");
    // Another sender may use the same client id.
    let other = send(app.request_as(&luc, Method::POST, &path).json(&body)).await;
    assert_eq!(other.status, StatusCode::CREATED);
    assert_eq!(
        chat_messages::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        2
    );
}

async fn page(app: &TestApp, user: &entity::users::users::Model, room: i64, query: &str) -> Value {
    let response = send(app.request_as(
        user,
        Method::GET,
        &format!("/api/v1/chat/rooms/{room}/messages?{query}"),
    ))
    .await;
    json_ok(&response, StatusCode::OK)
}

fn contents(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn messages_page_backwards_and_forwards_by_cursor() {
    let app = spawn_app().await;
    let marie = app.users.learner.clone();
    let luc = db_user(&app.db.conn, "luc@example.gc.ca", UserRole::Learner).await;
    let room = direct_room(&app, &marie, &luc).await;
    for n in 1..=7 {
        said(
            &app,
            if n % 2 == 0 { &luc } else { &marie },
            room,
            &format!("m{n}"),
        )
        .await;
    }

    let first = page(&app, &luc, room, "limit=3").await;
    assert_eq!(contents(&first), ["m7", "m6", "m5"]);
    let cursor = first["nextCursor"].as_str().unwrap().to_owned();
    let second = page(&app, &luc, room, &format!("limit=3&before={cursor}")).await;
    assert_eq!(contents(&second), ["m4", "m3", "m2"]);
    let cursor = second["nextCursor"].as_str().unwrap().to_owned();
    let last = page(&app, &luc, room, &format!("limit=3&before={cursor}")).await;
    assert_eq!(contents(&last), ["m1"]);
    assert!(last["nextCursor"].is_null());

    let oldest = last["items"][0]["cursor"].as_str().unwrap().to_owned();
    let newer = page(&app, &luc, room, &format!("limit=4&after={oldest}")).await;
    assert_eq!(contents(&newer), ["m2", "m3", "m4", "m5"]);
    let cursor = newer["nextCursor"].as_str().unwrap().to_owned();
    let rest = page(&app, &luc, room, &format!("limit=4&after={cursor}")).await;
    assert_eq!(contents(&rest), ["m6", "m7"]);
    assert!(rest["nextCursor"].is_null());

    let both = send(app.request_as(
        &luc,
        Method::GET,
        &format!("/api/v1/chat/rooms/{room}/messages?before={oldest}&after={oldest}"),
    ))
    .await;
    let problem = assert_problem(&both, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "conflicting_cursors");
    let forged = send(app.request_as(
        &luc,
        Method::GET,
        &format!("/api/v1/chat/rooms/{room}/messages?after=bm9wZQ"),
    ))
    .await;
    let problem = assert_problem(
        &forged,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(problem["errors"][0]["code"], "invalid_cursor");
}

#[tokio::test]
async fn only_the_sender_edits_and_senders_or_moderators_delete_softly() {
    let app = spawn_app().await;
    let owner = app.users.learner.clone();
    let bea = db_user(&app.db.conn, "bea@example.gc.ca", UserRole::Learner).await;
    let carl = db_user(&app.db.conn, "carl@example.gc.ca", UserRole::Learner).await;
    let room = group_room(&app, &owner, &[&bea, &carl]).await;
    let message = said(&app, &bea, room, "Draft").await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/chat/messages/{message}");

    let forged = send(
        app.request_as(&carl, Method::PATCH, &path)
            .json(&json!({"content": "Forged"})),
    )
    .await;
    assert_problem(&forged, StatusCode::FORBIDDEN, "chat_not_sender");
    let edited = send(
        app.request_as(&bea, Method::PATCH, &path)
            .json(&json!({"content": "Final"})),
    )
    .await;
    let edited = json_ok(&edited, StatusCode::OK);
    assert_eq!(edited["content"], "Final");
    assert!(edited["editedAt"].is_string());
    assert_problem(
        &send(app.request_as(&carl, Method::DELETE, &path)).await,
        StatusCode::FORBIDDEN,
        "chat_not_sender",
    );

    // The owner moderates: they delete Bea's message; deleting again changes nothing.
    assert_eq!(
        send(app.request_as(&owner, Method::DELETE, &path))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(app.request_as(&bea, Method::DELETE, &path))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let again = send(
        app.request_as(&bea, Method::PATCH, &path)
            .json(&json!({"content": "Back"})),
    )
    .await;
    assert_problem(&again, StatusCode::CONFLICT, "chat_message_deleted");
    let listed = page(&app, &carl, room, "").await;
    assert_eq!(listed["items"][0]["content"], "");
    assert!(listed["items"][0]["deletedAt"].is_string());
    let stored = chat_messages::Entity::find_by_id(message)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.deleted_at.is_some() && stored.content.is_empty());
}

#[tokio::test]
async fn unread_counts_follow_read_markers() {
    let app = spawn_app().await;
    let marie = app.users.learner.clone();
    let luc = db_user(&app.db.conn, "luc@example.gc.ca", UserRole::Learner).await;
    let room = direct_room(&app, &marie, &luc).await;
    let group = group_room(&app, &marie, &[&luc]).await;
    let ids: Vec<i64> = {
        let mut ids = Vec::new();
        for text in ["one", "two", "three"] {
            ids.push(said(&app, &marie, room, text).await["id"].as_i64().unwrap());
        }
        ids
    };
    said(&app, &marie, group, "group news").await;
    said(&app, &luc, group, "luc's own").await;

    let unread = |user: &entity::users::users::Model| {
        let request = app.request_as(user, Method::GET, "/api/v1/chat/unread");
        async move { json_ok(&send(request).await, StatusCode::OK) }
    };
    let lucs = unread(&luc).await;
    assert_eq!(lucs["total"], 4);
    assert_eq!(
        lucs["rooms"],
        json!([{"roomId": room, "unreadCount": 3}, {"roomId": group, "unreadCount": 1}])
    );
    assert_eq!(unread(&marie).await["total"], 1);

    let read = |body: Value| {
        app.request_as(
            &luc,
            Method::POST,
            &format!("/api/v1/chat/rooms/{room}/read"),
        )
        .json(&body)
    };
    let marker = json_ok(
        &send(read(json!({"messageId": ids[1]}))).await,
        StatusCode::OK,
    );
    assert_eq!(
        (
            marker["lastReadMessageId"].clone(),
            marker["unreadCount"].clone()
        ),
        (json!(ids[1]), json!(1))
    );
    assert_eq!(unread(&luc).await["total"], 2);
    // A marker never moves back.
    let marker = json_ok(
        &send(read(json!({"messageId": ids[0]}))).await,
        StatusCode::OK,
    );
    assert_eq!(marker["lastReadMessageId"], ids[1]);
    let marker = json_ok(&send(read(json!({}))).await, StatusCode::OK);
    assert_eq!(
        (
            marker["lastReadMessageId"].clone(),
            marker["unreadCount"].clone()
        ),
        (json!(ids[2]), json!(0))
    );
    assert_eq!(
        unread(&luc).await["rooms"],
        json!([{"roomId": group, "unreadCount": 1}])
    );
    let stored = chat_room_members::Entity::find()
        .filter(chat_room_members::Column::RoomId.eq(room))
        .filter(chat_room_members::Column::UserId.eq(luc.id))
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.last_read_message_id, Some(ids[2]));

    let foreign = send(read(json!({"messageId": 987_654}))).await;
    let problem = assert_problem(
        &foreign,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(problem["errors"][0]["code"], "unknown_message");
}

#[tokio::test]
async fn a_sender_is_limited_per_minute() {
    let app = spawn_app_with(&[("RATE_LIMIT_CHAT_PER_MINUTE", "3")]).await;
    let marie = app.users.learner.clone();
    let luc = db_user(&app.db.conn, "luc@example.gc.ca", UserRole::Learner).await;
    let room = direct_room(&app, &marie, &luc).await;
    for n in 0..3 {
        said(&app, &marie, room, &format!("m{n}")).await;
    }

    let refused = say(&app, &marie, room, "one too many").await;
    assert_problem(&refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(refused.header("retry-after").is_some());
    assert_eq!(
        chat_messages::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        3
    );
    // Luc's own budget is untouched.
    said(&app, &luc, room, "hello").await;
}

#[tokio::test]
async fn a_deleted_account_leaves_its_messages_anonymised_for_the_others() {
    let app = spawn_app().await;
    let marie = app.users.learner.clone();
    let luc = db_user(&app.db.conn, "luc@example.gc.ca", UserRole::Learner).await;
    let room = direct_room(&app, &marie, &luc).await;
    let alone = group_room(&app, &marie, &[]).await;
    let shared_group = group_room(&app, &marie, &[&luc]).await;
    said(&app, &marie, room, "See you Thursday").await;
    said(&app, &marie, alone, "Note to self").await;

    let exported = json_ok(
        &send(app.request_as(&marie, Method::GET, "/api/v1/users/me/export")).await,
        StatusCode::OK,
    );
    assert_eq!(exported["chatMessages"].as_array().unwrap().len(), 2);
    assert_eq!(exported["chatRoomMembers"].as_array().unwrap().len(), 3);
    assert!(
        exported.get("userEvents").is_none(),
        "delivery copies of others' messages"
    );

    assert_eq!(
        send(app.request_as(&marie, Method::DELETE, "/api/v1/users/me"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let seen = page(&app, &luc, room, "").await;
    assert_eq!(seen["items"][0]["content"], "See you Thursday");
    assert!(seen["items"][0]["senderId"].is_null());
    let members = json_ok(
        &send(app.request_as(
            &luc,
            Method::GET,
            &format!("/api/v1/chat/rooms/{room}/members"),
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(members.as_array().unwrap().len(), 1);
    // Her group with Luc is his now.
    let inherited = json_ok(
        &send(app.request_as(
            &luc,
            Method::GET,
            &format!("/api/v1/chat/rooms/{shared_group}"),
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(inherited["myRole"], "owner");
    // The room only she was in is gone with its messages.
    let left = chat_messages::Entity::find()
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].sender_id, None);
}
