//! API keys (`/api-keys`): shown once and stored hashed, acting as their owner within their scopes,
//! revocation by their owner only, and keys never managing keys.

use entity::auth::api_keys;
use entity::enums::{UserRole, UserStatus};
use entity::users::users;
use reqwest::{Method, RequestBuilder, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::users::{PASSWORD, emails, named_user, user_row};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

fn with_key(request: RequestBuilder, key: &str) -> RequestBuilder {
    request.header("authorization", format!("ApiKey {key}"))
}

/// Creates an API key for `owner` through the API and returns the 201 body (with `key`).
async fn create_key(app: &TestApp, owner: &users::Model, scopes: &[&str]) -> Value {
    let response = send(
        app.request_as(owner, Method::POST, "/api/v1/api-keys")
            .json(&json!({"name": "HR reporting export", "scopes": scopes})),
    )
    .await;
    json_ok(&response, StatusCode::CREATED)
}

fn secret_of(created: &Value) -> String {
    created["key"].as_str().expect("the new key").to_owned()
}

async fn key_row(app: &TestApp, id: i64) -> api_keys::Model {
    api_keys::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .expect("query apiKeys")
        .expect("the key exists")
}

#[tokio::test]
async fn a_new_api_key_is_shown_once_and_only_its_hash_is_stored() {
    let app = spawn_app().await;
    let admin = &app.users.admin;

    let response = send(
        app.request_as(admin, Method::POST, "/api/v1/api-keys")
            .json(&json!({"name": "HR reporting export", "scopes": ["users:read"]})),
    )
    .await;

    let created = json_ok(&response, StatusCode::CREATED);
    let key = secret_of(&created);
    let prefix = created["keyPrefix"].as_str().expect("keyPrefix");
    assert!(prefix.starts_with("ra_"), "{prefix}");
    assert!(
        key.starts_with(&format!("{prefix}_")),
        "{key} starts with {prefix}_"
    );
    assert_eq!(created["scopes"], json!(["users:read"]));
    assert_eq!(created["name"], "HR reporting export");
    let id = created["id"].as_i64().expect("id");
    let row = key_row(&app, id).await;
    assert_eq!(row.owner_id, admin.id);
    assert_eq!(row.key_prefix, prefix);
    let hash = row.key_hash.expose().to_owned();
    assert_ne!(hash, key);
    assert!(
        !hash.contains(&key) && hash.len() >= 32,
        "a hash, not the key: {hash}"
    );

    let later = vec![
        send(app.request_as(admin, Method::GET, "/api/v1/api-keys")).await,
        send(with_key(app.get("/api/v1/admin/users"), &key)).await,
        send(app.request_as(admin, Method::GET, "/api/v1/admin/audit-logs")).await,
        send(app.request_as(admin, Method::GET, "/api/v1/users/me/export")).await,
    ];
    for response in &later {
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        assert!(
            !response.text().contains(&key),
            "the key appeared again: {}",
            response.text()
        );
    }
    let listed = later[0].json();
    let listed = listed.as_array().expect("a list of keys");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id);
    assert_eq!(listed[0]["keyPrefix"], prefix);
    assert!(
        listed[0].get("key").is_none(),
        "the list has no key field: {}",
        listed[0]
    );
    assert_no_response_contains(&[hash]);
}

/// Keys are `ra_<10 hex>_<base64url secret>`; the secret itself may contain `_` (about one key
/// in two does), and such keys must work like any other.
#[tokio::test]
async fn every_new_api_key_is_accepted_whatever_characters_its_secret_contains() {
    let app = spawn_app().await;
    let mut keys = Vec::new();
    for _ in 0..12 {
        keys.push(secret_of(
            &create_key(&app, &app.users.admin, &["users:read"]).await,
        ));
    }

    let mut refused = Vec::new();
    for key in &keys {
        let response = send(with_key(app.get("/api/v1/admin/users"), key)).await;
        if response.status != StatusCode::OK {
            refused.push(format!(
                "{} ({})",
                response.status,
                key.splitn(3, '_').nth(2).unwrap_or_default().contains('_')
            ));
        }
    }

    assert!(
        refused.is_empty(),
        "{} of {} fresh keys refused (status, secret contains '_'): {refused:?}",
        refused.len(),
        keys.len()
    );
    let used = api_keys::Entity::find()
        .filter(api_keys::Column::LastUsedAt.is_not_null())
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(used, 12);
}

#[tokio::test]
async fn an_api_key_acts_as_its_owner_within_its_scopes() {
    let app = spawn_app().await;
    let created = create_key(&app, &app.users.admin, &["users:read"]).await;
    let key = secret_of(&created);
    let learner = &app.users.learner;

    let list = send(with_key(app.get("/api/v1/admin/users"), &key)).await;
    let one = send(with_key(
        app.get(&format!("/api/v1/admin/users/{}", learner.id)),
        &key,
    ))
    .await;
    let audit = send(with_key(app.get("/api/v1/admin/audit-logs"), &key)).await;
    let write = send(
        with_key(
            app.request(
                Method::PATCH,
                &format!("/api/v1/admin/users/{}", learner.id),
            ),
            &key,
        )
        .json(&json!({"role": "admin"})),
    )
    .await;
    let new_key = send(
        with_key(app.post("/api/v1/api-keys"), &key)
            .json(&json!({"name": "child", "scopes": ["users:read"]})),
    )
    .await;

    assert_eq!(emails(&json_ok(&list, StatusCode::OK)).len(), 4);
    assert_eq!(json_ok(&one, StatusCode::OK)["id"], learner.id);
    assert_problem(&audit, StatusCode::FORBIDDEN, "insufficient_scope");
    assert_problem(&write, StatusCode::FORBIDDEN, "insufficient_scope");
    assert_problem(&new_key, StatusCode::FORBIDDEN, "insufficient_scope");
    assert_eq!(user_row(&app, learner.id).await.role, UserRole::Learner);
    assert_eq!(
        api_keys::Entity::find()
            .count(&app.db.conn)
            .await
            .expect("count"),
        1
    );
    let row = key_row(&app, created["id"].as_i64().expect("id")).await;
    assert!(row.last_used_at.is_some(), "use is recorded");
}

