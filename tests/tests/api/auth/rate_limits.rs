//! Rate limits: per-account login attempts, and the configured limits of login, reset and
//! registration.

use entity::users::users;
use reqwest::StatusCode;
use rusing_academy_tests::app::*;
use rusing_academy_tests::users::PASSWORD;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use super::{login, register, user_by_email};

#[tokio::test]
async fn the_sixth_login_attempt_in_a_minute_is_rate_limited_per_account() {
    let app = spawn_app().await;
    register(&app, "target@canada.ca").await;

    for _ in 0..5 {
        assert_problem(
            &login(&app, "target@canada.ca", "Wrong-Password-000").await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        );
    }
    let limited = login(&app, "target@canada.ca", PASSWORD).await;

    assert_problem(&limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let retry: u64 = limited
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry));
    assert!(
        user_by_email(&app, "target@canada.ca")
            .await
            .last_login_at
            .is_none(),
        "the limited attempt never reached the password check"
    );
}

#[tokio::test]
async fn rate_limits_follow_configuration_for_login_reset_and_registration() {
    let app = spawn_app_with(&[
        ("RATE_LIMIT_LOGIN_PER_MINUTE", "2"),
        ("RATE_LIMIT_RESET_PER_HOUR", "1"),
        ("RATE_LIMIT_REGISTER_PER_HOUR", "1"),
    ])
    .await;

    let logins = [
        login(&app, "a@canada.ca", PASSWORD).await,
        login(&app, "b@canada.ca", PASSWORD).await,
        login(&app, "c@canada.ca", PASSWORD).await,
    ];
    let resets = [
        send(
            app.post("/api/v1/auth/password-reset")
                .json(&json!({ "email": "x@canada.ca" })),
        )
        .await,
        send(
            app.post("/api/v1/auth/password-reset")
                .json(&json!({ "email": "x@canada.ca" })),
        )
        .await,
    ];
    let first = send(app.post("/api/v1/auth/register").json(&json!({ "email": "one@canada.ca", "password": PASSWORD, "firstName": "A", "lastName": "B" }))).await;
    let second = send(app.post("/api/v1/auth/register").json(&json!({ "email": "two@canada.ca", "password": PASSWORD, "firstName": "A", "lastName": "B" }))).await;

    assert_eq!(logins[1].status, StatusCode::UNAUTHORIZED);
    assert_problem(&logins[2], StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(resets[0].status, StatusCode::ACCEPTED);
    assert_problem(&resets[1], StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(first.status, StatusCode::CREATED);
    assert_problem(&second, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(
        users::Entity::find()
            .filter(users::Column::Email.eq("two@canada.ca"))
            .count(&app.db.conn)
            .await
            .expect("count"),
        0
    );
}
