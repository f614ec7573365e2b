//! Chat arrangements several test domains share: a direct room, a group room, a message.

#![allow(clippy::expect_used)] // a failed expectation is a failed test

use entity::users::users;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::app::{TestApp, TestResponse, json_ok, send};

/// Opens (or finds) the direct room of `a` with `b` through the API; returns its id.
pub async fn direct_room(app: &TestApp, a: &users::Model, b: &users::Model) -> i64 {
    let response = send(
        app.request_as(a, Method::POST, "/api/v1/chat/rooms")
            .json(&json!({"type": "direct", "userId": b.id})),
    )
    .await;
    assert!(
        [StatusCode::OK, StatusCode::CREATED].contains(&response.status),
        "{}",
        response.text()
    );
    response.json()["id"].as_i64().expect("room id")
}

/// Creates a group room owned by `owner` with `members`; returns its id.
pub async fn group_room(app: &TestApp, owner: &users::Model, members: &[&users::Model]) -> i64 {
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let response = send(
        app.request_as(owner, Method::POST, "/api/v1/chat/rooms")
            .json(&json!({"type": "group", "name": "Study group", "memberIds": ids})),
    )
    .await;
    json_ok(&response, StatusCode::CREATED)["id"]
        .as_i64()
        .expect("room id")
}

/// `user` sends `content` to `room`.
pub async fn say(app: &TestApp, user: &users::Model, room: i64, content: &str) -> TestResponse {
    send(
        app.request_as(
            user,
            Method::POST,
            &format!("/api/v1/chat/rooms/{room}/messages"),
        )
        .json(&json!({"content": content})),
    )
    .await
}

/// `user` sends `content` to `room` and gets the new message back.
pub async fn said(app: &TestApp, user: &users::Model, room: i64, content: &str) -> Value {
    json_ok(&say(app, user, room, content).await, StatusCode::CREATED)
}