#[tokio::test]
async fn a_learners_key_with_users_read_cannot_list_users() {
    let app = spawn_app().await;
    let created = create_key(&app, &app.users.learner, &["users:read"]).await;
    let key = secret_of(&created);

    let response = send(with_key(app.get("/api/v1/admin/users"), &key)).await;

    assert_problem(&response, StatusCode::FORBIDDEN, "forbidden");
    assert!(!response.text().contains("admin@example.gc.ca"));
}

#[tokio::test]
async fn a_revoked_key_is_refused_with_invalid_api_key() {
    let app = spawn_app().await;
    let created = create_key(&app, &app.users.admin, &["users:read"]).await;
    let key = secret_of(&created);
    let id = created["id"].as_i64().expect("id");
    assert_eq!(
        send(with_key(app.get("/api/v1/admin/users"), &key))
            .await
            .status,
        StatusCode::OK
    );

    let response = send(app.request_as(
        &app.users.admin,
        Method::DELETE,
        &format!("/api/v1/api-keys/{id}"),
    ))
    .await;

    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    assert!(key_row(&app, id).await.revoked_at.is_some());
    let refused = send(with_key(app.get("/api/v1/admin/users"), &key)).await;
    assert_problem(&refused, StatusCode::UNAUTHORIZED, "invalid_api_key");
}

#[tokio::test]
async fn nobody_else_can_revoke_my_key() {
    let app = spawn_app().await;
    let created = create_key(&app, &app.users.admin, &["users:read"]).await;
    let key = secret_of(&created);
    let id = created["id"].as_i64().expect("id");
    let other = named_user(
        &app,
        "other.admin@example.gc.ca",
        ("Other", "Admin"),
        UserRole::Admin,
        UserStatus::Active,
    )
    .await;

    let by_learner = send(app.request_as(
        &app.users.learner,
        Method::DELETE,
        &format!("/api/v1/api-keys/{id}"),
    ))
    .await;
    let by_other_admin =
        send(app.request_as(&other, Method::DELETE, &format!("/api/v1/api-keys/{id}"))).await;

    assert_problem(&by_learner, StatusCode::NOT_FOUND, "not_found");
    assert_problem(&by_other_admin, StatusCode::NOT_FOUND, "not_found");
    assert!(key_row(&app, id).await.revoked_at.is_none());
    let still_works = send(with_key(app.get("/api/v1/admin/users"), &key)).await;
    assert_eq!(still_works.status, StatusCode::OK, "{}", still_works.text());
}

#[tokio::test]
async fn an_unknown_scope_is_refused_with_422() {
    let app = spawn_app().await;
    let cases = [
        json!(["users:delete"]),
        json!(["admin"]),
        json!(["users:read", "root"]),
        json!([]),
    ];

    for scopes in cases {
        let response = send(
            app.request_as(&app.users.admin, Method::POST, "/api/v1/api-keys")
                .json(&json!({"name": "Reporting", "scopes": scopes})),
        )
        .await;

        let problem = assert_problem(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let fields = error_fields(&problem);
        assert!(
            fields.len() == 1 && fields.iter().all(|f| f.starts_with("scopes")),
            "{scopes}: {fields:?}"
        );
    }
    assert_eq!(
        api_keys::Entity::find()
            .count(&app.db.conn)
            .await
            .expect("count"),
        0
    );
}

#[tokio::test]
async fn a_bogus_or_tampered_api_key_is_refused_with_invalid_api_key() {
    let app = spawn_app().await;
    let created = create_key(&app, &app.users.admin, &["users:read"]).await;
    let prefix = created["keyPrefix"].as_str().expect("keyPrefix");
    let keys = [
        "ra_0000000000_xxx".to_owned(),
        format!("{prefix}_not-the-secret"),
        format!("{}x", secret_of(&created)),
        "no-underscore-at-all".to_owned(),
    ];

    for key in keys {
        let response = send(with_key(app.get("/api/v1/admin/users"), &key)).await;

        assert_problem(&response, StatusCode::UNAUTHORIZED, "invalid_api_key");
    }
    let row = key_row(&app, created["id"].as_i64().expect("id")).await;
    assert!(row.last_used_at.is_none(), "failed attempts are not uses");
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
    assert_problem(&listed, StatusCode::FORBIDDEN, "insufficient_scope");
    assert_problem(&revoked, StatusCode::FORBIDDEN, "insufficient_scope");
    let stored = entity::auth::api_keys::Entity::find()
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("key row");
    assert!(stored.revoked_at.is_none());
}
