//! Certificates go only to verified accounts: a learner who completes a course before verifying
//! their e-mail address has the completion recorded and the certificate withheld, and gets it
//! when the address is verified, without completing anything again.

use chrono::Utc;
use entity::courses::courses;
use entity::enums::EnrollmentStatus;
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::certificates::certificates_of;
use rusing_academy_tests::courses::course_with_lessons;
use rusing_academy_tests::enrollments::{enroll, enrollment_of};
use rusing_academy_tests::progress::progress;
use rusing_academy_tests::users::{PASSWORD, user_row};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::json;

use super::signer;

const EMAIL: &str = "marie.tremblay@canada.ca";

/// A learner registered through the API: their address is not verified yet.
async fn registered(app: &TestApp) -> users::Model {
    let response = send(app.post("/api/v1/auth/register").json(&json!({
        "email": EMAIL, "password": PASSWORD, "firstName": "Marie", "lastName": "Tremblay"
    })))
    .await;
    let body = json_ok(&response, StatusCode::CREATED);
    assert_eq!(body["user"]["emailVerified"], false);
    user_row(app, body["user"]["id"].as_i64().expect("user id")).await
}

/// Enrols `learner` in `course` and completes all its `lessons`.
async fn complete(app: &TestApp, learner: &users::Model, course: &courses::Model, lessons: &[i64]) {
    assert_eq!(
        enroll(app, learner, course.id).await.status,
        StatusCode::CREATED
    );
    for lesson in lessons {
        let done = progress(
            app,
            learner,
            *lesson,
            json!({ "progress": 100, "completed": true }),
        )
        .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    }
}

async fn verify_email(app: &TestApp) {
    let mail = app.mails_to(EMAIL, 1).await.remove(0);
    let verified = send(
        app.post("/api/v1/auth/verify-email")
            .json(&json!({ "token": token_in(&mail) })),
    )
    .await;
    assert_eq!(
        verified.status,
        StatusCode::NO_CONTENT,
        "{}",
        verified.text()
    );
}

async fn listed(app: &TestApp, learner: &users::Model) -> Vec<serde_json::Value> {
    let page = send(app.request_as(learner, Method::GET, "/api/v1/users/me/certificates")).await;
    json_ok(&page, StatusCode::OK)["items"]
        .as_array()
        .expect("items")
        .clone()
}

#[tokio::test]
async fn completing_a_course_before_verifying_the_address_records_the_completion_but_issues_nothing()
 {
    let app = spawn_app().await;
    let learner = registered(&app).await;
    let (course, lessons) = course_with_lessons(&app, "oral-b", 2, 0).await;

    complete(&app, &learner, &course, &lessons).await;
    app.run_due_jobs().await;

    let enrollment = enrollment_of(&app, learner.id, course.id)
        .await
        .expect("enrolled");
    assert_eq!(
        (enrollment.status, enrollment.progress),
        (EnrollmentStatus::Completed, 100)
    );
    let progress = send(app.request_as(
        &learner,
        Method::GET,
        &format!("/api/v1/courses/{}/progress", course.id),
    ))
    .await;
    assert_eq!(json_ok(&progress, StatusCode::OK)["completed"], true);
    assert!(certificates_of(&app, learner.id).await.is_empty());
    assert!(listed(&app, &learner).await.is_empty());
}

#[tokio::test]
async fn verifying_the_address_later_issues_the_withheld_certificate_without_completing_again() {
    let app = spawn_app().await;
    let learner = registered(&app).await;
    let (course, lessons) = course_with_lessons(&app, "oral-b", 2, 0).await;
    let (no_certificate, other_lessons) = course_with_lessons(&app, "reading-a", 1, 0).await;
    let mut row: courses::ActiveModel = no_certificate.clone().into();
    row.has_certificate = Set(false);
    let no_certificate = row.update(&app.db.conn).await.expect("no certificate");
    let (unfinished, _) = course_with_lessons(&app, "writing-c", 1, 0).await;
    complete(&app, &learner, &course, &lessons).await;
    complete(&app, &learner, &no_certificate, &other_lessons).await;
    assert_eq!(
        enroll(&app, &learner, unfinished.id).await.status,
        StatusCode::CREATED
    );
    app.run_due_jobs().await;
    assert!(certificates_of(&app, learner.id).await.is_empty());

    verify_email(&app).await;
    app.run_due_jobs().await;

    let [certificate] = certificates_of(&app, learner.id)
        .await
        .try_into()
        .expect("exactly one certificate: the completed course that has one");
    assert_eq!(certificate.course_id, course.id);
    assert_eq!(certificate.recipient_name, "Marie Tremblay");
    let items = listed(&app, &learner).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["number"], certificate.number);
    let verified = send(app.get(&format!(
        "/api/v1/certificates/{}/verify",
        certificate.number
    )))
    .await;
    let verified = json_ok(&verified, StatusCode::OK);
    assert_eq!(
        (&verified["valid"], &verified["recipientName"]),
        (&json!(true), &json!("Marie Tremblay"))
    );

    let again =
        service::certificates::issue_withheld(&app.db.conn, &signer(&app), learner.id, Utc::now())
            .await
            .expect("issue withheld again");
    assert!(again.is_empty(), "nothing is issued twice");
    assert_eq!(certificates_of(&app, learner.id).await, vec![certificate]);
}

#[tokio::test]
async fn a_verified_learner_gets_the_certificate_at_completion() {
    let app = spawn_app().await;
    let learner = registered(&app).await;
    verify_email(&app).await;
    app.run_due_jobs().await;
    let (course, lessons) = course_with_lessons(&app, "oral-b", 1, 0).await;

    complete(&app, &learner, &course, &lessons).await;

    let [certificate] = certificates_of(&app, learner.id)
        .await
        .try_into()
        .expect("issued in the completing transaction");
    assert_eq!(certificate.course_id, course.id);
}
