//! One's own account: `/users/me`, the profile, the data export and account deletion.

use std::collections::BTreeSet;

use entity::auth::{api_keys, email_verifications, refresh_tokens};
use entity::enums::{Language, PaymentPurpose, TargetLanguage, UserStatus};
use entity::payments::payments;
use entity::users::user_profiles;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use rusing_academy_tests::users::{PASSWORD, user_row};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

/// Registers a learner through the API (a real password, a refresh token, a verification
/// e-mail) and returns `{user, accessToken, refreshToken, ...}`.
async fn register(app: &TestApp, email: &str, first_name: &str, last_name: &str) -> Value {
    let response = send(app.post("/api/v1/auth/register").json(&json!({
        "email": email,
        "password": PASSWORD,
        "firstName": first_name,
        "lastName": last_name,
    })))
    .await;
    json_ok(&response, StatusCode::CREATED)
}

/// Every object key anywhere in `value`.
fn all_keys(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                out.insert(key.clone());
                all_keys(inner, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|inner| all_keys(inner, out)),
        _ => {}
    }
}

fn ids_in(export: &Value, table: &str) -> BTreeSet<i64> {
    export[table]
        .as_array()
        .unwrap_or_else(|| panic!("export has a `{table}` array: {export}"))
        .iter()
        .map(|row| row["id"].as_i64().expect("every row has an id"))
        .collect()
}

