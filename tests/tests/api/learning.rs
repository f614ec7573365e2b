//! Learning: enrollment rules, quizzes, progress online and offline, completion and its single
//! certificate, snapshots, SLE results.

use chrono::Utc;
use entity::certificates::certificates;
use entity::courses::{courses, lessons};
use entity::enrollments::enrollments;
use entity::enums::{EnrollmentStatus, LessonType, UserRole};
use entity::progress::{lesson_progress, progress_snapshots, progress_sync_queue};
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

/// A published course with one module of `lessons` text lessons; returns it and the lesson ids.
async fn course_with_lessons(
    app: &TestApp,
    slug: &str,
    lessons: i32,
    price: i64,
) -> (courses::Model, Vec<i64>) {
    let course = db_course(&app.db.conn, slug, None).await;
    let course = if price > 0 {
        let mut row: courses::ActiveModel = course.into();
        row.price = Set(price);
        row.update(&app.db.conn).await.expect("price")
    } else {
        course
    };
    let module = db_module(&app.db.conn, course.id, 1).await;
    let mut ids = Vec::new();
    for order in 1..=lessons {
        ids.push(db_lesson(&app.db.conn, module.id, order).await.id);
    }
    (course, ids)
}

async fn enroll(app: &TestApp, user: &entity::users::users::Model, course_id: i64) -> TestResponse {
    send(app.request_as(
        user,
        Method::POST,
        &format!("/api/v1/courses/{course_id}/enroll"),
    ))
    .await
}

async fn progress(
    app: &TestApp,
    user: &entity::users::users::Model,
    lesson: i64,
    body: Value,
) -> TestResponse {
    send(
        app.request_as(
            user,
            Method::PUT,
            &format!("/api/v1/lessons/{lesson}/progress"),
        )
        .json(&body),
    )
    .await
}

async fn sync(
    app: &TestApp,
    user: &entity::users::users::Model,
    operations: Value,
) -> TestResponse {
    send(
        app.request_as(user, Method::POST, "/api/v1/sync/progress")
            .json(&json!({ "deviceId": "ipad-1", "operations": operations })),
    )
    .await
}

async fn certificates_of(app: &TestApp, user_id: i64) -> Vec<certificates::Model> {
    certificates::Entity::find()
        .filter(certificates::Column::UserId.eq(user_id))
        .all(&app.db.conn)
        .await
        .expect("certificates")
}

async fn enrollment_of(app: &TestApp, user_id: i64, course_id: i64) -> Option<enrollments::Model> {
    enrollments::Entity::find()
        .filter(enrollments::Column::UserId.eq(user_id))
        .filter(enrollments::Column::CourseId.eq(course_id))
        .one(&app.db.conn)
        .await
        .expect("enrollment")
}

