//! Enrollments: free and paid courses, administrators' grants, one's own enrollments, and archived
//! courses staying open to their learners.

use entity::courses::courses;
use entity::enrollments::enrollments;
use entity::enums::{EnrollmentStatus, UserRole};
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::courses::course_with_lessons;
use rusing_academy_tests::enrollments::{enroll, enrollment_of};
use rusing_academy_tests::fixtures::*;
use rusing_academy_tests::progress::progress;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use serde_json::json;

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