#[tokio::test]
async fn get_me_returns_exactly_the_public_fields_of_the_caller() {
    let app = spawn_app().await;
    let learner = &app.users.learner;

    let response = send(app.request_as(learner, Method::GET, "/api/v1/users/me")).await;

    let body = json_ok(&response, StatusCode::OK);
    let expected: BTreeSet<String> = [
        "id",
        "email",
        "firstName",
        "lastName",
        "role",
        "language",
        "emailVerified",
        "status",
        "createdAt",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(keys_of(&body), expected, "{body}");
    assert_eq!(body["id"], learner.id);
    assert_eq!(body["email"], "learner@example.gc.ca");
    assert_eq!(body["firstName"], "Test");
    assert_eq!(body["lastName"], "User");
    assert_eq!(body["role"], "learner");
    assert_eq!(body["language"], "en");
    assert_eq!(body["emailVerified"], true);
    assert_eq!(body["status"], "active");
    assert!(!response.text().contains("!unusable"), "{body}");
}

#[tokio::test]
async fn patch_me_changes_names_and_language() {
    let app = spawn_app().await;
    let learner = &app.users.learner;

    let response = send(
        app.request_as(learner, Method::PATCH, "/api/v1/users/me")
            .json(&json!({"firstName": " Marie ", "lastName": "Tremblay", "language": "fr"})),
    )
    .await;

    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(body["firstName"], "Marie");
    assert_eq!(body["lastName"], "Tremblay");
    assert_eq!(body["language"], "fr");
    let row = user_row(&app, learner.id).await;
    assert_eq!(row.first_name, "Marie");
    assert_eq!(row.last_name, "Tremblay");
    assert_eq!(row.language, Language::Fr);
    assert_eq!(row.email, learner.email, "the e-mail is not touched");
    assert_eq!(row.role, learner.role, "the role is not touched");
}

#[tokio::test]
async fn patch_me_refuses_role_status_or_email_and_leaves_the_row_unchanged() {
    let app = spawn_app().await;
    let learner = &app.users.learner;
    let before = user_row(&app, learner.id).await;
    let bodies = [
        json!({"role": "admin"}),
        json!({"status": "suspended"}),
        json!({"email": "someone.else@example.gc.ca"}),
        json!({"firstName": "Eve", "role": "admin"}),
        json!({"lastName": "Mallory", "status": "active", "email": "x@example.gc.ca"}),
        json!({"emailVerifiedAt": "2020-01-01T00:00:00Z"}),
        json!({"password": "Another-Long-Password-1"}),
    ];

    for body in bodies {
        let response = send(
            app.request_as(learner, Method::PATCH, "/api/v1/users/me")
                .json(&body),
        )
        .await;

        assert_problem(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(
            user_row(&app, learner.id).await,
            before,
            "the row changed after {body}"
        );
    }
}

#[tokio::test]
async fn the_profile_has_defaults_until_one_is_saved() {
    let app = spawn_app().await;

    let response =
        send(app.request_as(&app.users.learner, Method::GET, "/api/v1/users/me/profile")).await;

    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(body["timezone"], "America/Toronto");
    for field in [
        "bio",
        "avatar",
        "phone",
        "department",
        "position",
        "targetLanguage",
    ] {
        assert!(body[field].is_null(), "{field} defaults to null: {body}");
    }
    let saved = user_profiles::Entity::find()
        .filter(user_profiles::Column::UserId.eq(app.users.learner.id))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(saved, 0, "reading the defaults creates no row");
}

#[tokio::test]
async fn put_profile_saves_one_row_in_user_profiles_and_replaces_it_on_the_next_put() {
    let app = spawn_app().await;
    let learner = &app.users.learner;
    send(
        app.request_as(learner, Method::PUT, "/api/v1/users/me/profile")
            .json(&json!({"bio": "First version", "timezone": "America/Vancouver"})),
    )
    .await;

    let response = send(
        app.request_as(learner, Method::PUT, "/api/v1/users/me/profile")
            .json(&json!({
                "bio": "Policy analyst preparing for the oral exam",
                "avatar": "https://cdn.example.gc.ca/marie.png",
                "timezone": "America/Halifax",
                "phone": "+1 613 555 0100",
                "department": "Health Canada",
                "position": "Policy Analyst (EC-04)",
                "targetLanguage": "french",
            })),
    )
    .await;

    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(body["timezone"], "America/Halifax");
    let rows = user_profiles::Entity::find()
        .filter(user_profiles::Column::UserId.eq(learner.id))
        .all(&app.db.conn)
        .await
        .expect("query userProfiles");
    assert_eq!(rows.len(), 1, "one profile per user");
    let row = &rows[0];
    assert_eq!(
        row.bio.as_deref(),
        Some("Policy analyst preparing for the oral exam")
    );
    assert_eq!(
        row.avatar.as_deref(),
        Some("https://cdn.example.gc.ca/marie.png")
    );
    assert_eq!(row.timezone, "America/Halifax");
    assert_eq!(row.phone.as_deref(), Some("+1 613 555 0100"));
    assert_eq!(row.department.as_deref(), Some("Health Canada"));
    assert_eq!(row.position.as_deref(), Some("Policy Analyst (EC-04)"));
    assert_eq!(row.target_language, Some(TargetLanguage::French));
    let read_back = json_ok(
        &send(app.request_as(learner, Method::GET, "/api/v1/users/me/profile")).await,
        StatusCode::OK,
    );
    assert_eq!(read_back, body);
}

#[tokio::test]
async fn an_invalid_timezone_or_a_non_https_avatar_is_refused_with_field_errors() {
    let app = spawn_app().await;
    let learner = &app.users.learner;
    let cases = [
        (json!({"timezone": "Mars/Olympus Mons"}), vec!["timezone"]),
        (json!({"timezone": "Toronto"}), vec!["timezone"]),
        (
            json!({"avatar": "http://cdn.example.gc.ca/a.png"}),
            vec!["avatar"],
        ),
        (json!({"avatar": "javascript:alert(1)"}), vec!["avatar"]),
        // The first field in error is reported (bodies are checked while they are read).
        (
            json!({"avatar": "ftp://example.gc.ca/a.png", "timezone": "../etc/passwd"}),
            vec!["avatar"],
        ),
        (json!({"timezone": "../etc/passwd"}), vec!["timezone"]),
    ];

    for (body, fields) in cases {
        let response = send(
            app.request_as(learner, Method::PUT, "/api/v1/users/me/profile")
                .json(&body),
        )
        .await;

        let problem = assert_problem(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let expected: BTreeSet<String> = fields.into_iter().map(str::to_owned).collect();
        assert_eq!(error_fields(&problem), expected, "for {body}: {problem}");
    }
    let saved = user_profiles::Entity::find()
        .filter(user_profiles::Column::UserId.eq(learner.id))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(saved, 0, "nothing was saved");
}

#[tokio::test]
async fn the_export_holds_the_callers_rows_and_not_another_users() {
    let app = spawn_app().await;
    let (learner, coach) = (&app.users.learner, &app.users.coach);
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let other_course = db_course(&app.db.conn, "written-c", None).await;
    let mine = db_enrollment(&app.db.conn, learner.id, course.id).await;
    let theirs = db_enrollment(&app.db.conn, coach.id, course.id).await;
    let also_theirs = db_enrollment(&app.db.conn, coach.id, other_course.id).await;
    let my_payment = db_payment(
        &app.db.conn,
        learner.id,
        PaymentPurpose::Course,
        course.id,
        19900,
    )
    .await;
    let their_payment = db_payment(
        &app.db.conn,
        coach.id,
        PaymentPurpose::Course,
        course.id,
        19900,
    )
    .await;

    let response = send(app.request_as(learner, Method::GET, "/api/v1/users/me/export")).await;

    let export = json_ok(&response, StatusCode::OK);
    assert_eq!(export["users"]["id"], learner.id, "{export}");
    assert_eq!(export["users"]["email"], "learner@example.gc.ca");
    assert_eq!(ids_in(&export, "enrollments"), BTreeSet::from([mine.id]));
    assert_eq!(ids_in(&export, "payments"), BTreeSet::from([my_payment.id]));
    let text = response.text();
    assert!(
        !text.contains(&coach.email),
        "another user's e-mail is exported"
    );
    for id in [theirs.id, also_theirs.id, their_payment.id] {
        assert!(
            !ids_in(&export, "enrollments").contains(&id)
                && !ids_in(&export, "payments").contains(&id),
            "row {id} of another user is exported"
        );
    }
}

#[tokio::test]
async fn the_export_contains_no_secret_columns() {
    let app = spawn_app().await;
    // A registered user has a password, a refresh token and an e-mail verification token.
    let session = register(&app, "marie.tremblay@canada.ca", "Marie", "Tremblay").await;
    app.run_due_jobs().await; // the verification mail, and its token
    let access = session["accessToken"]
        .as_str()
        .expect("access token")
        .to_owned();
    let user_id = session["user"]["id"].as_i64().expect("user id");
    let created = send(
        app.post("/api/v1/api-keys")
            .bearer_auth(&access)
            .json(&json!({"name": "Reporting", "scopes": ["profile:read"]})),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());

    let response = send(app.get("/api/v1/users/me/export").bearer_auth(&access)).await;

    let export = json_ok(&response, StatusCode::OK);
    assert_eq!(
        export["refreshTokens"].as_array().map(Vec::len),
        Some(1),
        "{export}"
    );
    assert_eq!(
        export["apiKeys"].as_array().map(Vec::len),
        Some(1),
        "{export}"
    );
    assert_eq!(
        export["emailVerifications"].as_array().map(Vec::len),
        Some(1),
        "{export}"
    );
    let mut keys = BTreeSet::new();
    all_keys(&export, &mut keys);
    for secret in ["password", "tokenHash", "token", "keyHash"] {
        assert!(
            !keys.contains(secret),
            "the export has a `{secret}` key: {export}"
        );
    }
    let user = user_row(&app, user_id).await;
    let mut stored_secrets = vec![user.password.expose().to_owned()];
    for token in refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::UserId.eq(user_id))
        .all(&app.db.conn)
        .await
        .expect("query refreshTokens")
    {
        stored_secrets.push(token.token_hash.expose().to_owned());
    }
    for key in api_keys::Entity::find()
        .filter(api_keys::Column::OwnerId.eq(user_id))
        .all(&app.db.conn)
        .await
        .expect("query apiKeys")
    {
        stored_secrets.push(key.key_hash.expose().to_owned());
    }
    for verification in email_verifications::Entity::find()
        .filter(email_verifications::Column::UserId.eq(user_id))
        .all(&app.db.conn)
        .await
        .expect("query emailVerifications")
    {
        stored_secrets.push(verification.token.expose().to_owned());
    }
    assert!(
        stored_secrets.len() >= 4,
        "the arrangement stored secrets: {}",
        stored_secrets.len()
    );
    assert_no_response_contains(&stored_secrets);
}

#[tokio::test]
async fn deleting_my_account_anonymises_it_keeps_payments_and_ends_the_session() {
    let app = spawn_app().await;
    let session = register(&app, "marie.tremblay@canada.ca", "Marie", "Tremblay").await;
    let access = session["accessToken"]
        .as_str()
        .expect("access token")
        .to_owned();
    let user_id = session["user"]["id"].as_i64().expect("user id");
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let payment = db_payment(
        &app.db.conn,
        user_id,
        PaymentPurpose::Course,
        course.id,
        19900,
    )
    .await;

    let response = send(
        app.request(Method::DELETE, "/api/v1/users/me")
            .bearer_auth(&access),
    )
    .await;

    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    let row = user_row(&app, user_id).await;
    assert_eq!(row.status, UserStatus::Deleted);
    assert_ne!(row.email, "marie.tremblay@canada.ca");
    assert!(
        !row.email.contains("marie"),
        "e-mail not anonymised: {}",
        row.email
    );
    assert_ne!(row.first_name, "Marie");
    assert_ne!(row.last_name, "Tremblay");
    assert!(
        !row.password.expose().starts_with("$argon2"),
        "the password still works"
    );
    let kept = payments::Entity::find_by_id(payment.id)
        .one(&app.db.conn)
        .await
        .expect("query payments")
        .expect("the payment is kept for legal retention");
    assert_eq!(kept.user_id, user_id);
    let live_tokens = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::UserId.eq(user_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(live_tokens, 0, "every refresh token is revoked");
    let after = send(app.get("/api/v1/users/me").bearer_auth(&access)).await;
    assert_problem(&after, StatusCode::UNAUTHORIZED, "account_inactive");
}

#[tokio::test]
async fn an_anonymous_caller_gets_401_unauthenticated_with_www_authenticate() {
    let app = spawn_app().await;

    let response = send(app.get("/api/v1/users/me")).await;

    assert_problem(&response, StatusCode::UNAUTHORIZED, "unauthenticated");
    let challenge = response
        .header("www-authenticate")
        .expect("a WWW-Authenticate header");
    assert!(challenge.starts_with("Bearer"), "{challenge}");
}
