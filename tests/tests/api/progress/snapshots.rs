//! Daily progress snapshots: one row per active learner and course, once, listed at
//! `/users/me/progress-snapshots`.

use chrono::Utc;
use entity::progress::progress_snapshots;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::courses::course_with_lessons;
use rusing_academy_tests::enrollments::enroll;
use rusing_academy_tests::progress::progress;
use sea_orm::EntityTrait;
use serde_json::json;

#[tokio::test]
async fn the_daily_snapshot_writes_one_row_per_active_learner_and_course_once() {
    let app = spawn_app().await;
    let (course, lessons) = course_with_lessons(&app, "snap", 2, 0).await;
    let (idle_course, _) = course_with_lessons(&app, "idle", 1, 0).await;
    enroll(&app, &app.users.learner, course.id).await;
    enroll(&app, &app.users.learner, idle_course.id).await;
    progress(
        &app,
        &app.users.learner,
        lessons[0],
        json!({ "progress": 100, "timeSpentSeconds": 90 }),
    )
    .await;
    progress(
        &app,
        &app.users.learner,
        lessons[1],
        json!({ "progress": 20, "timeSpentSeconds": 30 }),
    )
    .await;
    let today = Utc::now().date_naive();
    let db = sea_orm::Database::connect(app.db.url.clone())
        .await
        .expect("connect");

    let first = service::progress::snapshots::take(&db, today)
        .await
        .expect("snapshot");
    let second = service::progress::snapshots::take(&db, today)
        .await
        .expect("again");

    assert_eq!((first, second), (1, 1));
    let rows = progress_snapshots::Entity::find()
        .all(&app.db.conn)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].course_id, course.id);
    assert_eq!(rows[0].snapshot["progress"], 50);
    assert_eq!(rows[0].snapshot["timeSpentSeconds"], 120);
    let listed = json_ok(
        &send(app.request_as(
            &app.users.learner,
            Method::GET,
            "/api/v1/users/me/progress-snapshots",
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    let others = json_ok(
        &send(app.request_as(
            &app.users.coach,
            Method::GET,
            "/api/v1/users/me/progress-snapshots",
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(others["items"].as_array().map(Vec::len), Some(0));
}
