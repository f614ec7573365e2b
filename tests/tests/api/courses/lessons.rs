//! Lessons (`/lessons/{id}`): content only for entitled callers or previews, and `ETag`s on lessons
//! and their modules that refuse stale writes.

use chrono::{Duration, Utc};
use entity::courses::{lessons, modules};
use entity::enrollments::enrollments;
use entity::enums::{EnrollmentStatus, UserRole};
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};

use super::{course_row, db_lesson_with, etag_of, get_as};

#[tokio::test]
async fn modules_and_lessons_carry_etags_and_refuse_stale_writes() {
    let app = spawn_app().await;
    let coach = &app.users.coach;
    let course = db_course(&app.db.conn, "etags", Some(coach.id)).await;
    let module = db_module(&app.db.conn, course.id, 1).await;
    let lesson = db_lesson(&app.db.conn, module.id, 1).await;

    let lesson_path = format!("/api/v1/lessons/{}", lesson.id);
    let read = send(app.request_as(coach, Method::GET, &lesson_path)).await;
    let tag = etag_of(&read);
    let edited = send(
        app.request_as(coach, Method::PATCH, &lesson_path)
            .header("if-match", &tag)
            .json(&json!({"content": "New body", "passMark": 80})),
    )
    .await;
    assert_eq!(json_ok(&edited, StatusCode::OK)["content"], "New body");
    let stale = send(
        app.request_as(coach, Method::PATCH, &lesson_path)
            .header("if-match", &tag)
            .json(&json!({"content": "Lost"})),
    )
    .await;
    assert_problem(
        &stale,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    );
    let row = lessons::Entity::find_by_id(lesson.id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.content.as_deref(), Some("New body"));
    assert_eq!(row.pass_mark, Some(80));

    let module_path = format!("/api/v1/modules/{}", module.id);
    let stale_module = send(
        app.request_as(coach, Method::PATCH, &module_path)
            .header(
                "if-match",
                service::courses::etag(module.id, module.updated_at),
            )
            .json(&json!({"title": "Lost"})),
    )
    .await;
    // The lesson edit touched its module: the module's version moved on.
    assert_problem(
        &stale_module,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    );
    let module_row = modules::Entity::find_by_id(module.id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(module_row.title, module.title);
    assert!(module_row.updated_at > module.updated_at);
    assert!(course_row(&app.db.conn, course.id).await.updated_at > course.updated_at);
}

#[tokio::test]
async fn lesson_content_reaches_only_entitled_callers_or_previews() {
    let app = spawn_app().await;
    let db = &app.db.conn;
    let course = db_course(db, "gated", Some(app.users.coach.id)).await;
    let module = db_module(db, course.id, 1).await;
    let lesson = db_lesson(db, module.id, 1).await;
    let preview = db_lesson_with(db, module.id, 2, |l| l.is_preview = Set(true)).await;
    let enrolled = db_user(db, "enrolled@example.gc.ca", UserRole::Learner).await;
    db_enrollment(db, enrolled.id, course.id).await;
    let graduate = db_user(db, "graduate@example.gc.ca", UserRole::Learner).await;
    let done = db_enrollment(db, graduate.id, course.id).await;
    let mut row: enrollments::ActiveModel = done.into();
    row.status = Set(EnrollmentStatus::Completed);
    row.update(db).await.unwrap();
    let refunded = db_user(db, "refunded@example.gc.ca", UserRole::Learner).await;
    let gone = db_enrollment(db, refunded.id, course.id).await;
    let mut row: enrollments::ActiveModel = gone.into();
    row.status = Set(EnrollmentStatus::Refunded);
    row.update(db).await.unwrap();
    let lapsed = db_user(db, "lapsed@example.gc.ca", UserRole::Learner).await;
    let expired = db_enrollment(db, lapsed.id, course.id).await;
    let mut row: enrollments::ActiveModel = expired.into();
    row.expires_at = Set(Some(Utc::now() - Duration::days(1)));
    row.update(db).await.unwrap();
    let other_coach = db_user(db, "other.coach@example.gc.ca", UserRole::Coach).await;

    let path = format!("/api/v1/lessons/{}", lesson.id);
    let cases: [(Option<&users::Model>, bool); 9] = [
        (None, false),
        (Some(&app.users.learner), false),
        (Some(&refunded), false),
        (Some(&lapsed), false),
        (Some(&other_coach), false),
        (Some(&enrolled), true),
        (Some(&graduate), true),
        (Some(&app.users.coach), true),
        (Some(&app.users.admin), true),
    ];
    for (user, open) in cases {
        let response = get_as(&app, user, &path).await;
        let body = json_ok(&response, StatusCode::OK);
        let who = user.map_or("anonymous", |u| u.email.as_str());
        assert!(response.header("etag").is_some());
        assert_eq!(body["title"], "Lesson 1", "{who}");
        assert_eq!(body["locked"], !open, "{who}");
        if open {
            assert_eq!(
                (body["content"].as_str(), body["contentFr"].as_str()),
                (Some("Body"), Some("Contenu")),
                "{who}"
            );
        } else {
            assert_eq!(
                (&body["content"], &body["contentFr"]),
                (&Value::Null, &Value::Null),
                "{who}"
            );
            assert!(!response.text().contains("Contenu"), "{who}");
        }
    }
    let open_preview = json_ok(
        &get_as(&app, None, &format!("/api/v1/lessons/{}", preview.id)).await,
        StatusCode::OK,
    );
    assert_eq!(open_preview["locked"], false);
    assert_eq!(open_preview["content"], "Body");

    assert_problem(
        &get_as(&app, None, "/api/v1/lessons/999999").await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}
