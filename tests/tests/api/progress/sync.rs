//! Offline sync (`POST /sync/progress`): replayed batches, a result per operation, batch limits, and
//! the `Idempotency-Key`.

use entity::progress::{lesson_progress, progress_sync_queue};
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::courses::course_with_lessons;
use rusing_academy_tests::enrollments::{enroll, enrollment_of};
use rusing_academy_tests::progress::sync;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

#[tokio::test]
async fn a_replayed_offline_batch_returns_the_same_results_and_changes_nothing() {
    let app = spawn_app().await;
    let (course, lessons) = course_with_lessons(&app, "offline", 2, 0).await;
    enroll(&app, &app.users.learner, course.id).await;
    let operations = json!([
        { "clientOpId": "op-1", "lessonId": lessons[0], "progress": 30, "timeSpentSeconds": 120, "recordedAt": "2026-11-20T10:00:00Z" },
        { "clientOpId": "op-2", "lessonId": lessons[0], "progress": 60, "timeSpentSeconds": 180, "recordedAt": "2026-11-20T10:05:00Z" },
        { "clientOpId": "op-3", "lessonId": lessons[1], "progress": 100, "timeSpentSeconds": 60, "completed": true, "recordedAt": "2026-11-20T10:09:00Z" }
    ]);

    let first = json_ok(
        &sync(&app, &app.users.learner, operations.clone()).await,
        StatusCode::OK,
    );
    let replay = json_ok(
        &sync(&app, &app.users.learner, operations.clone()).await,
        StatusCode::OK,
    );
    let again = json_ok(
        &sync(&app, &app.users.learner, operations).await,
        StatusCode::OK,
    );

    assert_eq!(first, replay);
    assert_eq!(first, again);
    assert!(
        first["results"]
            .as_array()
            .expect("results")
            .iter()
            .all(|r| r["status"] == "applied")
    );
    let row = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::LessonId.eq(lessons[0]))
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(
        row.time_spent_seconds, 300,
        "each delta counted exactly once"
    );
    assert_eq!(row.progress, 60);
    assert_eq!(row.sync_version, 2);
    assert_eq!(
        progress_sync_queue::Entity::find()
            .count(&app.db.conn)
            .await
            .expect("count"),
        3
    );
    assert_eq!(
        enrollment_of(&app, app.users.learner.id, course.id)
            .await
            .expect("row")
            .progress,
        50
    );
}

