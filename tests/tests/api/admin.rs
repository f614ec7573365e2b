//! Administration: `/admin/users`, `/admin/audit-logs`, and the integrators' `/api-keys`.

use std::collections::BTreeSet;

use chrono::Utc;
use entity::auth::{api_keys, audit_logs, refresh_tokens};
use entity::enums::{UserRole, UserStatus};
use entity::users::users;
use reqwest::{Method, RequestBuilder, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

const PASSWORD: &str = "Oral-Interaction-B-2027";

/// A user with the given names and status, created directly in the database.
async fn named_user(
    app: &TestApp,
    email: &str,
    (first_name, last_name): (&str, &str),
    role: UserRole,
    status: UserStatus,
) -> users::Model {
    let user = db_user(&app.db.conn, email, role).await;
    let mut row: users::ActiveModel = user.into();
    row.first_name = Set(first_name.to_owned());
    row.last_name = Set(last_name.to_owned());
    row.status = Set(status);
    row.update(&app.db.conn).await.expect("update user")
}

async fn user_row(app: &TestApp, id: i64) -> users::Model {
    users::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .expect("query users")
        .expect("the user exists")
}

async fn audit_rows(app: &TestApp) -> Vec<audit_logs::Model> {
    audit_logs::Entity::find()
        .filter(audit_logs::Column::Action.eq("user.updated"))
        .all(&app.db.conn)
        .await
        .expect("query auditLogs")
}

fn with_body(request: RequestBuilder, body: Option<&Value>) -> RequestBuilder {
    match body {
        Some(body) => request.json(body),
        None => request,
    }
}

fn with_key(request: RequestBuilder, key: &str) -> RequestBuilder {
    request.header("authorization", format!("ApiKey {key}"))
}

fn emails(page: &Value) -> BTreeSet<String> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page has items: {page}"))
        .iter()
        .map(|u| u["email"].as_str().expect("email").to_owned())
        .collect()
}

fn error_fields(problem: &Value) -> BTreeSet<String> {
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("problem has errors: {problem}"))
        .iter()
        .map(|e| e["field"].as_str().expect("field name").to_owned())
        .collect()
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

// ---------------------------------------------------------------------------------------------
// Access control
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn admin_routes_refuse_non_admins_with_403_and_anonymous_callers_with_401() {
    let app = spawn_app().await;
    let target = app.users.learner.id;
    let escalate = json!({"role": "admin"});
    let routes: Vec<(Method, String, Option<&Value>)> = vec![
        (Method::GET, "/api/v1/admin/users".into(), None),
        (Method::GET, format!("/api/v1/admin/users/{target}"), None),
        (
            Method::PATCH,
            format!("/api/v1/admin/users/{target}"),
            Some(&escalate),
        ),
        (Method::GET, "/api/v1/admin/audit-logs".into(), None),
    ];
    let non_admins = [&app.users.learner, &app.users.coach, &app.users.hr_admin];

    for (method, path, body) in &routes {
        for user in non_admins {
            let response = send(with_body(app.request_as(user, method.clone(), path), *body)).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{method} {path} as {:?}",
                user.role
            );
            assert_problem(&response, StatusCode::FORBIDDEN, "forbidden");
        }
        let anonymous = send(with_body(app.request(method.clone(), path), *body)).await;
        assert_problem(&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated");
    }

    assert_eq!(
        user_row(&app, target).await.role,
        UserRole::Learner,
        "nobody escalated"
    );
    assert_eq!(
        audit_logs::Entity::find()
            .count(&app.db.conn)
            .await
            .expect("count"),
        0,
        "nothing was audited because nothing changed"
    );
}

