//! User administration (`/admin/users`): filters and cursor pages, reading one user, role and status
//! changes with their audit trail, and the last-admin guard.

use std::collections::BTreeSet;

use chrono::Utc;
use entity::auth::{audit_logs, refresh_tokens};
use entity::enums::{UserRole, UserStatus};
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use rusing_academy_tests::users::{PASSWORD, emails, named_user, user_row};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

async fn audit_rows(app: &TestApp) -> Vec<audit_logs::Model> {
    audit_logs::Entity::find()
        .filter(audit_logs::Column::Action.eq("user.updated"))
        .all(&app.db.conn)
        .await
        .expect("query auditLogs")
}

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