#[tokio::test]
async fn a_mixed_batch_gets_a_result_per_operation() {
    let app = spawn_app().await;
    let (course, lessons) = course_with_lessons(&app, "enrolled", 1, 0).await;
    let (_, foreign) = course_with_lessons(&app, "not-enrolled", 1, 0).await;
    enroll(&app, &app.users.learner, course.id).await;

    let response = sync(
        &app,
        &app.users.learner,
        json!([
            { "clientOpId": "a", "lessonId": lessons[0], "progress": 50, "timeSpentSeconds": 30 },
            { "clientOpId": "b", "lessonId": 987_654, "progress": 50 },
            { "clientOpId": "c", "lessonId": foreign[0], "progress": 50 },
            { "clientOpId": "a", "lessonId": lessons[0], "progress": 90, "timeSpentSeconds": 999 }
        ]),
    )
    .await;

    let results = json_ok(&response, StatusCode::OK)["results"]
        .as_array()
        .expect("results")
        .clone();
    let summary: Vec<(String, String)> = results
        .iter()
        .map(|r| {
            (
                r["status"].as_str().unwrap_or_default().to_owned(),
                r["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("applied".to_owned(), String::new()),
            ("rejected".to_owned(), "lesson_not_found".to_owned()),
            ("rejected".to_owned(), "enrollment_required".to_owned()),
            ("duplicate".to_owned(), String::new()),
        ]
    );
    assert_eq!(results[0]["lessonProgress"]["progress"], 50);
    let mine = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::LessonId.eq(lessons[0]))
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(
        (mine.progress, mine.time_spent_seconds),
        (50, 30),
        "the duplicate was not applied"
    );
    assert_eq!(
        lesson_progress::Entity::find()
            .filter(lesson_progress::Column::LessonId.eq(foreign[0]))
            .count(&app.db.conn)
            .await
            .expect("count"),
        0
    );
}

#[tokio::test]
async fn batches_must_hold_one_to_five_hundred_operations_and_five_hundred_apply_at_once() {
    let app = spawn_app().await;
    let (course, lessons) = course_with_lessons(&app, "bulk", 5, 0).await;
    enroll(&app, &app.users.learner, course.id).await;
    let op = |i: usize| json!({ "clientOpId": format!("op-{i}"), "lessonId": lessons[i % 5], "progress": (i % 100) as i64, "timeSpentSeconds": 1 });

    let too_many = sync(
        &app,
        &app.users.learner,
        Value::Array((0..501).map(op).collect()),
    )
    .await;
    let empty = sync(&app, &app.users.learner, json!([])).await;
    let full = sync(
        &app,
        &app.users.learner,
        Value::Array((0..500).map(op).collect()),
    )
    .await;

    assert_problem(
        &too_many,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_problem(
        &empty,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let results = json_ok(&full, StatusCode::OK)["results"]
        .as_array()
        .expect("results")
        .len();
    assert_eq!(results, 500);
    let total: i64 = lesson_progress::Entity::find()
        .all(&app.db.conn)
        .await
        .expect("rows")
        .iter()
        .map(|r| r.time_spent_seconds)
        .sum();
    assert_eq!(total, 500);
    assert_eq!(
        progress_sync_queue::Entity::find()
            .count(&app.db.conn)
            .await
            .expect("count"),
        500
    );
}

#[tokio::test]
async fn a_sync_batch_with_an_idempotency_key_is_replayed_and_the_key_cannot_be_reused_for_another_body()
 {
    let app = spawn_app().await;
    let (course, lessons) = course_with_lessons(&app, "keyed", 1, 0).await;
    enroll(&app, &app.users.learner, course.id).await;
    let body = |op: &str| json!({ "deviceId": "pixel", "operations": [{ "clientOpId": op, "lessonId": lessons[0], "progress": 40, "timeSpentSeconds": 60 }] });
    let keyed = |payload: Value| {
        app.request_as(&app.users.learner, Method::POST, "/api/v1/sync/progress")
            .header("idempotency-key", "batch-7")
            .json(&payload)
    };

    let first = send(keyed(body("k1"))).await;
    let again = send(keyed(body("k1"))).await;
    let other = send(keyed(body("k2"))).await;

    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body);
    assert_eq!(
        again.header("idempotency-replayed").as_deref(),
        Some("true")
    );
    assert_problem(
        &other,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    );
    assert_eq!(
        progress_sync_queue::Entity::find()
            .count(&app.db.conn)
            .await
            .expect("count"),
        1,
        "k2 never ran"
    );
    let stored = entity::auth::idempotency_keys::Entity::find()
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(
        (stored.key.as_str(), stored.response_status),
        ("batch-7", Some(200))
    );
}

#[tokio::test]
async fn an_over_long_client_op_id_is_refused_the_same_on_every_engine() {
    let app = spawn_app().await;
    let (course, lessons) = course_with_lessons(&app, "offline-long-id", 1, 0).await;
    enroll(&app, &app.users.learner, course.id).await;
    let long_id = "x".repeat(65);
    let response = sync(
        &app,
        &app.users.learner,
        json!([{ "clientOpId": long_id, "lessonId": lessons[0], "progress": 30 }]),
    )
    .await;
    let problem = assert_problem(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(problem["errors"][0]["field"], "operations.0.clientOpId");
    assert_eq!(problem["errors"][0]["code"], "too_long");
    let stored = progress_sync_queue::Entity::find()
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(stored, 0, "nothing of a refused batch is stored");
    let progressed = lesson_progress::Entity::find()
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(progressed, 0);
}

#[tokio::test]
async fn an_out_of_range_value_refuses_the_whole_batch_and_names_the_field() {
    let app = spawn_app().await;
    let (course, lessons) = course_with_lessons(&app, "offline-range", 1, 0).await;
    enroll(&app, &app.users.learner, course.id).await;
    let response = sync(
        &app,
        &app.users.learner,
        json!([
            { "clientOpId": "ok", "lessonId": lessons[0], "progress": 30 },
            { "clientOpId": "bad", "lessonId": lessons[0], "progress": 150 }
        ]),
    )
    .await;
    let problem = assert_problem(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(problem["errors"][0]["field"], "operations.1.progress");
    assert_eq!(problem["errors"][0]["code"], "out_of_range");
    let stored = lesson_progress::Entity::find()
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(stored, 0, "nothing of a refused batch is applied");
}

#[tokio::test]
async fn a_lesson_of_a_course_the_learner_cannot_see_answers_like_an_unknown_lesson() {
    use sea_orm::{ActiveModelTrait, Set};

    let app = spawn_app().await;
    let (draft, lessons) = course_with_lessons(&app, "a-draft", 1, 0).await;
    let mut row: entity::courses::courses::ActiveModel = draft.into();
    row.status = Set(entity::enums::CourseStatus::Draft);
    row.update(&app.db.conn).await.expect("draft");

    let hidden = rusing_academy_tests::progress::progress(
        &app,
        &app.users.learner,
        lessons[0],
        json!({"progress": 10}),
    )
    .await;
    let unknown = rusing_academy_tests::progress::progress(
        &app,
        &app.users.learner,
        987_654,
        json!({"progress": 10}),
    )
    .await;
    assert_problem(&hidden, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(hidden.json()["detail"], unknown.json()["detail"]);

    let batch = sync(
        &app,
        &app.users.learner,
        json!([
            { "clientOpId": "draft", "lessonId": lessons[0], "progress": 10 },
            { "clientOpId": "none", "lessonId": 987_654, "progress": 10 }
        ]),
    )
    .await;
    let results = json_ok(&batch, StatusCode::OK)["results"].clone();
    assert_eq!(results[0]["code"], "lesson_not_found");
    assert_eq!(results[1]["code"], "lesson_not_found");
    let stored = lesson_progress::Entity::find()
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}
