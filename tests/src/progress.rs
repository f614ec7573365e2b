//! Reporting progress through the API: one lesson online (`PUT /lessons/{id}/progress`) or an
//! offline batch (`POST /sync/progress`).

use reqwest::Method;
use serde_json::{Value, json};

use crate::app::{TestApp, TestResponse, send};

/// `PUT /lessons/{lesson}/progress` as `user`.
pub async fn progress(
    app: &TestApp,
    user: &entity::users::users::Model,
    lesson: i64,
    body: Value,
) -> TestResponse {
    send(
        app.request_as(
            user,
            Method::PUT,
            &format!("/api/v1/lessons/{lesson}/progress"),
        )
        .json(&body),
    )
    .await
}

/// `POST /sync/progress` of `operations` as `user`, from the device `ipad-1`.
pub async fn sync(
    app: &TestApp,
    user: &entity::users::users::Model,
    operations: Value,
) -> TestResponse {
    send(
        app.request_as(user, Method::POST, "/api/v1/sync/progress")
            .json(&json!({ "deviceId": "ipad-1", "operations": operations })),
    )
    .await
}
