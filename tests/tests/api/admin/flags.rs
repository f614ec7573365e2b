//! Feature flags: administrators' changes with history and audit, and every user's evaluation,
//! identical on two running instances.

use entity::admin::feature_flag_history;
use entity::enums::UserRole;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::audit_actions;
use rusing_academy_tests::fixtures::db_user;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

async fn create(app: &TestApp, body: Value) -> TestResponse {
    send(
        app.request_as(
            &app.users.admin,
            Method::POST,
            "/api/v1/admin/feature-flags",
        )
        .json(&body),
    )
    .await
}

#[tokio::test]
async fn administrators_manage_flags_and_every_change_is_in_the_history_and_the_audit_log() {
    let app = spawn_app().await;
    let flag = json_ok(
        &create(
            &app,
            json!({"key": "new_dashboard", "enabled": true, "rolloutPercentage": 30}),
        )
        .await,
        StatusCode::CREATED,
    );
    let id = flag["id"].as_i64().unwrap();
    assert_eq!(flag["roles"], json!([]));
    assert_problem(
        &create(&app, json!({"key": "new_dashboard", "enabled": false})).await,
        StatusCode::CONFLICT,
        "feature_flag_key_taken",
    );
    for bad in [
        json!({"key": "Upper Case", "enabled": true}),
        json!({"key": "ok", "enabled": true, "rolloutPercentage": 101}),
        json!({"key": "ok", "enabled": true, "roles": ["king"]}),
    ] {
        assert_problem(
            &create(&app, bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
    }
    let response = send(
        app.request_as(
            &app.users.learner,
            Method::POST,
            "/api/v1/admin/feature-flags",
        )
        .json(&json!({"key": "mine", "enabled": true})),
    )
    .await;
    assert_problem(&response, StatusCode::FORBIDDEN, "forbidden");

    let path = format!("/api/v1/admin/feature-flags/{id}");
    let changed = json_ok(
        &send(
            app.request_as(&app.users.admin, Method::PATCH, &path)
                .json(&json!({"rolloutPercentage": 100, "roles": ["coach", "learner"], "description": "The new dashboard"})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(changed["rolloutPercentage"], 100);
    assert_eq!(changed["roles"], json!(["coach", "learner"]));
    let history = json_ok(
        &send(app.request_as(&app.users.admin, Method::GET, &format!("{path}/history"))).await,
        StatusCode::OK,
    );
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[0]["action"], "updated");
    assert_eq!(history[0]["before"]["rolloutPercentage"], 30);
    assert_eq!(history[0]["after"]["rolloutPercentage"], 100);
    assert_eq!(history[1]["action"], "created");
    let deleted = send(app.request_as(&app.users.admin, Method::DELETE, &path)).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let again = send(app.request_as(&app.users.admin, Method::GET, &path)).await;
    assert_problem(&again, StatusCode::NOT_FOUND, "not_found");
    // The history stays, under the flag's key; the audit log has every change.
    let rows = feature_flag_history::Entity::find()
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rows, 3);
    assert_eq!(
        audit_actions(&app, "feature_flag", id).await,
        [
            "feature_flag.created",
            "feature_flag.updated",
            "feature_flag.deleted"
        ]
    );
}

#[tokio::test]
async fn every_user_reads_the_flags_evaluated_for_them_alike_on_every_instance() {
    let app = spawn_app().await;
    let coach = &app.users.coach;
    let learner = &app.users.learner;
    json_ok(
        &create(&app, json!({"key": "coaches_only", "enabled": true, "roles": ["coach"], "userIds": [learner.id]})).await,
        StatusCode::CREATED,
    );
    json_ok(
        &create(&app, json!({"key": "switched_off", "enabled": false})).await,
        StatusCode::CREATED,
    );
    json_ok(
        &create(
            &app,
            json!({"key": "half", "enabled": true, "rolloutPercentage": 50}),
        )
        .await,
        StatusCode::CREATED,
    );
    let hr = &app.users.hr_admin;
    let mine = |user: &entity::users::users::Model, base: String| {
        let request = app
            .client
            .get(format!("{base}/api/v1/feature-flags/me"))
            .bearer_auth(app.token_for(user));
        async move { json_ok(&send(request).await, StatusCode::OK)["flags"].clone() }
    };
    let flags = mine(coach, app.address.clone()).await;
    assert_eq!(flags["coaches_only"], true);
    assert_eq!(flags["switched_off"], false);
    // Not a coach, but on the allow-list.
    assert_eq!(
        mine(learner, app.address.clone()).await["coaches_only"],
        true
    );
    assert_eq!(mine(hr, app.address.clone()).await["coaches_only"], false);

    // A second instance answers the same for many users.
    let replica = app.replica(&[]).await;
    let mut on = 0;
    for i in 0..40 {
        let user = db_user(
            &app.db.conn,
            &format!("rollout{i}@example.gc.ca"),
            UserRole::Learner,
        )
        .await;
        let here = mine(&user, app.address.clone()).await;
        let there = mine(&user, replica.address.clone()).await;
        assert_eq!(here, there, "user {}", user.id);
        if here["half"] == true {
            on += 1;
        }
    }
    assert!((5..=35).contains(&on), "{on} of 40 at 50 %");
}
