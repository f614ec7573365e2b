//! Coaching plans: administrators create, change (`If-Match`) and archive them; the public list
//! shows those on sale; a learner sees their purchases and what is left of them.

use chrono::Duration;
use entity::coaching::coaching_plans;
use entity::enums::UserRole;
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::{audit_actions, coach, plan_purchase, slot_after};
use rusing_academy_tests::fixtures::db_user;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

fn new_plan(name: &str, price: i64) -> Value {
    json!({
        "name": name,
        "nameFr": format!("{name} (FR)"),
        "sessionsIncluded": 10,
        "validityDays": 180,
        "price": price
    })
}

async fn plan_row(app: &TestApp, id: i64) -> coaching_plans::Model {
    coaching_plans::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap()
}

async fn public_ids(app: &TestApp, user: Option<&users::Model>, query: &str) -> Vec<i64> {
    let path = format!("/api/v1/coaching-plans{query}");
    let request = match user {
        Some(user) => app.request_as(user, Method::GET, &path),
        None => app.get(&path),
    };
    json_ok(&send(request).await, StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn administrators_create_change_and_archive_plans() {
    let app = spawn_app().await;
    let admin = app.users.admin.clone();
    let learner = app.users.learner.clone();

    let refused = send(
        app.request_as(&learner, Method::POST, "/api/v1/coaching-plans")
            .json(&new_plan("Sneaky", 1)),
    )
    .await;
    assert_problem(&refused, StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(
        coaching_plans::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        0
    );

    let created = send(
        app.request_as(&admin, Method::POST, "/api/v1/coaching-plans")
            .json(&new_plan("10 sessions", 65_000)),
    )
    .await;
    let first_tag = created.header("etag").expect("an ETag");
    let body = json_ok(&created, StatusCode::CREATED);
    let id = body["id"].as_i64().unwrap();
    assert_eq!(body["active"], true);
    assert_eq!(body["currency"], "CAD");
    assert_eq!(
        created.header("location").as_deref(),
        Some(format!("/api/v1/coaching-plans/{id}").as_str())
    );
    let row = plan_row(&app, id).await;
    assert_eq!(
        (
            row.sessions_included,
            row.validity_days,
            row.price,
            row.active
        ),
        (10, 180, 65_000, true)
    );
    let cheaper = json_ok(
        &send(
            app.request_as(&admin, Method::POST, "/api/v1/coaching-plans")
                .json(&new_plan("3 sessions", 20_000)),
        )
        .await,
        StatusCode::CREATED,
    )["id"]
        .as_i64()
        .unwrap();
    assert_eq!(public_ids(&app, None, "").await, [cheaper, id]);

    let path = format!("/api/v1/coaching-plans/{id}");
    let changed = send(
        app.request_as(&admin, Method::PATCH, &path)
            .header("if-match", &first_tag)
            .json(&json!({"price": 60_000})),
    )
    .await;
    let second_tag = changed.header("etag").expect("an ETag");
    assert_ne!(first_tag, second_tag);
    assert_eq!(json_ok(&changed, StatusCode::OK)["price"], 60_000);
    let stale = send(
        app.request_as(&admin, Method::PATCH, &path)
            .header("if-match", &first_tag)
            .json(&json!({"price": 1})),
    )
    .await;
    assert_problem(
        &stale,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    );
    assert_eq!(plan_row(&app, id).await.price, 60_000);
    let by_learner = send(
        app.request_as(&learner, Method::PATCH, &path)
            .json(&json!({"price": 1})),
    )
    .await;
    assert_problem(&by_learner, StatusCode::FORBIDDEN, "forbidden");
    let archive_by_learner = send(app.request_as(&learner, Method::DELETE, &path)).await;
    assert_problem(&archive_by_learner, StatusCode::FORBIDDEN, "forbidden");
    assert!(plan_row(&app, id).await.active);

    let archived = send(app.request_as(&admin, Method::DELETE, &path)).await;
    assert_eq!(
        archived.status,
        StatusCode::NO_CONTENT,
        "{}",
        archived.text()
    );
    assert!(!plan_row(&app, id).await.active);
    assert_eq!(public_ids(&app, None, "").await, [cheaper]);
    assert_eq!(
        public_ids(&app, Some(&learner), "?includeInactive=true").await,
        [cheaper]
    );
    assert_eq!(public_ids(&app, Some(&admin), "").await, [cheaper]);
    assert_eq!(
        public_ids(&app, Some(&admin), "?includeInactive=true").await,
        [cheaper, id]
    );
    assert_eq!(
        audit_actions(&app, "coaching_plan", id).await,
        [
            "coaching_plan.created",
            "coaching_plan.updated",
            "coaching_plan.updated"
        ]
    );
    let missing =
        send(app.request_as(&admin, Method::DELETE, "/api/v1/coaching-plans/999999")).await;
    assert_problem(&missing, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_learner_sees_their_purchases_what_is_left_and_what_expired() {
    let app = spawn_app().await;
    let learner = app.users.learner.clone();
    let luc = db_user(&app.db.conn, "luc@example.gc.ca", UserRole::Learner).await;
    let expired = plan_purchase(&app, learner.id, 2, -1).await;
    let current = plan_purchase(&app, learner.id, 3, 30).await;
    let lucs = plan_purchase(&app, luc.id, 5, 30).await;

    let (_, profile) = coach(&app, "plans@coach.ca", "America/Toronto").await;
    let at = slot_after(&app, profile.id, "single", Duration::days(2)).await;
    let response = rusing_academy_tests::coaching::book(
        &app,
        &learner,
        &json!({"coachId": profile.id, "type": "package", "scheduledAt": at, "planPurchaseId": current.id}),
    )
    .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());

    let mine = send(app.request_as(&learner, Method::GET, "/api/v1/users/me/coaching-plans")).await;
    let mine = json_ok(&mine, StatusCode::OK);
    let items = mine.as_array().unwrap();
    assert_eq!(items.len(), 2, "{mine}");
    let by_id = |id: i64| {
        items
            .iter()
            .find(|b| b["id"] == id)
            .unwrap_or_else(|| panic!("purchase {id} in {mine}"))
    };
    assert_eq!(by_id(current.id)["remainingSessions"], 2);
    assert_eq!(by_id(current.id)["status"], "active");
    assert_eq!(by_id(current.id)["name"], "5 sessions");
    assert_eq!(by_id(expired.id)["remainingSessions"], 2);
    assert_eq!(by_id(expired.id)["status"], "expired");
    assert!(items.iter().all(|b| b["id"] != lucs.id));

    let theirs = send(app.request_as(&luc, Method::GET, "/api/v1/users/me/coaching-plans")).await;
    let theirs = json_ok(&theirs, StatusCode::OK);
    assert_eq!(theirs.as_array().unwrap().len(), 1);
    assert_eq!(theirs[0]["id"], lucs.id);
    assert_eq!(theirs[0]["remainingSessions"], 5);
    let none = send(app.request_as(
        &app.users.hr_admin,
        Method::GET,
        "/api/v1/users/me/coaching-plans",
    ))
    .await;
    assert_eq!(json_ok(&none, StatusCode::OK), json!([]));
    let anonymous = send(app.get("/api/v1/users/me/coaching-plans")).await;
    assert_problem(&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated");
}
