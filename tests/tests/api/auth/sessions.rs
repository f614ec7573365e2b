//! Sessions: the sign-in life cycle, the JWT negative suite, refresh rotation and races, login
//! enumeration resistance, registration rules, suspended and demoted accounts.

use base64::Engine as _;
use chrono::Utc;
use entity::auth::{audit_logs, email_verifications, password_resets, refresh_tokens};
use entity::enums::{UserRole, UserStatus};
use entity::users::users;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::StatusCode;
use rusing_academy_tests::app::*;
use rusing_academy_tests::users::PASSWORD;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

use super::{NEW_PASSWORD, login, register, user_by_email};

async fn refresh(app: &TestApp, token: &str) -> TestResponse {
    send(
        app.post("/api/v1/auth/refresh")
            .json(&json!({ "refreshToken": token })),
    )
    .await
}

async fn me(app: &TestApp, access: &str) -> TestResponse {
    send(app.get("/api/v1/users/me").bearer_auth(access)).await
}

/// Every secret-derived value stored in the database.
async fn stored_secrets(app: &TestApp) -> Vec<String> {
    let db = &app.db.conn;
    let mut secrets: Vec<String> = users::Entity::find()
        .all(db)
        .await
        .expect("users")
        .into_iter()
        .map(|u| u.password.expose().to_owned())
        .collect();
    secrets.extend(
        refresh_tokens::Entity::find()
            .all(db)
            .await
            .expect("tokens")
            .into_iter()
            .map(|t| t.token_hash.expose().to_owned()),
    );
    secrets.extend(
        password_resets::Entity::find()
            .all(db)
            .await
            .expect("resets")
            .into_iter()
            .map(|t| t.token.expose().to_owned()),
    );
    secrets.extend(
        email_verifications::Entity::find()
            .all(db)
            .await
            .expect("verifications")
            .into_iter()
            .map(|t| t.token.expose().to_owned()),
    );
    secrets
}