#[tokio::test]
async fn only_the_learner_who_finishes_gets_a_certificate() {
    let app = spawn_app().await;
    let (course, lessons) = course_with_lessons(&app, "oral-b", 2, 0).await;
    let other = db_user(&app.db.conn, "second@canada.ca", UserRole::Learner).await;
    assert_eq!(
        enroll(&app, &app.users.learner, course.id).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        enroll(&app, &other, course.id).await.status,
        StatusCode::CREATED
    );

    let first = json_ok(
        &progress(
            &app,
            &app.users.learner,
            lessons[0],
            json!({ "progress": 100, "timeSpentSeconds": 300 }),
        )
        .await,
        StatusCode::OK,
    );
    json_ok(
        &progress(&app, &other, lessons[0], json!({ "progress": 100 })).await,
        StatusCode::OK,
    );
    let last = json_ok(
        &progress(
            &app,
            &app.users.learner,
            lessons[1],
            json!({ "progress": 40, "completed": true }),
        )
        .await,
        StatusCode::OK,
    );

    assert_eq!(first["courseProgress"], 50);
    assert_eq!(last["courseProgress"], 100);
    assert_eq!(last["progress"], 100);
    assert_eq!(certificates_of(&app, app.users.learner.id).await.len(), 1);
    assert!(
        certificates_of(&app, other.id).await.is_empty(),
        "the other learner finished only half"
    );
    assert_eq!(
        enrollment_of(&app, app.users.learner.id, course.id)
            .await
            .expect("row")
            .status,
        EnrollmentStatus::Completed
    );
    let theirs = enrollment_of(&app, other.id, course.id).await.expect("row");
    assert_eq!(
        (theirs.status, theirs.progress),
        (EnrollmentStatus::Active, 50)
    );
    let view = json_ok(
        &send(app.request_as(
            &other,
            Method::GET,
            &format!("/api/v1/courses/{}/progress", course.id),
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        view,
        json!({ "courseId": course.id, "progress": 50, "completedLessons": 1, "totalLessons": 2, "completed": false })
    );
}

#[tokio::test]
async fn a_paid_course_cannot_be_entered_without_payment_but_an_admin_can_grant_it() {
    let app = spawn_app().await;
    let (course, lessons) = course_with_lessons(&app, "written-c", 1, 24_900).await;

    let refused = enroll(&app, &app.users.learner, course.id).await;
    assert_problem(&refused, StatusCode::PAYMENT_REQUIRED, "payment_required");
    assert!(
        enrollment_of(&app, app.users.learner.id, course.id)
            .await
            .is_none()
    );
    assert_problem(
        &progress(
            &app,
            &app.users.learner,
            lessons[0],
            json!({ "progress": 10 }),
        )
        .await,
        StatusCode::FORBIDDEN,
        "enrollment_required",
    );
    let by_learner = send(
        app.request_as(
            &app.users.learner,
            Method::POST,
            "/api/v1/admin/enrollments",
        )
        .json(&json!({ "userId": app.users.learner.id, "courseId": course.id })),
    )
    .await;
    assert_problem(&by_learner, StatusCode::FORBIDDEN, "forbidden");

    let granted = send(
        app.request_as(&app.users.admin, Method::POST, "/api/v1/admin/enrollments")
            .json(&json!({ "userId": app.users.learner.id, "courseId": course.id })),
    )
    .await;

    let body = json_ok(&granted, StatusCode::CREATED);
    assert_eq!(body["source"], "admin");
    assert_eq!(
        enrollment_of(&app, app.users.learner.id, course.id)
            .await
            .expect("row")
            .status,
        EnrollmentStatus::Active
    );
    json_ok(
        &progress(
            &app,
            &app.users.learner,
            lessons[0],
            json!({ "progress": 10 }),
        )
        .await,
        StatusCode::OK,
    );
    assert_problem(
        &enroll(&app, &app.users.learner, course.id).await,
        StatusCode::PAYMENT_REQUIRED,
        "payment_required",
    );
}

#[tokio::test]
async fn enrolling_twice_in_a_free_course_is_a_conflict_and_drafts_are_invisible() {
    let app = spawn_app().await;
    let (course, _) = course_with_lessons(&app, "reading-a", 1, 0).await;
    let mut draft: courses::ActiveModel =
        db_course(&app.db.conn, "draft-course", None).await.into();
    draft.status = Set(entity::enums::CourseStatus::Draft);
    let draft = draft.update(&app.db.conn).await.expect("draft");

    assert_eq!(
        enroll(&app, &app.users.learner, course.id).await.status,
        StatusCode::CREATED
    );
    assert_problem(
        &enroll(&app, &app.users.learner, course.id).await,
        StatusCode::CONFLICT,
        "already_enrolled",
    );
    assert_problem(
        &enroll(&app, &app.users.learner, draft.id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &enroll(&app, &app.users.learner, 999_999).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_eq!(
        enrollments::Entity::find()
            .count(&app.db.conn)
            .await
            .expect("count"),
        1
    );
}

#[tokio::test]
async fn a_learner_sees_only_their_own_enrollments_and_progress() {
    let app = spawn_app().await;
    let (mine, _) = course_with_lessons(&app, "mine", 1, 0).await;
    let (theirs, _) = course_with_lessons(&app, "theirs", 1, 0).await;
    let other = db_user(&app.db.conn, "other@canada.ca", UserRole::Learner).await;
    enroll(&app, &app.users.learner, mine.id).await;
    enroll(&app, &other, theirs.id).await;

    let listed = json_ok(
        &send(app.request_as(
            &app.users.learner,
            Method::GET,
            "/api/v1/users/me/enrollments",
        ))
        .await,
        StatusCode::OK,
    );
    let foreign = send(app.request_as(
        &app.users.learner,
        Method::GET,
        &format!("/api/v1/courses/{}/progress", theirs.id),
    ))
    .await;

    let items = listed["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["courseId"], mine.id);
    assert_eq!(items[0]["course"]["slug"], "mine");
    assert_problem(&foreign, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn progress_never_decreases_completion_is_sticky_and_time_adds_up() {
    let app = spawn_app().await;
    let (course, lessons) = course_with_lessons(&app, "sticky", 3, 0).await;
    enroll(&app, &app.users.learner, course.id).await;
    let learner = &app.users.learner;

    json_ok(
        &progress(
            &app,
            learner,
            lessons[0],
            json!({ "progress": 70, "timeSpentSeconds": 100 }),
        )
        .await,
        StatusCode::OK,
    );
    let lower = json_ok(
        &progress(
            &app,
            learner,
            lessons[0],
            json!({ "progress": 20, "timeSpentSeconds": 50 }),
        )
        .await,
        StatusCode::OK,
    );
    let done = json_ok(
        &progress(
            &app,
            learner,
            lessons[0],
            json!({ "progress": 80, "completed": true }),
        )
        .await,
        StatusCode::OK,
    );
    let after = json_ok(
        &progress(&app, learner, lessons[0], json!({ "progress": 10 })).await,
        StatusCode::OK,
    );

    assert_eq!(lower["progress"], 70);
    assert_eq!(lower["timeSpentSeconds"], 150);
    assert_eq!(done["progress"], 100);
    assert_eq!(after["completedAt"], done["completedAt"]);
    assert_eq!(
        after["syncVersion"], done["syncVersion"],
        "a no-op changes nothing"
    );
    let row = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::LessonId.eq(lessons[0]))
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!((row.progress, row.time_spent_seconds), (100, 150));
    assert!(row.completed_at.is_some());
    assert_problem(
        &progress(&app, learner, 424_242, json!({ "progress": 10 })).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &progress(&app, learner, lessons[1], json!({ "progress": 101 })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
}

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
            { "clientOpId": "d", "lessonId": lessons[0], "progress": 150 },
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
            ("rejected".to_owned(), "invalid_operation".to_owned()),
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
async fn concurrent_completions_issue_exactly_one_certificate() {
    let app = spawn_app().await;
    let (course, lessons) = course_with_lessons(&app, "race", 2, 0).await;
    enroll(&app, &app.users.learner, course.id).await;
    let learner = &app.users.learner;

    let (a, b, c) = tokio::join!(
        progress(&app, learner, lessons[0], json!({ "progress": 100 })),
        progress(&app, learner, lessons[1], json!({ "progress": 100 })),
        sync(
            &app,
            learner,
            json!([{ "clientOpId": "x", "lessonId": lessons[1], "progress": 100, "completed": true }])
        )
    );

    assert_eq!(
        [a.status, b.status, c.status],
        [StatusCode::OK; 3],
        "{} {} {}",
        a.text(),
        b.text(),
        c.text()
    );
    assert_eq!(certificates_of(&app, learner.id).await.len(), 1);
    assert_eq!(
        enrollment_of(&app, learner.id, course.id)
            .await
            .expect("row")
            .status,
        EnrollmentStatus::Completed
    );
}

async fn quiz_lesson(app: &TestApp) -> (courses::Model, i64) {
    let (course, lessons) = course_with_lessons(app, "quiz-course", 1, 0).await;
    let mut lesson: lessons::ActiveModel = lessons::Entity::find_by_id(lessons[0])
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("lesson")
        .into();
    lesson.r#type = Set(LessonType::Quiz);
    lesson.max_attempts = Set(Some(2));
    let lesson = lesson.update(&app.db.conn).await.expect("quiz");
    let authored = send(app.request_as(&app.users.admin, Method::PUT, &format!("/api/v1/lessons/{}/quiz/questions", lesson.id)).json(&json!({
        "questions": [
            { "question": "Choose the formal greeting", "questionFr": "Choisissez la salutation formelle", "options": ["Salut", "Bonjour madame"], "correctAnswer": 1 },
            { "question": "Past tense of 'aller'", "questionFr": "Passé composé de « aller »", "options": ["je suis allé", "j'ai allé", "j'allais"], "correctAnswer": 0 }
        ]
    })))
    .await;
    assert_eq!(authored.status, StatusCode::OK, "{}", authored.text());
    (course, lesson.id)
}

#[tokio::test]
async fn quiz_answers_never_reach_learners_and_attempts_are_limited() {
    let app = spawn_app().await;
    let (course, lesson) = quiz_lesson(&app).await;
    let learner = &app.users.learner;
    assert_problem(
        &send(app.request_as(
            learner,
            Method::GET,
            &format!("/api/v1/lessons/{lesson}/quiz"),
        ))
        .await,
        StatusCode::FORBIDDEN,
        "enrollment_required",
    );
    enroll(&app, learner, course.id).await;

    let quiz = send(app.request_as(
        learner,
        Method::GET,
        &format!("/api/v1/lessons/{lesson}/quiz"),
    ))
    .await;
    let body = json_ok(&quiz, StatusCode::OK);
    let questions = body["questions"].as_array().expect("questions").clone();
    let answer = |first: i64, second: i64| {
        json!({ "answers": [
            { "questionId": questions[0]["id"], "answer": first }, { "questionId": questions[1]["id"], "answer": second }
        ]})
    };
    let failed = send(
        app.request_as(
            learner,
            Method::POST,
            &format!("/api/v1/lessons/{lesson}/quiz"),
        )
        .json(&answer(0, 0)),
    )
    .await;
    let passed = send(
        app.request_as(
            learner,
            Method::POST,
            &format!("/api/v1/lessons/{lesson}/quiz"),
        )
        .json(&answer(1, 0)),
    )
    .await;
    let exhausted = send(
        app.request_as(
            learner,
            Method::POST,
            &format!("/api/v1/lessons/{lesson}/quiz"),
        )
        .json(&answer(1, 0)),
    )
    .await;

    for response in [&quiz, &failed, &passed] {
        assert!(
            !response.text().contains("correctAnswer"),
            "answers leaked: {}",
            response.text()
        );
    }
    assert_eq!(body["passMark"], 70);
    let failed = json_ok(&failed, StatusCode::CREATED);
    assert_eq!(
        (failed["score"].as_i64(), failed["passed"].as_bool()),
        (Some(50), Some(false))
    );
    let passed = json_ok(&passed, StatusCode::CREATED);
    assert_eq!(
        (
            passed["score"].as_i64(),
            passed["passed"].as_bool(),
            passed["attemptsRemaining"].as_i64()
        ),
        (Some(100), Some(true), Some(0))
    );
    assert!(passed["lessonProgress"]["completedAt"].is_string());
    assert_problem(
        &exhausted,
        StatusCode::UNPROCESSABLE_ENTITY,
        "attempts_exhausted",
    );
    let completed = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::LessonId.eq(lesson))
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert!(completed.completed_at.is_some());
    assert_eq!(
        certificates_of(&app, learner.id).await.len(),
        1,
        "the quiz was the course's only lesson"
    );
}

#[tokio::test]
async fn only_authors_can_write_quiz_questions() {
    let app = spawn_app().await;
    let (_, lesson) = quiz_lesson(&app).await;

    let by_learner = send(app.request_as(&app.users.learner, Method::PUT, &format!("/api/v1/lessons/{lesson}/quiz/questions")).json(&json!({
        "questions": [{ "question": "Q", "questionFr": "Q", "options": ["a", "b"], "correctAnswer": 0 }]
    })))
    .await;
    let invalid = send(app.request_as(&app.users.admin, Method::PUT, &format!("/api/v1/lessons/{lesson}/quiz/questions")).json(&json!({
        "questions": [{ "question": "Q", "questionFr": "Q", "options": ["a", "b"], "correctAnswer": 5 }]
    })))
    .await;

    assert_problem(&by_learner, StatusCode::FORBIDDEN, "forbidden");
    assert_problem(
        &invalid,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let stored = entity::courses::quiz_questions::Entity::find()
        .filter(entity::courses::quiz_questions::Column::LessonId.eq(lesson))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(stored, 2, "the authored questions are unchanged");
}

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

#[tokio::test]
async fn a_learner_records_their_own_sle_results_but_not_coach_assessments() {
    let app = spawn_app().await;
    let learner = &app.users.learner;
    let body = json!({ "results": [
        { "skill": "reading", "level": "B", "testedAt": "2026-03-02", "expiresAt": "2031-03-02", "source": "official" },
        { "skill": "oral", "level": "A", "source": "assessment" }
    ]});

    let saved = send(
        app.request_as(learner, Method::PUT, "/api/v1/users/me/sle-results")
            .json(&body),
    )
    .await;
    let coach = send(
        app.request_as(learner, Method::PUT, "/api/v1/users/me/sle-results")
            .json(&json!({ "results": [{ "skill": "oral", "level": "C", "source": "coach" }] })),
    )
    .await;
    let read = send(app.request_as(learner, Method::GET, "/api/v1/users/me/sle-results")).await;

    assert_eq!(
        json_ok(&saved, StatusCode::OK)["results"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_problem(
        &coach,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(
        json_ok(&read, StatusCode::OK)["results"][1]["skill"],
        "reading"
    );
    let stored = entity::users::sle_results::Entity::find()
        .filter(entity::users::sle_results::Column::UserId.eq(learner.id))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(stored, 2);
}

/// The issue's scripted walk, through HTTP only: an admin authors and publishes a bilingual
/// course; a learner enrols, progresses online and through an offline batch replayed twice,
/// completes, and gets one certificate whose PDF opens and whose public verification is valid;
/// a second learner's view stays separate.
#[tokio::test]
async fn the_learning_walk_from_authoring_to_a_verified_certificate() {
    let app = spawn_app().await;
    let admin = &app.users.admin;
    let learner = &app.users.learner;
    let second = db_user(&app.db.conn, "second.learner@canada.ca", UserRole::Learner).await;

    let course = json_ok(
        &send(app.request_as(admin, Method::POST, "/api/v1/courses").json(&json!({
            "title": "Oral interaction B", "titleFr": "Interaction orale B", "description": "Prepare the oral test",
            "descriptionFr": "Préparez l'examen oral", "language": "bilingual", "level": "B", "category": "oral"
        })))
        .await,
        StatusCode::CREATED,
    );
    let course_id = course["id"].as_i64().expect("course id");
    let module = json_ok(
        &send(
            app.request_as(
                admin,
                Method::POST,
                &format!("/api/v1/courses/{course_id}/modules"),
            )
            .json(&json!({
                "title": "Meetings", "titleFr": "Réunions", "order": 1
            })),
        )
        .await,
        StatusCode::CREATED,
    );
    let module_id = module["id"].as_i64().expect("module id");
    let mut lesson_ids = Vec::new();
    for (order, (title, title_fr)) in [
        ("Opening a meeting", "Ouvrir une réunion"),
        ("Summarising", "Résumer"),
    ]
    .into_iter()
    .enumerate()
    {
        let lesson = json_ok(
            &send(app.request_as(admin, Method::POST, &format!("/api/v1/modules/{module_id}/lessons")).json(&json!({
                "title": title, "titleFr": title_fr, "content": "…", "contentFr": "…", "type": "text",
                "duration": 600, "order": order + 1, "isPreview": order == 0
            })))
            .await,
            StatusCode::CREATED,
        );
        lesson_ids.push(lesson["id"].as_i64().expect("lesson id"));
    }
    let published = json_ok(
        &send(app.request_as(
            admin,
            Method::POST,
            &format!("/api/v1/courses/{course_id}/publish"),
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(published["status"], "published");

    assert_eq!(
        enroll(&app, learner, course_id).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        enroll(&app, &second, course_id).await.status,
        StatusCode::CREATED
    );
    json_ok(
        &progress(
            &app,
            learner,
            lesson_ids[0],
            json!({ "progress": 100, "timeSpentSeconds": 420 }),
        )
        .await,
        StatusCode::OK,
    );
    let batch = json!([{ "clientOpId": "walk-1", "lessonId": lesson_ids[1], "progress": 100, "timeSpentSeconds": 300, "completed": true }]);
    let first = json_ok(&sync(&app, learner, batch.clone()).await, StatusCode::OK);
    for _ in 0..2 {
        assert_eq!(
            json_ok(&sync(&app, learner, batch.clone()).await, StatusCode::OK),
            first
        );
    }
    assert_eq!(first["results"][0]["lessonProgress"]["courseProgress"], 100);

    let certificates = json_ok(
        &send(app.request_as(learner, Method::GET, "/api/v1/users/me/certificates")).await,
        StatusCode::OK,
    );
    let items = certificates["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    let (id, number) = (
        items[0]["id"].as_i64().expect("id"),
        items[0]["number"].as_str().expect("number").to_owned(),
    );
    let pdf = send(app.request_as(
        learner,
        Method::GET,
        &format!("/api/v1/certificates/{id}/pdf"),
    ))
    .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(pdf.body.starts_with(b"%PDF-"));
    let verified = json_ok(
        &send(app.get(&format!("/api/v1/certificates/{number}/verify"))).await,
        StatusCode::OK,
    );
    assert_eq!(verified["valid"], true);
    assert_eq!(verified["courseTitle"], "Oral interaction B");
    assert_problem(
        &send(app.request_as(
            &second,
            Method::GET,
            &format!("/api/v1/certificates/{id}/pdf"),
        ))
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    let theirs = json_ok(
        &send(app.request_as(
            &second,
            Method::GET,
            &format!("/api/v1/courses/{course_id}/progress"),
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (theirs["progress"].as_i64(), theirs["completed"].as_bool()),
        (Some(0), Some(false))
    );
    assert!(certificates_of(&app, second.id).await.is_empty());
    let time: i64 = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(learner.id))
        .all(&app.db.conn)
        .await
        .expect("rows")
        .iter()
        .map(|r| r.time_spent_seconds)
        .sum();
    assert_eq!(time, 720, "the replayed batch added its time once");
}

#[tokio::test]
async fn a_quiz_cannot_be_passed_by_answering_a_question_twice_nor_completed_by_a_progress_report()
{
    let app = spawn_app().await;
    let (course, lesson) = quiz_lesson(&app).await;
    let learner = &app.users.learner;
    enroll(&app, learner, course.id).await;
    let quiz = json_ok(
        &send(app.request_as(
            learner,
            Method::GET,
            &format!("/api/v1/lessons/{lesson}/quiz"),
        ))
        .await,
        StatusCode::OK,
    );
    let first = quiz["questions"][0]["id"].clone();
    let second = quiz["questions"][1]["id"].clone();

    let every_option = send(
        app.request_as(
            learner,
            Method::POST,
            &format!("/api/v1/lessons/{lesson}/quiz"),
        )
        .json(&json!({ "answers": [
            { "questionId": first, "answer": 0 }, { "questionId": first, "answer": 1 },
            { "questionId": second, "answer": 0 }
        ]})),
    )
    .await;
    let reported = json_ok(
        &progress(
            &app,
            learner,
            lesson,
            json!({ "progress": 100, "completed": true }),
        )
        .await,
        StatusCode::OK,
    );
    let synced = json_ok(
        &sync(
            &app,
            learner,
            json!([{ "clientOpId": "q", "lessonId": lesson, "progress": 100, "completed": true }]),
        )
        .await,
        StatusCode::OK,
    );

    let body = assert_problem(
        &every_option,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(body["errors"][0]["code"], "duplicate_answer");
    assert_eq!(
        entity::courses::quiz_attempts::Entity::find()
            .count(&app.db.conn)
            .await
            .expect("count"),
        0,
        "no attempt was used"
    );
    assert_eq!(
        (
            reported["progress"].as_i64(),
            reported["completedAt"].is_null()
        ),
        (Some(99), true)
    );
    assert_eq!(
        synced["results"][0]["lessonProgress"]["completedAt"],
        Value::Null
    );
    assert!(certificates_of(&app, learner.id).await.is_empty());
    assert_eq!(
        enrollment_of(&app, learner.id, course.id)
            .await
            .expect("row")
            .status,
        EnrollmentStatus::Active
    );
}

#[tokio::test]
async fn a_course_completes_only_when_every_lesson_is_done_even_when_rounding_says_100() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "long-course", None).await;
    let module = db_module(&app.db.conn, course.id, 1).await;
    let now = service::now();
    let rows = (1..=200).map(|order| lessons::ActiveModel {
        module_id: Set(module.id),
        title: Set(format!("Lesson {order}")),
        title_fr: Set(format!("Leçon {order}")),
        r#type: Set(LessonType::Text),
        duration: Set(60),
        order: Set(order),
        is_preview: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    });
    lessons::Entity::insert_many(rows)
        .exec(&app.db.conn)
        .await
        .expect("lessons");
    let ids: Vec<i64> = lessons::Entity::find()
        .filter(lessons::Column::ModuleId.eq(module.id))
        .all(&app.db.conn)
        .await
        .expect("ids")
        .iter()
        .map(|l| l.id)
        .collect();
    enroll(&app, &app.users.learner, course.id).await;
    let operations: Vec<Value> = ids[..199]
        .iter()
        .map(|id| json!({ "clientOpId": format!("l{id}"), "lessonId": id, "progress": 100 }))
        .collect();

    let results = json_ok(
        &sync(&app, &app.users.learner, Value::Array(operations)).await,
        StatusCode::OK,
    );

    assert_eq!(
        results["results"][198]["lessonProgress"]["courseProgress"], 100,
        "199/200 rounds to 100"
    );
    assert_eq!(
        enrollment_of(&app, app.users.learner.id, course.id)
            .await
            .expect("row")
            .status,
        EnrollmentStatus::Active
    );
    assert!(certificates_of(&app, app.users.learner.id).await.is_empty());
    json_ok(
        &progress(
            &app,
            &app.users.learner,
            ids[199],
            json!({ "progress": 100 }),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(certificates_of(&app, app.users.learner.id).await.len(), 1);
}

#[tokio::test]
async fn an_archived_course_stays_open_to_its_learners_and_closed_to_others() {
    let app = spawn_app().await;
    let (course, lessons) = course_with_lessons(&app, "archived", 1, 0).await;
    let outsider = db_user(&app.db.conn, "outsider@canada.ca", UserRole::Learner).await;
    enroll(&app, &app.users.learner, course.id).await;
    let archived = send(app.request_as(
        &app.users.admin,
        Method::DELETE,
        &format!("/api/v1/courses/{}", course.id),
    ))
    .await;
    assert_eq!(archived.status, StatusCode::NO_CONTENT);

    let mine = send(app.request_as(
        &app.users.learner,
        Method::GET,
        &format!("/api/v1/courses/{}", course.id),
    ))
    .await;
    let lesson = send(app.request_as(
        &app.users.learner,
        Method::GET,
        &format!("/api/v1/lessons/{}", lessons[0]),
    ))
    .await;
    let theirs = send(app.request_as(
        &outsider,
        Method::GET,
        &format!("/api/v1/courses/{}", course.id),
    ))
    .await;

    assert_eq!(json_ok(&mine, StatusCode::OK)["status"], "archived");
    assert_eq!(json_ok(&lesson, StatusCode::OK)["locked"], false);
    assert_problem(&theirs, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        courses::Entity::find_by_id(course.id)
            .one(&app.db.conn)
            .await
            .expect("q")
            .expect("row")
            .status,
        entity::enums::CourseStatus::Archived
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