// ---------------------------------------------------------------------------------------------
// GET /admin/users
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_user_list_filters_by_role_status_and_a_case_insensitive_search() {
    let app = spawn_app().await;
    named_user(
        &app,
        "marie.tremblay@canada.ca",
        ("Marie", "Tremblay"),
        UserRole::Learner,
        UserStatus::Active,
    )
    .await;
    named_user(
        &app,
        "jroy@canada.ca",
        ("Jean", "Roy"),
        UserRole::Learner,
        UserStatus::Suspended,
    )
    .await;
    named_user(
        &app,
        "luc@canada.ca",
        ("Luc", "Tremblay"),
        UserRole::Coach,
        UserStatus::Active,
    )
    .await;
    named_user(
        &app,
        "sophie@canada.ca",
        ("Sophie", "Gagnon"),
        UserRole::HrAdmin,
        UserStatus::Suspended,
    )
    .await;
    let cases: [(&str, &[&str]); 8] = [
        ("role=coach", &["coach@example.gc.ca", "luc@canada.ca"]),
        ("status=suspended", &["jroy@canada.ca", "sophie@canada.ca"]),
        ("role=hr_admin&status=active", &["hr@example.gc.ca"]),
        // in a last name and in an e-mail
        ("q=TREMBLAY", &["marie.tremblay@canada.ca", "luc@canada.ca"]),
        // in a first name only
        ("q=sOpHiE", &["sophie@canada.ca"]),
        // in e-mails only
        (
            "q=EXAMPLE.GC",
            &[
                "learner@example.gc.ca",
                "coach@example.gc.ca",
                "hr@example.gc.ca",
                "admin@example.gc.ca",
            ],
        ),
        ("q=tremblay&role=learner", &["marie.tremblay@canada.ca"]),
        ("q=nobody-matches-this", &[]),
    ];

    for (query, expected) in cases {
        let response = send(app.request_as(
            &app.users.admin,
            Method::GET,
            &format!("/api/v1/admin/users?{query}"),
        ))
        .await;

        let page = json_ok(&response, StatusCode::OK);
        let expected: BTreeSet<String> = expected.iter().map(|e| (*e).to_owned()).collect();
        assert_eq!(emails(&page), expected, "?{query}");
        assert!(
            page["nextCursor"].is_null(),
            "one page for ?{query}: {page}"
        );
    }
}

#[tokio::test]
async fn cursor_pagination_with_limit_2_walks_every_user_exactly_once_newest_first() {
    let app = spawn_app().await;
    // Rows created in the same instant (as the demo seed does) are ordered by id.
    let instant = Utc::now();
    for n in 0..3 {
        let user = db_user(
            &app.db.conn,
            &format!("batch{n}@canada.ca"),
            UserRole::Learner,
        )
        .await;
        let mut row: users::ActiveModel = user.into();
        row.created_at = Set(instant);
        row.update(&app.db.conn).await.expect("update createdAt");
    }
    db_user(&app.db.conn, "late1@canada.ca", UserRole::Learner).await;
    db_user(&app.db.conn, "late2@canada.ca", UserRole::Coach).await;
    let expected: Vec<i64> = users::Entity::find()
        .order_by_desc(users::Column::CreatedAt)
        .order_by_desc(users::Column::Id)
        .all(&app.db.conn)
        .await
        .expect("query users")
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(expected.len(), 9);

    let mut seen: Vec<i64> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        pages += 1;
        assert!(pages <= 10, "pagination does not end; seen {seen:?}");
        let mut request = app
            .request_as(&app.users.admin, Method::GET, "/api/v1/admin/users")
            .query(&[("limit", "2")]);
        if let Some(cursor) = &cursor {
            request = request.query(&[("cursor", cursor.as_str())]);
        }
        let page = json_ok(&send(request).await, StatusCode::OK);
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2, "limit=2 gave {} items", items.len());
        seen.extend(items.iter().map(|u| u["id"].as_i64().expect("id")));
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }

    let unique: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "duplicates in {seen:?}");
    assert_eq!(seen, expected, "every user once, newest first");
    assert_eq!(pages, 5);
}

