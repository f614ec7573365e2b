//! Rooms: direct rooms found or created, group membership, and rooms that do not exist for
//! anyone outside them.

use entity::chat::{chat_messages, chat_room_members, chat_rooms};
use entity::enums::UserRole;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::chat::{direct_room, group_room, said};
use rusing_academy_tests::fixtures::db_user;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

#[tokio::test]
async fn two_learners_chat_and_a_third_finds_nothing_of_it() {
    let app = spawn_app().await;
    let marie = app.users.learner.clone();
    let luc = db_user(&app.db.conn, "luc@example.gc.ca", UserRole::Learner).await;
    let eve = db_user(&app.db.conn, "eve@example.gc.ca", UserRole::Learner).await;

    let opened = send(
        app.request_as(&marie, Method::POST, "/api/v1/chat/rooms")
            .json(&json!({"type": "direct", "userId": luc.id})),
    )
    .await;
    let room = json_ok(&opened, StatusCode::CREATED);
    assert_eq!(
        (room["type"].clone(), room["myRole"].clone()),
        (json!("direct"), json!("member"))
    );
    let again = send(
        app.request_as(&luc, Method::POST, "/api/v1/chat/rooms")
            .json(&json!({"type": "direct", "userId": marie.id})),
    )
    .await;
    assert_eq!(json_ok(&again, StatusCode::OK)["id"], room["id"]);
    let room = room["id"].as_i64().unwrap();
    let message = said(&app, &marie, room, "Bonjour Luc, prêt pour l'oral ?").await;
    let page = send(app.request_as(
        &luc,
        Method::GET,
        &format!("/api/v1/chat/rooms/{room}/messages"),
    ))
    .await;
    let page = json_ok(&page, StatusCode::OK);
    assert_eq!(
        page["items"][0]["content"],
        "Bonjour Luc, prêt pour l'oral ?"
    );
    assert_eq!(page["items"][0]["senderId"], marie.id);
    let detail = json_ok(
        &send(app.request_as(&luc, Method::GET, &format!("/api/v1/chat/rooms/{room}"))).await,
        StatusCode::OK,
    );
    assert_eq!(detail["members"].as_array().unwrap().len(), 2);

    // Eve: the room, its members, its messages and every write on them do not exist.
    let message_id = message["id"].as_i64().unwrap();
    for (method, path, body) in [
        (Method::GET, format!("/api/v1/chat/rooms/{room}"), None),
        (
            Method::GET,
            format!("/api/v1/chat/rooms/{room}/members"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/chat/rooms/{room}/messages"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/chat/rooms/{room}/messages"),
            Some(json!({"content": "intrusion"})),
        ),
        (
            Method::POST,
            format!("/api/v1/chat/rooms/{room}/read"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/api/v1/chat/rooms/{room}/members"),
            Some(json!({"userId": eve.id})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/chat/rooms/{room}/members/{}", luc.id),
            None,
        ),
        (
            Method::PATCH,
            format!("/api/v1/chat/messages/{message_id}"),
            Some(json!({"content": "forged"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/chat/messages/{message_id}"),
            None,
        ),
    ] {
        let mut request = app.request_as(&eve, method.clone(), &path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = send(request).await;
        assert_problem(&response, StatusCode::NOT_FOUND, "not_found");
        assert!(
            !response.text().contains("Bonjour"),
            "{method} {path} leaks"
        );
    }
    let mine = json_ok(
        &send(app.request_as(&eve, Method::GET, "/api/v1/chat/rooms")).await,
        StatusCode::OK,
    );
    assert_eq!(mine["items"], json!([]));

    let db = &app.db.conn;
    assert_eq!(chat_rooms::Entity::find().count(db).await.unwrap(), 1);
    assert_eq!(
        chat_room_members::Entity::find()
            .filter(chat_room_members::Column::RoomId.eq(room))
            .count(db)
            .await
            .unwrap(),
        2
    );
    let stored = chat_messages::Entity::find_by_id(message_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.content, "Bonjour Luc, prêt pour l'oral ?");
    assert_eq!(chat_messages::Entity::find().count(db).await.unwrap(), 1);
}

#[tokio::test]
async fn a_direct_room_needs_someone_else_who_is_active() {
    let app = spawn_app().await;
    let marie = app.users.learner.clone();

    let alone = send(
        app.request_as(&marie, Method::POST, "/api/v1/chat/rooms")
            .json(&json!({"type": "direct", "userId": marie.id})),
    )
    .await;
    let problem = assert_problem(
        &alone,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(problem["errors"][0]["code"], "cannot_chat_with_yourself");
    let nobody = send(
        app.request_as(&marie, Method::POST, "/api/v1/chat/rooms")
            .json(&json!({"type": "direct", "userId": 987_654})),
    )
    .await;
    let problem = assert_problem(
        &nobody,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(problem["errors"][0]["code"], "unknown_user");
    assert_eq!(
        chat_rooms::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn owners_and_moderators_manage_a_group_and_members_may_leave() {
    let app = spawn_app().await;
    let owner = app.users.learner.clone();
    let bea = db_user(&app.db.conn, "bea@example.gc.ca", UserRole::Learner).await;
    let carl = db_user(&app.db.conn, "carl@example.gc.ca", UserRole::Learner).await;
    let dana = db_user(&app.db.conn, "dana@example.gc.ca", UserRole::Learner).await;
    let room = group_room(&app, &owner, &[&bea]).await;
    let members = format!("/api/v1/chat/rooms/{room}/members");
    let add = |by: &entity::users::users::Model, who: i64, role: &str| {
        app.request_as(by, Method::POST, &members)
            .json(&json!({"userId": who, "role": role}))
    };

    assert_problem(
        &send(add(&bea, carl.id, "member")).await,
        StatusCode::FORBIDDEN,
        "chat_moderator_required",
    );
    let carl_in = json_ok(
        &send(add(&owner, carl.id, "moderator")).await,
        StatusCode::CREATED,
    );
    assert_eq!(carl_in["role"], "moderator");
    assert_eq!(
        json_ok(
            &send(add(&owner, carl.id, "moderator")).await,
            StatusCode::OK
        )["role"],
        "moderator"
    );
    assert_problem(
        &send(add(&carl, dana.id, "moderator")).await,
        StatusCode::FORBIDDEN,
        "chat_owner_required",
    );
    assert_eq!(
        json_ok(
            &send(add(&carl, dana.id, "member")).await,
            StatusCode::CREATED
        )["role"],
        "member"
    );

    let remove = |by: &entity::users::users::Model, who: i64| {
        app.request_as(by, Method::DELETE, &format!("{members}/{who}"))
    };
    assert_problem(
        &send(remove(&bea, dana.id)).await,
        StatusCode::FORBIDDEN,
        "chat_moderator_required",
    );
    assert_problem(
        &send(remove(&carl, owner.id)).await,
        StatusCode::FORBIDDEN,
        "chat_owner_required",
    );
    assert_eq!(
        send(remove(&carl, dana.id)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_problem(
        &send(remove(&owner, owner.id)).await,
        StatusCode::CONFLICT,
        "chat_last_owner",
    );
    assert_eq!(
        send(remove(&bea, bea.id)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_problem(
        &send(app.request_as(&bea, Method::GET, &format!("/api/v1/chat/rooms/{room}"))).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    let listed = json_ok(
        &send(app.request_as(&owner, Method::GET, &members)).await,
        StatusCode::OK,
    );
    let roles: Vec<(i64, String)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["userId"].as_i64().unwrap(),
                m["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        vec![
            (owner.id, "owner".to_owned()),
            (carl.id, "moderator".to_owned())
        ]
    );

    let direct = direct_room(&app, &owner, &bea).await;
    assert_problem(
        &send(
            app.request_as(
                &owner,
                Method::POST,
                &format!("/api/v1/chat/rooms/{direct}/members"),
            )
            .json(&json!({"userId": carl.id})),
        )
        .await,
        StatusCode::CONFLICT,
        "chat_membership_fixed",
    );
    let stored = chat_room_members::Entity::find()
        .filter(chat_room_members::Column::RoomId.eq(room))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(stored, 2);
}

#[tokio::test]
async fn a_coaching_session_has_one_room_for_its_coach_and_learner() {
    let app = spawn_app().await;
    let coach = app.users.coach.clone();
    let learner = app.users.learner.clone();
    let profile = rusing_academy_tests::fixtures::db_coach_profile(&app.db.conn, coach.id).await;
    let session =
        rusing_academy_tests::fixtures::db_session(&app.db.conn, profile.id, learner.id).await;

    let first =
        service::chat::rooms::open_for_session(&app.db.conn, session.id, coach.id, learner.id)
            .await
            .unwrap();
    let again =
        service::chat::rooms::open_for_session(&app.db.conn, session.id, coach.id, learner.id)
            .await
            .unwrap();
    assert_eq!(first.id, again.id);

    let seen = json_ok(
        &send(app.request_as(
            &learner,
            Method::GET,
            &format!("/api/v1/chat/rooms/{}", first.id),
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (seen["type"].clone(), seen["sessionId"].clone()),
        (json!("coaching"), json!(session.id))
    );
    let roles: Vec<(i64, &str)> = seen["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["userId"].as_i64().unwrap(), m["role"].as_str().unwrap()))
        .collect();
    assert_eq!(roles, vec![(coach.id, "moderator"), (learner.id, "member")]);
    said(&app, &coach, first.id, "See you at 10:00").await;
    let leave = send(app.request_as(
        &learner,
        Method::DELETE,
        &format!("/api/v1/chat/rooms/{}/members/{}", first.id, learner.id),
    ))
    .await;
    assert_problem(&leave, StatusCode::CONFLICT, "chat_membership_fixed");
    assert_eq!(
        chat_rooms::Entity::find()
            .filter(chat_rooms::Column::SessionId.eq(session.id))
            .count(&app.db.conn)
            .await
            .unwrap(),
        1
    );
}
