//! Rate limits: per-account login attempts, and the configured limits of login, reset and
//! registration; the client address behind trusted proxies (`TRUSTED_PROXIES`), which keys the
//! per-address limits and is what sessions and the audit log record.

use entity::auth::{audit_logs, refresh_tokens};
use entity::users::users;
use reqwest::StatusCode;
use rusing_academy_tests::app::*;
use rusing_academy_tests::users::PASSWORD;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use super::{login, register, user_by_email};

/// A login sent with `X-Forwarded-For: <forwarded_for>`.
async fn login_via(
    app: &TestApp,
    forwarded_for: &str,
    email: &str,
    password: &str,
) -> TestResponse {
    send(
        app.post("/api/v1/auth/login")
            .header("x-forwarded-for", forwarded_for)
            .json(&json!({ "email": email, "password": password })),
    )
    .await
}

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

#[tokio::test]
async fn a_forged_x_forwarded_for_does_not_escape_the_per_address_login_limit() {
    // Unset, or set to proxies the caller (127.0.0.1) is not: the header is ignored.
    for trusted in ["", "10.0.0.0/8, fd00::/8"] {
        let app = spawn_app_with(&[
            ("RATE_LIMIT_LOGIN_PER_MINUTE", "2"),
            ("TRUSTED_PROXIES", trusted),
        ])
        .await;
        register(&app, "target@canada.ca").await;

        let first = login_via(&app, "198.51.100.1", "a@canada.ca", PASSWORD).await;
        let second = login_via(&app, "198.51.100.2", "b@canada.ca", PASSWORD).await;
        let third = login_via(&app, "198.51.100.3", "target@canada.ca", PASSWORD).await;

        assert_problem(&first, StatusCode::UNAUTHORIZED, "invalid_credentials");
        assert_problem(&second, StatusCode::UNAUTHORIZED, "invalid_credentials");
        assert_problem(&third, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
        assert!(
            user_by_email(&app, "target@canada.ca")
                .await
                .last_login_at
                .is_none(),
            "TRUSTED_PROXIES={trusted:?}: the limited attempt never reached the password check"
        );
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_login_limit() {
    let app = spawn_app_with(&[
        ("RATE_LIMIT_LOGIN_PER_MINUTE", "2"),
        ("TRUSTED_PROXIES", "127.0.0.1"),
    ])
    .await;
    register(&app, "target@canada.ca").await;

    let a = [
        login_via(&app, "198.51.100.1", "a@canada.ca", PASSWORD).await,
        login_via(&app, "198.51.100.1", "b@canada.ca", PASSWORD).await,
        // Prepending another address does not help: the proxy appended the real one.
        login_via(&app, "203.0.113.50, 198.51.100.1", "c@canada.ca", PASSWORD).await,
    ];
    let b = login_via(
        &app,
        "203.0.113.50, 198.51.100.2",
        "target@canada.ca",
        PASSWORD,
    )
    .await;

    assert_problem(&a[0], StatusCode::UNAUTHORIZED, "invalid_credentials");
    assert_problem(&a[1], StatusCode::UNAUTHORIZED, "invalid_credentials");
    assert_problem(&a[2], StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(b.status, StatusCode::OK, "{}", b.text());
    let user = user_by_email(&app, "target@canada.ca").await;
    assert!(user.last_login_at.is_some());
    let from_b = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::UserId.eq(user.id))
        .filter(refresh_tokens::Column::Ip.eq("198.51.100.2"))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(from_b, 1, "the session records the forwarded client");
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_audit_log_records_the_forwarded_client() {
    let app = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.0/8")]).await;
    let token = register(&app, "target@canada.ca").await["refreshToken"]
        .as_str()
        .expect("refresh token")
        .to_owned();
    let refresh = || {
        send(
            app.post("/api/v1/auth/refresh")
                .header("x-forwarded-for", "2001:db8::7, 127.0.0.1")
                .json(&json!({ "refreshToken": token })),
        )
    };

    let first = refresh().await;
    let reused = refresh().await;

    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    assert_problem(&reused, StatusCode::UNAUTHORIZED, "refresh_token_reused");
    let audit = audit_logs::Entity::find()
        .filter(audit_logs::Column::Action.eq("auth.refresh_token_reused"))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("audit row");
    assert_eq!(audit.ip.as_deref(), Some("2001:db8::7"));
}