#[tokio::test]
async fn an_invalid_cursor_or_an_out_of_range_limit_is_refused_with_422() {
    let app = spawn_app().await;
    let cases = [
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=bm90IGEgY3Vyc29y", "cursor"), // base64 of "not a cursor"
        ("limit=0", "limit"),
        ("limit=101", "limit"),
    ];

    for (query, field) in cases {
        for path in ["/api/v1/admin/users", "/api/v1/admin/audit-logs"] {
            let response =
                send(app.request_as(&app.users.admin, Method::GET, &format!("{path}?{query}")))
                    .await;

            let problem = assert_problem(
                &response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            );
            assert_eq!(
                error_fields(&problem),
                BTreeSet::from([field.to_owned()]),
                "{path}?{query}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// PATCH /admin/users/{id}
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn changing_a_role_is_saved_and_audited_with_before_and_after() {
    let app = spawn_app().await;
    let (admin, learner) = (&app.users.admin, &app.users.learner);

    let response = send(
        app.request_as(
            admin,
            Method::PATCH,
            &format!("/api/v1/admin/users/{}", learner.id),
        )
        .json(&json!({"role": "coach"})),
    )
    .await;

    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(body["role"], "coach");
    assert_eq!(body["id"], learner.id);
    assert_eq!(user_row(&app, learner.id).await.role, UserRole::Coach);
    let audits = audit_rows(&app).await;
    assert_eq!(audits.len(), 1, "{audits:?}");
    let audit = &audits[0];
    assert_eq!(audit.actor_id, Some(admin.id));
    assert_eq!(audit.entity_type, "user");
    assert_eq!(audit.entity_id, Some(learner.id));
    assert_eq!(
        audit.before,
        Some(json!({"role": "learner", "status": "active"}))
    );
    assert_eq!(
        audit.after,
        Some(json!({"role": "coach", "status": "active"}))
    );
    let listed = json_ok(
        &send(app.request_as(
            admin,
            Method::GET,
            "/api/v1/admin/audit-logs?action=user.updated",
        ))
        .await,
        StatusCode::OK,
    );
    let items = listed["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{listed}");
    assert_eq!(items[0]["id"], audit.id);
    assert_eq!(items[0]["actorId"], admin.id);
    assert_eq!(items[0]["entityId"], learner.id);
    assert_eq!(items[0]["before"]["role"], "learner");
    assert_eq!(items[0]["after"]["role"], "coach");
}

#[tokio::test]
async fn suspending_a_user_ends_their_access_token_and_revokes_their_refresh_tokens() {
    let app = spawn_app().await;
    let session = json_ok(
        &send(app.post("/api/v1/auth/register").json(&json!({
            "email": "marie.tremblay@canada.ca",
            "password": PASSWORD,
            "firstName": "Marie",
            "lastName": "Tremblay",
        })))
        .await,
        StatusCode::CREATED,
    );
    let access = session["accessToken"]
        .as_str()
        .expect("access token")
        .to_owned();
    let user_id = session["user"]["id"].as_i64().expect("user id");
    let tokens = || {
        refresh_tokens::Entity::find()
            .filter(refresh_tokens::Column::UserId.eq(user_id))
            .all(&app.db.conn)
    };
    let before = tokens().await.expect("query refreshTokens");
    assert!(
        !before.is_empty() && before.iter().all(|t| t.revoked_at.is_none()),
        "a live session"
    );
    let still_works = send(app.get("/api/v1/users/me").bearer_auth(&access)).await;
    assert_eq!(still_works.status, StatusCode::OK);

    let response = send(
        app.request_as(
            &app.users.admin,
            Method::PATCH,
            &format!("/api/v1/admin/users/{user_id}"),
        )
        .json(&json!({"status": "suspended"})),
    )
    .await;

    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(body["status"], "suspended");
    assert_eq!(user_row(&app, user_id).await.status, UserStatus::Suspended);
    let after = tokens().await.expect("query refreshTokens");
    assert_eq!(after.len(), before.len());
    assert!(
        after.iter().all(|t| t.revoked_at.is_some()),
        "every refresh token is revoked"
    );
    let refused = send(app.get("/api/v1/users/me").bearer_auth(&access)).await;
    assert_problem(&refused, StatusCode::UNAUTHORIZED, "account_inactive");
}

#[tokio::test]
async fn the_last_active_admin_cannot_demote_or_suspend_themselves() {
    let app = spawn_app().await;
    let admin = &app.users.admin;
    // A suspended administrator does not count.
    named_user(
        &app,
        "old.admin@example.gc.ca",
        ("Old", "Admin"),
        UserRole::Admin,
        UserStatus::Suspended,
    )
    .await;
    let before = user_row(&app, admin.id).await;
    let bodies = [
        json!({"role": "learner"}),
        json!({"role": "hr_admin"}),
        json!({"status": "suspended"}),
        json!({"role": "coach", "status": "active"}),
    ];

    for body in bodies {
        let response = send(
            app.request_as(
                admin,
                Method::PATCH,
                &format!("/api/v1/admin/users/{}", admin.id),
            )
            .json(&body),
        )
        .await;

        assert_problem(&response, StatusCode::CONFLICT, "last_admin");
        assert_eq!(
            user_row(&app, admin.id).await,
            before,
            "the admin changed after {body}"
        );
    }
    assert!(
        audit_rows(&app).await.is_empty(),
        "nothing happened, nothing audited"
    );
}

#[tokio::test]
async fn with_another_active_admin_an_admin_may_step_down() {
    let app = spawn_app().await;
    let admin = &app.users.admin;
    named_user(
        &app,
        "second.admin@example.gc.ca",
        ("Second", "Admin"),
        UserRole::Admin,
        UserStatus::Active,
    )
    .await;

    let response = send(
        app.request_as(
            admin,
            Method::PATCH,
            &format!("/api/v1/admin/users/{}", admin.id),
        )
        .json(&json!({"role": "learner"})),
    )
    .await;

    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(body["role"], "learner");
    assert_eq!(user_row(&app, admin.id).await.role, UserRole::Learner);
}

#[tokio::test]
async fn an_admin_cannot_delete_an_account_or_set_unknown_fields() {
    let app = spawn_app().await;
    let learner = &app.users.learner;
    let before = user_row(&app, learner.id).await;
    let cases = [
        json!({"status": "deleted"}),
        json!({"role": "coach", "status": "deleted"}),
        json!({"role": "superuser"}),
        json!({"email": "new@example.gc.ca"}),
        json!({"password": "Another-Long-Password-1"}),
    ];

    for body in cases {
        let response = send(
            app.request_as(
                &app.users.admin,
                Method::PATCH,
                &format!("/api/v1/admin/users/{}", learner.id),
            )
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
            "the user changed after {body}"
        );
    }
    assert!(audit_rows(&app).await.is_empty());
}

#[tokio::test]
async fn status_deleted_names_the_status_field() {
    let app = spawn_app().await;

    let response = send(
        app.request_as(
            &app.users.admin,
            Method::PATCH,
            &format!("/api/v1/admin/users/{}", app.users.learner.id),
        )
        .json(&json!({"status": "deleted"})),
    )
    .await;

    let problem = assert_problem(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(
        error_fields(&problem),
        BTreeSet::from(["status".to_owned()])
    );
    assert_eq!(
        user_row(&app, app.users.learner.id).await.status,
        UserStatus::Active
    );
}

#[tokio::test]
async fn an_unknown_user_id_answers_404_not_found() {
    let app = spawn_app().await;
    let unknown = app.users.admin.id + 1000;
    let path = format!("/api/v1/admin/users/{unknown}");

    let read = send(app.request_as(&app.users.admin, Method::GET, &path)).await;
    let patch = send(
        app.request_as(&app.users.admin, Method::PATCH, &path)
            .json(&json!({"role": "coach"})),
    )
    .await;

    assert_problem(&read, StatusCode::NOT_FOUND, "not_found");
    assert_problem(&patch, StatusCode::NOT_FOUND, "not_found");
    assert!(audit_rows(&app).await.is_empty());
}

#[tokio::test]
async fn an_admin_reads_one_user_with_admin_fields() {
    let app = spawn_app().await;
    let learner = &app.users.learner;

    let response = send(app.request_as(
        &app.users.admin,
        Method::GET,
        &format!("/api/v1/admin/users/{}", learner.id),
    ))
    .await;

    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(body["id"], learner.id);
    assert_eq!(body["email"], learner.email);
    assert!(
        body.get("updatedAt").is_some() && body.get("lastLoginAt").is_some(),
        "{body}"
    );
    assert!(body.get("password").is_none(), "{body}");
}

// ---------------------------------------------------------------------------------------------
// /api-keys
// ---------------------------------------------------------------------------------------------

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
    assert_problem(
        &new_key,
        StatusCode::FORBIDDEN,
        "api_key_cannot_create_keys",
    );
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
        assert_eq!(
            error_fields(&problem),
            BTreeSet::from(["scopes".to_owned()]),
            "{scopes}"
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