#[tokio::test]
async fn the_account_life_cycle_from_registration_to_a_reset_password() {
    let app = spawn_app().await;
    let email = "marie.tremblay@canada.ca";

    // Register: a learner, signed in, with an argon2id hash and a verification mail.
    let registered = register(&app, "Marie.Tremblay@Canada.CA").await;
    assert_eq!(registered["user"]["email"], email);
    assert_eq!(registered["user"]["role"], "learner");
    assert_eq!(registered["user"]["emailVerified"], false);
    assert_eq!(registered["tokenType"], "Bearer");
    assert_eq!(registered["expiresIn"], 900);
    let stored = user_by_email(&app, email).await;
    assert!(
        stored
            .password
            .expose()
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
    );

    // Verify the address with the token from the (French) mail.
    let mail = app.mails_to(email, 1).await.remove(0);
    assert!(mail.contains("Confirmez votre adresse courriel"), "{mail}");
    let verified = send(
        app.post("/api/v1/auth/verify-email")
            .json(&json!({ "token": token_in(&mail) })),
    )
    .await;
    assert_eq!(verified.status, StatusCode::NO_CONTENT);
    let again = send(
        app.post("/api/v1/auth/verify-email")
            .json(&json!({ "token": token_in(&mail) })),
    )
    .await;
    assert_problem(
        &again,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );

    // Log in and read "me".
    let session = json_ok(&login(&app, email, PASSWORD).await, StatusCode::OK);
    let access = session["accessToken"].as_str().expect("access token");
    let profile = json_ok(&me(&app, access).await, StatusCode::OK);
    let mut keys: Vec<&str> = profile
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "createdAt",
            "email",
            "emailVerified",
            "firstName",
            "id",
            "language",
            "lastName",
            "role",
            "status"
        ]
    );
    assert_eq!(profile["emailVerified"], true);

    // Refresh rotates; presenting the old token again revokes the whole family.
    let first = session["refreshToken"]
        .as_str()
        .expect("refresh token")
        .to_owned();
    let rotated = json_ok(&refresh(&app, &first).await, StatusCode::OK);
    let second = rotated["refreshToken"]
        .as_str()
        .expect("rotated")
        .to_owned();
    assert_ne!(first, second);
    assert_problem(
        &refresh(&app, &first).await,
        StatusCode::UNAUTHORIZED,
        "refresh_token_reused",
    );
    assert_problem(
        &refresh(&app, &second).await,
        StatusCode::UNAUTHORIZED,
        "invalid_refresh_token",
    );
    let family_live = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::UserId.eq(stored.id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(
        family_live, 1,
        "only the registration session is still live"
    );
    let reuse_audits = audit_logs::Entity::find()
        .filter(audit_logs::Column::Action.eq("auth.refresh_token_reused"))
        .filter(audit_logs::Column::ActorId.eq(stored.id))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(reuse_audits, 1);

    // Logout revokes.
    let third = json_ok(&login(&app, email, PASSWORD).await, StatusCode::OK)["refreshToken"]
        .as_str()
        .expect("token")
        .to_owned();
    let logout = send(
        app.post("/api/v1/auth/logout")
            .json(&json!({ "refreshToken": third })),
    )
    .await;
    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    assert_problem(
        &refresh(&app, &third).await,
        StatusCode::UNAUTHORIZED,
        "invalid_refresh_token",
    );

    // Password reset through the outbox; it signs every session out.
    let live_session = registered["refreshToken"]
        .as_str()
        .expect("registration token")
        .to_owned();
    let requested = send(
        app.post("/api/v1/auth/password-reset")
            .json(&json!({ "email": email })),
    )
    .await;
    assert_eq!(requested.status, StatusCode::ACCEPTED);
    let reset_mail = app
        .mails_to(email, 2)
        .await
        .into_iter()
        .find(|m| m.contains("reset-password"))
        .expect("reset mail");
    assert!(
        reset_mail.contains("Bonjour Marie"),
        "French template for a French user: {reset_mail}"
    );
    let confirmed = send(
        app.post("/api/v1/auth/password-reset/confirm")
            .json(&json!({ "token": token_in(&reset_mail), "newPassword": NEW_PASSWORD })),
    )
    .await;
    assert_eq!(confirmed.status, StatusCode::NO_CONTENT);
    assert_problem(
        &refresh(&app, &live_session).await,
        StatusCode::UNAUTHORIZED,
        "invalid_refresh_token",
    );
    assert_problem(
        &login(&app, email, PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    );
    json_ok(&login(&app, email, NEW_PASSWORD).await, StatusCode::OK);

    // No response of the whole walk carried a stored hash.
    assert_no_response_contains(&stored_secrets(&app).await);
}

fn b64(value: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

fn kid() -> String {
    service::auth::tokens::JwtKeys::new(
        TEST_JWT_SECRET.as_bytes(),
        std::time::Duration::from_secs(900),
    )
    .kid()
    .to_owned()
}

fn sign(claims: &Value, secret: &str, kid: Option<String>) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = kid;
    encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

fn claims(user_id: i64, overrides: Value) -> Value {
    let now = Utc::now().timestamp();
    let mut claims = json!({
        "sub": user_id.to_string(), "role": "learner", "typ": "access",
        "iss": "rusing-academy", "aud": "rusing-academy-api",
        "iat": now, "nbf": now, "exp": now + 900, "ver": 0
    });
    if let (Some(target), Some(extra)) = (claims.as_object_mut(), overrides.as_object()) {
        for (key, value) in extra {
            if value.is_null() {
                target.remove(key);
            } else {
                target.insert(key.clone(), value.clone());
            }
        }
    }
    claims
}

#[tokio::test]
async fn forged_expired_or_misused_tokens_are_refused() {
    let app = spawn_app().await;
    let learner = app.users.learner.clone();
    let id = learner.id;
    let now = Utc::now().timestamp();
    let good = sign(&claims(id, json!({})), TEST_JWT_SECRET, Some(kid()));
    let (_, payload_and_signature) = good.split_once('.').expect("jwt");
    let (_, signature) = payload_and_signature.split_once('.').expect("jwt");
    let admin_payload = b64(&claims(
        id,
        json!({ "role": "admin", "sub": app.users.admin.id.to_string() }),
    ));
    let registered = register(&app, "refresh.user@canada.ca").await;
    let refresh_token = registered["refreshToken"]
        .as_str()
        .expect("refresh")
        .to_owned();
    let suspended = register(&app, "suspended.user@canada.ca").await;
    let suspended_access = suspended["accessToken"]
        .as_str()
        .expect("access")
        .to_owned();
    let mut row: users::ActiveModel = user_by_email(&app, "suspended.user@canada.ca").await.into();
    row.status = Set(UserStatus::Suspended);
    row.update(&app.db.conn).await.expect("suspend");

    let cases: Vec<(&str, String, &str)> = vec![
        (
            "alg none",
            format!(
                "{}.{}.",
                b64(&json!({"alg": "none", "typ": "JWT", "kid": kid()})),
                b64(&claims(id, json!({})))
            ),
            "invalid_token",
        ),
        (
            "wrong key",
            sign(
                &claims(id, json!({})),
                "another-secret-another-secret-another",
                Some(kid()),
            ),
            "invalid_token",
        ),
        (
            "expired",
            sign(
                &claims(
                    id,
                    json!({ "iat": now - 3600, "nbf": now - 3600, "exp": now - 120 }),
                ),
                TEST_JWT_SECRET,
                Some(kid()),
            ),
            "token_expired",
        ),
        (
            "nbf in the future",
            sign(
                &claims(id, json!({ "nbf": now + 600 })),
                TEST_JWT_SECRET,
                Some(kid()),
            ),
            "invalid_token",
        ),
        (
            "wrong iss",
            sign(
                &claims(id, json!({ "iss": "someone-else" })),
                TEST_JWT_SECRET,
                Some(kid()),
            ),
            "invalid_token",
        ),
        (
            "wrong aud",
            sign(
                &claims(id, json!({ "aud": "another-api" })),
                TEST_JWT_SECRET,
                Some(kid()),
            ),
            "invalid_token",
        ),
        (
            "tampered payload",
            format!(
                "{}.{admin_payload}.{signature}",
                good.split('.').next().expect("header")
            ),
            "invalid_token",
        ),
        (
            "missing exp",
            sign(
                &claims(id, json!({ "exp": null })),
                TEST_JWT_SECRET,
                Some(kid()),
            ),
            "invalid_token",
        ),
        (
            "missing kid",
            sign(&claims(id, json!({})), TEST_JWT_SECRET, None),
            "invalid_token",
        ),
        (
            "not an access token",
            sign(
                &claims(id, json!({ "typ": "refresh" })),
                TEST_JWT_SECRET,
                Some(kid()),
            ),
            "invalid_token",
        ),
        (
            "refresh token as access token",
            refresh_token,
            "invalid_token",
        ),
        ("garbage", "not.a.jwt".to_owned(), "invalid_token"),
        (
            "no credential version",
            sign(
                &claims(id, json!({ "ver": null })),
                TEST_JWT_SECRET,
                Some(kid()),
            ),
            "invalid_token",
        ),
        (
            "an older credential version",
            sign(
                &claims(id, json!({ "ver": -1 })),
                TEST_JWT_SECRET,
                Some(kid()),
            ),
            "invalid_token",
        ),
        ("suspended user", suspended_access, "account_inactive"),
    ];

    for (name, token, code) in &cases {
        let response = me(&app, token).await;
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "{name}: {}",
            response.text()
        );
        assert_eq!(response.json()["code"], *code, "{name}");
        assert!(response.header("www-authenticate").is_some(), "{name}");
    }
    // The well-formed token works, so the refusals above are about what was changed.
    assert_eq!(json_ok(&me(&app, &good).await, StatusCode::OK)["id"], id);
    let basic = send(
        app.get("/api/v1/users/me")
            .header("authorization", "Basic dXNlcjpwYXNz"),
    )
    .await;
    assert_problem(
        &basic,
        StatusCode::UNAUTHORIZED,
        "unsupported_authorization_scheme",
    );
}

#[tokio::test]
async fn a_refresh_token_raced_twice_rotates_exactly_once() {
    let app = spawn_app().await;
    let registered = register(&app, "racer@canada.ca").await;
    let token = registered["refreshToken"]
        .as_str()
        .expect("refresh")
        .to_owned();

    let (a, b) = tokio::join!(refresh(&app, &token), refresh(&app, &token));

    let statuses = [a.status, b.status];
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}: {} / {}",
        a.text(),
        b.text()
    );
    assert!(statuses.contains(&StatusCode::UNAUTHORIZED));
}

