//! Progress reported per lesson: it never decreases, and a course completes with exactly one
//! certificate only once every lesson is done, concurrent reports included.

use entity::courses::lessons;
use entity::enums::{EnrollmentStatus, LessonType, UserRole};
use entity::progress::lesson_progress;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::certificates::certificates_of;
use rusing_academy_tests::courses::course_with_lessons;
use rusing_academy_tests::enrollments::{enroll, enrollment_of};
use rusing_academy_tests::fixtures::*;
use rusing_academy_tests::progress::{progress, sync};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

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
