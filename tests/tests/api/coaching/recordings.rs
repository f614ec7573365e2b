//! Recordings: added by the coach once the session started, https only, listed to the
//! participants (and administrators) until they expire.

use chrono::Duration;
use entity::coaching::session_recordings;
use entity::enums::UserRole;
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::{act, booked, coach, move_session, slot_after};
use rusing_academy_tests::fixtures::db_user;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

async fn add(app: &TestApp, user: &users::Model, session: i64, body: Value) -> TestResponse {
    send(
        app.request_as(
            user,
            Method::POST,
            &format!("/api/v1/sessions/{session}/recordings"),
        )
        .json(&body),
    )
    .await
}

async fn list(app: &TestApp, user: &users::Model, session: i64) -> TestResponse {
    send(app.request_as(
        user,
        Method::GET,
        &format!("/api/v1/sessions/{session}/recordings"),
    ))
    .await
}

async fn rows(app: &TestApp, session: i64) -> u64 {
    session_recordings::Entity::find()
        .filter(session_recordings::Column::SessionId.eq(session))
        .count(&app.db.conn)
        .await
        .unwrap()
}

fn urls(response: &TestResponse) -> Vec<String> {
    json_ok(response, StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["recordingUrl"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_coach_adds_recordings_of_a_held_session_for_its_participants() {
    let app = spawn_app().await;
    let (coach_user, profile) = coach(&app, "rec@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let outsider = db_user(&app.db.conn, "outsider@example.gc.ca", UserRole::Learner).await;
    let at = slot_after(&app, profile.id, "single", Duration::days(2)).await;
    let id = booked(&app, &learner, profile.id, "single", &at).await["id"]
        .as_i64()
        .unwrap();
    let recording = json!({"recordingUrl": "https://video.example.ca/r/8f2c", "duration": 3540});
    assert_eq!(
        act(&app, &coach_user, id, "confirm", None).await.status,
        StatusCode::OK
    );

    let by_learner = add(&app, &learner, id, recording.clone()).await;
    assert_problem(&by_learner, StatusCode::FORBIDDEN, "forbidden");
    let not_held = add(&app, &coach_user, id, recording.clone()).await;
    assert_problem(&not_held, StatusCode::CONFLICT, "session_not_held");
    assert_eq!(rows(&app, id).await, 0);

    move_session(&app, id, service::now()).await;
    assert_eq!(
        act(&app, &coach_user, id, "start", None).await.status,
        StatusCode::OK
    );
    let by_learner = add(&app, &learner, id, recording.clone()).await;
    assert_problem(&by_learner, StatusCode::FORBIDDEN, "forbidden");
    let by_outsider = add(&app, &outsider, id, recording.clone()).await;
    assert_problem(&by_outsider, StatusCode::NOT_FOUND, "not_found");
    for url in [
        "http://video.example.ca/r/8f2c",
        "ftp://video.example.ca/r/8f2c",
        "https://",
        "video.example.ca",
    ] {
        let insecure = add(
            &app,
            &coach_user,
            id,
            json!({"recordingUrl": url, "duration": 60}),
        )
        .await;
        assert_problem(
            &insecure,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
    }
    assert_eq!(rows(&app, id).await, 0);

    let added = add(&app, &coach_user, id, recording).await;
    let body = json_ok(&added, StatusCode::CREATED);
    assert_eq!(body["recordingUrl"], "https://video.example.ca/r/8f2c");
    assert_eq!(body["duration"], 3540);
    let row = session_recordings::Entity::find_by_id(body["id"].as_i64().unwrap())
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.session_id, id);
    let expiring = json!({
        "recordingUrl": "https://video.example.ca/r/later",
        "duration": 600,
        "expiresAt": (service::now() + Duration::days(30)).to_rfc3339(),
    });
    assert_eq!(
        add(&app, &coach_user, id, expiring).await.status,
        StatusCode::CREATED
    );

    // One that expired is kept but no longer listed.
    session_recordings::ActiveModel {
        session_id: Set(id),
        recording_url: Set("https://video.example.ca/r/old".to_owned()),
        duration: Set(120),
        expires_at: Set(Some(service::now() - Duration::hours(1))),
        created_at: Set(service::now() - Duration::days(1)),
        ..Default::default()
    }
    .insert(&app.db.conn)
    .await
    .unwrap();
    assert_eq!(rows(&app, id).await, 3);

    let expected = [
        "https://video.example.ca/r/8f2c",
        "https://video.example.ca/r/later",
    ];
    for user in [&learner, &coach_user, &app.users.admin] {
        assert_eq!(urls(&list(&app, user, id).await), expected);
    }
    assert_problem(
        &list(&app, &outsider, id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &list(&app, &app.users.coach, id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}
