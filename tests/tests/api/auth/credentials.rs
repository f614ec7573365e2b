//! Every credential-ending event ends every credential kind: after a password reset, a
//! suspension, a role change or a deletion, the account's access token, refresh token and API key
//! all answer 401 (the bootstrap's takeover is in `admin::bootstrap`).

use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use super::{NEW_PASSWORD, register, user_by_email};

/// The three credentials an account can hold.
struct Credentials {
    access_token: String,
    refresh_token: String,
    api_key: String,
}

async fn credentials_of(app: &TestApp, email: &str) -> Credentials {
    let session = register(app, email).await;
    let access_token = session["accessToken"].as_str().expect("access").to_owned();
    let key = send(
        app.post("/api/v1/api-keys")
            .bearer_auth(&access_token)
            .json(&json!({"name": "Export", "scopes": ["profile:read"]})),
    )
    .await;
    let key = json_ok(&key, StatusCode::CREATED);
    Credentials {
        access_token,
        refresh_token: session["refreshToken"]
            .as_str()
            .expect("refresh")
            .to_owned(),
        api_key: key["key"].as_str().expect("key").to_owned(),
    }
}

/// The status each credential gets now: (access token, refresh token, API key).
async fn statuses(app: &TestApp, credentials: &Credentials) -> [StatusCode; 3] {
    let access = send(
        app.get("/api/v1/users/me")
            .bearer_auth(&credentials.access_token),
    )
    .await;
    let refresh = send(
        app.post("/api/v1/auth/refresh")
            .json(&json!({"refreshToken": credentials.refresh_token})),
    )
    .await;
    let key = send(
        app.get("/api/v1/users/me/export")
            .header("authorization", format!("ApiKey {}", credentials.api_key)),
    )
    .await;
    [access.status, refresh.status, key.status]
}

/// The reset mail sent to `email` (the queue may hold other mails for it, sent in any order; a
/// mail job that failed on a loaded machine is retried by making its retry due).
async fn reset_mail(app: &TestApp, email: &str) -> String {
    for attempt in 0..5 {
        if attempt > 0 {
            app.run_due_jobs_at(service::now() + chrono::Duration::hours(1))
                .await;
        }
        if let Some(mail) = app
            .mails_to(email, 1)
            .await
            .into_iter()
            .find(|m| m.contains("reset-password"))
        {
            return mail;
        }
    }
    panic!("no reset mail to {email}")
}

async fn reset_password(app: &TestApp, email: &str) {
    let sent = send(
        app.post("/api/v1/auth/password-reset")
            .json(&json!({ "email": email })),
    )
    .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED);
    let mail = reset_mail(app, email).await;
    let confirmed = send(
        app.post("/api/v1/auth/password-reset/confirm")
            .json(&json!({ "token": token_in(&mail), "newPassword": NEW_PASSWORD })),
    )
    .await;
    assert_eq!(
        confirmed.status,
        StatusCode::NO_CONTENT,
        "{}",
        confirmed.text()
    );
}

async fn admin_patch(app: &TestApp, email: &str, body: Value) {
    let user = user_by_email(app, email).await;
    let response = send(
        app.request_as(
            &app.users.admin,
            Method::PATCH,
            &format!("/api/v1/admin/users/{}", user.id),
        )
        .json(&body),
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
}

#[tokio::test]
async fn every_credential_ending_event_ends_every_credential_kind() {
    let app = spawn_app().await;
    let unauthorized = [StatusCode::UNAUTHORIZED; 3];

    let ok = credentials_of(&app, "control@canada.ca").await;
    assert_eq!(
        statuses(&app, &ok).await[0],
        StatusCode::OK,
        "credentials work until an event ends them"
    );

    for (event, email) in [
        ("password reset", "reset@canada.ca"),
        ("suspension", "suspended@canada.ca"),
        ("role change", "promoted@canada.ca"),
        ("deletion", "deleted@canada.ca"),
    ] {
        let credentials = credentials_of(&app, email).await;
        let id = user_by_email(&app, email).await.id;
        match event {
            "password reset" => reset_password(&app, email).await,
            "suspension" => admin_patch(&app, email, json!({"status": "suspended"})).await,
            "role change" => admin_patch(&app, email, json!({"role": "coach"})).await,
            _ => {
                let deleted = send(
                    app.request(Method::DELETE, "/api/v1/users/me")
                        .bearer_auth(&credentials.access_token),
                )
                .await;
                assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text());
            }
        }
        assert_eq!(statuses(&app, &credentials).await, unauthorized, "{event}");
        let user = entity::users::users::Entity::find_by_id(id)
            .one(&app.db.conn)
            .await
            .expect("query")
            .expect("row");
        assert!(user.credential_version > 0, "{event}: version moved on");
    }

    // The untouched account was not affected by the others' events.
    let [access, _, key] = statuses(&app, &ok).await;
    assert_eq!((access, key), (StatusCode::OK, StatusCode::OK));
}

#[tokio::test]
async fn after_a_password_reset_the_new_password_gives_working_credentials() {
    let app = spawn_app().await;
    let old = credentials_of(&app, "again@canada.ca").await;
    reset_password(&app, "again@canada.ca").await;
    let login = send(
        app.post("/api/v1/auth/login")
            .json(&json!({ "email": "again@canada.ca", "password": NEW_PASSWORD })),
    )
    .await;
    let session = json_ok(&login, StatusCode::OK);
    let me = send(
        app.get("/api/v1/users/me")
            .bearer_auth(session["accessToken"].as_str().expect("token")),
    )
    .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(statuses(&app, &old).await, [StatusCode::UNAUTHORIZED; 3]);
}

#[tokio::test]
async fn a_reset_link_mailed_before_a_credential_ending_event_no_longer_works() {
    let app = spawn_app().await;
    let email = "link@canada.ca";
    register(&app, email).await;
    let sent = send(
        app.post("/api/v1/auth/password-reset")
            .json(&json!({ "email": email })),
    )
    .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED);
    let mail = reset_mail(&app, email).await;
    admin_patch(&app, email, json!({"role": "coach"})).await;
    let confirmed = send(
        app.post("/api/v1/auth/password-reset/confirm")
            .json(&json!({ "token": token_in(&mail), "newPassword": NEW_PASSWORD })),
    )
    .await;
    assert_eq!(
        confirmed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        confirmed.text()
    );
}

#[tokio::test]
async fn a_deleted_account_cannot_be_revived_by_an_administrator() {
    let app = spawn_app().await;
    let credentials = credentials_of(&app, "gone@canada.ca").await;
    let id = user_by_email(&app, "gone@canada.ca").await.id;
    let deleted = send(
        app.request(Method::DELETE, "/api/v1/users/me")
            .bearer_auth(&credentials.access_token),
    )
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let revived = send(
        app.request_as(
            &app.users.admin,
            Method::PATCH,
            &format!("/api/v1/admin/users/{id}"),
        )
        .json(&json!({"status": "active"})),
    )
    .await;
    let problem = assert_problem(
        &revived,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(problem["errors"][0]["code"], "not_allowed");
    let user = entity::users::users::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("row");
    assert_eq!(user.status, entity::enums::UserStatus::Deleted);
}
