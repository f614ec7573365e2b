//! Password recovery by mail: reset requests that do not reveal accounts, and reset tokens that are
//! single use, superseded by newer ones and expire (e-mail verification: `sessions`' life cycle).

use chrono::Utc;
use entity::auth::password_resets;
use reqwest::StatusCode;
use rusing_academy_tests::app::*;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

use super::{NEW_PASSWORD, login, register};

#[tokio::test]
async fn a_password_reset_request_answers_the_same_for_unknown_emails_and_mails_only_real_accounts()
{
    let app = spawn_app().await;
    register(&app, "real@canada.ca").await;

    let known = send(
        app.post("/api/v1/auth/password-reset")
            .json(&json!({ "email": "REAL@canada.ca" })),
    )
    .await;
    let unknown = send(
        app.post("/api/v1/auth/password-reset")
            .json(&json!({ "email": "ghost@canada.ca" })),
    )
    .await;

    assert_eq!(known.status, StatusCode::ACCEPTED);
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    assert_eq!(known.body, unknown.body);
    app.mails_to("real@canada.ca", 2).await;
    assert!(app.outbox().iter().all(|m| !m.contains("ghost@canada.ca")));
    assert_eq!(
        password_resets::Entity::find()
            .count(&app.db.conn)
            .await
            .expect("count"),
        1
    );
}

async fn reset_token(app: &TestApp, email: &str, nth: usize) -> String {
    let sent = send(
        app.post("/api/v1/auth/password-reset")
            .json(&json!({ "email": email })),
    )
    .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED);
    let mails: Vec<String> = app
        .mails_to(email, nth + 1)
        .await
        .into_iter()
        .filter(|m| m.contains("reset-password"))
        .collect();
    let tokens: Vec<String> = mails.iter().map(|m| token_in(m)).collect();
    // The outbox is unordered: the new token is the one not seen before.
    let stored: Vec<String> = password_resets::Entity::find()
        .filter(password_resets::Column::UsedAt.is_null())
        .all(&app.db.conn)
        .await
        .expect("resets")
        .into_iter()
        .map(|r| r.token.expose().to_owned())
        .collect();
    tokens
        .into_iter()
        .find(|t| stored.contains(&service::auth::tokens::hash_secret(t)))
        .expect("a live reset token was mailed")
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> TestResponse {
    send(
        app.post("/api/v1/auth/password-reset/confirm")
            .json(&json!({ "token": token, "newPassword": password })),
    )
    .await
}

#[tokio::test]
async fn reset_tokens_are_single_use_superseded_by_newer_ones_and_expire() {
    let app = spawn_app().await;
    let email = "reset@canada.ca";
    register(&app, email).await;

    let older = reset_token(&app, email, 1).await;
    let newer = reset_token(&app, email, 2).await;

    let superseded = confirm(&app, &older, NEW_PASSWORD).await;
    let body = assert_problem(
        &superseded,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(body["errors"][0]["code"], "invalid_or_expired_token");
    assert_eq!(
        confirm(&app, &newer, NEW_PASSWORD).await.status,
        StatusCode::NO_CONTENT
    );
    assert_problem(
        &confirm(&app, &newer, "Yet-Another-Password-9").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    json_ok(&login(&app, email, NEW_PASSWORD).await, StatusCode::OK);

    // An expired token is refused even if unused.
    let expiring = reset_token(&app, email, 3).await;
    let row = password_resets::Entity::find()
        .filter(password_resets::Column::Token.eq(service::auth::tokens::hash_secret(&expiring)))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("row");
    let mut row: password_resets::ActiveModel = row.into();
    row.expires_at = Set(Utc::now() - chrono::Duration::minutes(1));
    row.update(&app.db.conn).await.expect("expire");
    assert_problem(
        &confirm(&app, &expiring, "Expired-Token-Password-1").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    json_ok(&login(&app, email, NEW_PASSWORD).await, StatusCode::OK);
}

#[tokio::test]
async fn mailed_links_open_the_web_application_at_app_base_url() {
    let app = spawn_app_with(&[("APP_BASE_URL", "https://app.rusingacademy.ca/")]).await;
    register(&app, "lea@canada.ca").await;
    let requested = send(
        app.post("/api/v1/auth/password-reset")
            .json(&json!({ "email": "lea@canada.ca" })),
    )
    .await;
    assert_eq!(requested.status, StatusCode::ACCEPTED);

    let mails = app.mails_to("lea@canada.ca", 2).await;
    assert!(
        mails
            .iter()
            .any(|m| m.contains("https://app.rusingacademy.ca/verify-email?token=")),
        "{mails:?}"
    );
    assert!(
        mails
            .iter()
            .any(|m| m.contains("https://app.rusingacademy.ca/reset-password?token=")),
        "{mails:?}"
    );
}
