//! Accounts and security: the whole sign-in life cycle, the JWT negative suite, refresh-token
//! rotation and reuse, password reset by mail, enumeration resistance, rate limits.

use base64::Engine as _;
use chrono::Utc;
use entity::auth::{audit_logs, email_verifications, password_resets, refresh_tokens};
use entity::enums::{UserRole, UserStatus};
use entity::users::users;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::StatusCode;
use rusing_academy_tests::app::*;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

const PASSWORD: &str = "Oral-Interaction-B-2027";
const NEW_PASSWORD: &str = "Written-Expression-C-2028";

async fn register(app: &TestApp, email: &str) -> Value {
    let response = send(app.post("/api/v1/auth/register").json(&json!({
        "email": email, "password": PASSWORD, "firstName": "Marie", "lastName": "Tremblay", "language": "fr"
    })))
    .await;
    json_ok(&response, StatusCode::CREATED)
}

async fn login(app: &TestApp, email: &str, password: &str) -> TestResponse {
    send(
        app.post("/api/v1/auth/login")
            .json(&json!({ "email": email, "password": password })),
    )
    .await
}

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

async fn user_by_email(app: &TestApp, email: &str) -> users::Model {
    users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("user exists")
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
    let registered = register(&app, " Marie.Tremblay@Canada.CA ").await;
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
        "iat": now, "nbf": now, "exp": now + 900
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

#[tokio::test]
async fn token_responses_are_never_cached_and_api_keys_cannot_manage_keys() {
    let app = spawn_app().await;
    let registered = send(app.post("/api/v1/auth/register").json(&json!({
        "email": "cache@canada.ca", "password": PASSWORD, "firstName": "A", "lastName": "B"
    })))
    .await;
    let created = json_ok(
        &send(
            app.request_as(&app.users.admin, reqwest::Method::POST, "/api/v1/api-keys")
                .json(&json!({ "name": "sync", "scopes": ["users:read"] })),
        )
        .await,
        StatusCode::CREATED,
    );
    let key = created["key"].as_str().expect("key");

    let listed = send(
        app.get("/api/v1/api-keys")
            .header("authorization", format!("ApiKey {key}")),
    )
    .await;
    let revoked = send(
        app.request(
            reqwest::Method::DELETE,
            &format!("/api/v1/api-keys/{}", created["id"]),
        )
        .header("authorization", format!("ApiKey {key}")),
    )
    .await;

    assert_eq!(registered.status, StatusCode::CREATED);
    assert_eq!(
        registered.header("cache-control").as_deref(),
        Some("no-store")
    );
    assert_problem(&listed, StatusCode::FORBIDDEN, "api_key_cannot_create_keys");
    assert_problem(
        &revoked,
        StatusCode::FORBIDDEN,
        "api_key_cannot_create_keys",
    );
    let stored = entity::auth::api_keys::Entity::find()
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("key row");
    assert!(stored.revoked_at.is_none());
}
