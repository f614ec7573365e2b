//! A holder who deletes their account (`DELETE /users/me`): their certificates stay genuine for a
//! verifier, who learns the number, the course and the date but never the erased person's name;
//! nobody can download the PDF any more.

use chrono::Utc;
use entity::certificates::certificates;
use entity::enums::{UserRole, UserStatus};
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::certificates::certificates_of;
use rusing_academy_tests::fixtures::*;
use rusing_academy_tests::users::named_user;
use sea_orm::{ActiveModelTrait, Set};

use super::{issue, signer};

fn verify_path(number: &str) -> String {
    format!("/api/v1/certificates/{number}/verify")
}

async fn marie(app: &TestApp) -> users::Model {
    named_user(
        app,
        "marie.tremblay@canada.ca",
        ("Marie", "Tremblay"),
        UserRole::Learner,
        UserStatus::Active,
    )
    .await
}

async fn delete_account(app: &TestApp, user: &users::Model) {
    let deleted = send(app.request_as(user, Method::DELETE, "/api/v1/users/me")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text());
}

#[tokio::test]
async fn a_deleted_holders_certificate_still_verifies_as_genuine_but_names_nobody() {
    let app = spawn_app().await;
    let holder = marie(&app).await;
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let certificate = issue(&app, &holder, &course).await;
    let others = issue(&app, &app.users.learner, &course).await;

    delete_account(&app, &holder).await;
    let response = send(app.get(&verify_path(&certificate.number))).await;

    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(body["valid"], true, "{body}");
    assert_eq!(body["number"], certificate.number);
    assert!(body["recipientName"].is_null(), "{body}");
    assert_eq!(body["recipientNameWithheld"], "account_deleted");
    assert_eq!(body["courseTitle"], "Course oral-b");
    let issued_at: chrono::DateTime<Utc> =
        serde_json::from_value(body["issuedAt"].clone()).expect("an RFC 3339 issuedAt");
    assert_eq!(issued_at, certificate.issued_at);
    for personal in ["Marie", "Tremblay", "marie.tremblay"] {
        assert!(!response.text().contains(personal), "{personal} in {body}");
    }
    let [stored]: [certificates::Model; 1] = certificates_of(&app, holder.id)
        .await
        .try_into()
        .expect("the certificate is kept");
    assert_eq!(stored.recipient_name, "", "the name is erased from the row");
    assert!(stored.holder_erased_at.is_some());
    assert_eq!(
        (stored.number.as_str(), stored.course_title.as_str()),
        (
            certificate.number.as_str(),
            certificate.course_title.as_str()
        )
    );
    let erased_message = service::certificates::signed_message(
        &stored.number,
        "",
        &stored.course_title,
        stored.issued_at,
    );
    assert!(signer(&app).verify(erased_message.as_bytes(), &stored.signature));
    let theirs = json_ok(
        &send(app.get(&verify_path(&others.number))).await,
        StatusCode::OK,
    );
    assert_eq!(
        (
            &theirs["valid"],
            &theirs["recipientName"],
            &theirs["recipientNameWithheld"]
        ),
        (
            &serde_json::json!(true),
            &serde_json::json!("Test User"),
            &serde_json::Value::Null
        ),
        "another holder's certificate is untouched"
    );
}

#[tokio::test]
async fn nobody_can_download_the_pdf_of_a_deleted_holders_certificate() {
    let app = spawn_app().await;
    let holder = marie(&app).await;
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let certificate = issue(&app, &holder, &course).await;
    let path = format!("/api/v1/certificates/{}/pdf", certificate.id);
    let before = send(app.request_as(&app.users.admin, Method::GET, &path)).await;
    assert_eq!(before.status, StatusCode::OK);

    delete_account(&app, &holder).await;
    let by_admin = send(app.request_as(&app.users.admin, Method::GET, &path)).await;
    let by_former_holder = send(app.request_as(&holder, Method::GET, &path)).await;
    let by_someone_else = send(app.request_as(&app.users.learner, Method::GET, &path)).await;

    assert_problem(&by_admin, StatusCode::FORBIDDEN, "certificate_erased");
    assert_problem(
        &by_former_holder,
        StatusCode::UNAUTHORIZED,
        "account_inactive",
    );
    assert_problem(&by_someone_else, StatusCode::NOT_FOUND, "not_found");
    for response in [&by_admin, &by_former_holder, &by_someone_else] {
        assert!(!response.body.starts_with(b"%PDF-"));
        assert!(!response.text().contains("Marie"));
    }
}

#[tokio::test]
async fn an_altered_certificate_is_not_made_valid_by_the_erasure() {
    let app = spawn_app().await;
    let holder = marie(&app).await;
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let certificate = issue(&app, &holder, &course).await;
    let mut row: certificates::ActiveModel = certificate.clone().into();
    row.course_title = Set("Advanced written expression".to_owned());
    row.update(&app.db.conn).await.expect("tamper");

    delete_account(&app, &holder).await;
    let response = send(app.get(&verify_path(&certificate.number))).await;

    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(body["valid"], false, "{body}");
    assert!(body["recipientName"].is_null(), "{body}");
    assert_eq!(body["recipientNameWithheld"], "account_deleted");
    let stored = certificates_of(&app, holder.id).await.remove(0);
    assert_eq!(stored.signature, certificate.signature, "not signed again");
    assert_eq!(stored.recipient_name, "");
}