#[tokio::test]
async fn login_answers_identically_for_unknown_emails_and_wrong_passwords() {
    let app = spawn_app().await;
    register(&app, "known@canada.ca").await;

    let unknown = login(&app, "nobody@canada.ca", PASSWORD).await;
    let wrong = login(&app, "known@canada.ca", "Not-The-Password-123").await;

    assert_problem(&unknown, StatusCode::UNAUTHORIZED, "invalid_credentials");
    assert_eq!(unknown.json(), wrong.json());
    assert_eq!(unknown.status, wrong.status);
    assert!(
        user_by_email(&app, "known@canada.ca")
            .await
            .last_login_at
            .is_none()
    );
}

#[tokio::test]
async fn registration_refuses_taken_emails_weak_passwords_and_privileged_fields() {
    let app = spawn_app().await;
    register(&app, "taken@canada.ca").await;
    let attempt = |body: Value| send(app.post("/api/v1/auth/register").json(&body));

    let taken = attempt(json!({ "email": "TAKEN@canada.ca", "password": PASSWORD, "firstName": "A", "lastName": "B" })).await;
    let short = attempt(json!({ "email": "short@canada.ca", "password": "short", "firstName": "A", "lastName": "B" })).await;
    let common = attempt(json!({ "email": "common@canada.ca", "password": "Password123", "firstName": "A", "lastName": "B" })).await;
    let admin = attempt(json!({ "email": "root@canada.ca", "password": PASSWORD, "firstName": "A", "lastName": "B", "role": "admin" })).await;
    let malformed = send(
        app.post("/api/v1/auth/register")
            .header("content-type", "application/json")
            .body("{\"email\": "),
    )
    .await;

    assert_problem(&taken, StatusCode::CONFLICT, "email_taken");
    assert_eq!(
        assert_problem(
            &short,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed"
        )["errors"][0]["code"],
        "too_short"
    );
    assert_eq!(
        assert_problem(
            &common,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed"
        )["errors"][0]["code"],
        "too_common"
    );
    assert_problem(
        &admin,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_problem(&malformed, StatusCode::BAD_REQUEST, "malformed_json");
    let users_now = users::Entity::find()
        .filter(users::Column::Email.is_in([
            "short@canada.ca",
            "common@canada.ca",
            "root@canada.ca",
        ]))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(users_now, 0);
    assert_eq!(
        users::Entity::find()
            .filter(users::Column::Role.eq(UserRole::Admin))
            .count(&app.db.conn)
            .await
            .expect("count"),
        1
    );
}

#[tokio::test]
async fn a_suspended_account_cannot_log_in_and_a_deleted_one_is_unknown() {
    let app = spawn_app().await;
    register(&app, "paused@canada.ca").await;
    let mut row: users::ActiveModel = user_by_email(&app, "paused@canada.ca").await.into();
    row.status = Set(UserStatus::Suspended);
    row.update(&app.db.conn).await.expect("suspend");

    assert_problem(
        &login(&app, "paused@canada.ca", PASSWORD).await,
        StatusCode::FORBIDDEN,
        "account_suspended",
    );
    assert_problem(
        &login(&app, "paused@canada.ca", "Wrong-Password-000").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    );
}

#[tokio::test]
async fn a_demoted_admin_loses_admin_access_at_the_next_request() {
    let app = spawn_app().await;
    let second_admin =
        rusing_academy_tests::fixtures::db_user(&app.db.conn, "admin2@canada.ca", UserRole::Admin)
            .await;
    let token = app.token_for(&second_admin);
    assert_eq!(
        send(app.get("/api/v1/admin/users").bearer_auth(&token))
            .await
            .status,
        StatusCode::OK
    );

    let mut row: users::ActiveModel = second_admin.into();
    row.role = Set(UserRole::Learner);
    row.update(&app.db.conn).await.expect("demote");

    assert_problem(
        &send(app.get("/api/v1/admin/users").bearer_auth(&token)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
}
