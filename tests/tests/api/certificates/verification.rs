//! Public verification by number (`/certificates/{number}/verify`): only the signed fields, typing
//! slips forgiven, altered rows invalid, unknown numbers 404.

use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use entity::certificates::certificates;
use reqwest::StatusCode;
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use sea_orm::{ActiveModelTrait, Set};

use super::issue;

fn verify_path(number: &str) -> String {
    format!("/api/v1/certificates/{number}/verify")
}

#[tokio::test]
async fn verification_is_public_and_reveals_only_the_signed_fields() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let certificate = issue(&app, &app.users.learner, &course).await;

    let response = send(app.get(&verify_path(&certificate.number))).await;

    let body = json_ok(&response, StatusCode::OK);
    let expected: BTreeSet<String> = [
        "valid",
        "number",
        "recipientName",
        "recipientNameWithheld",
        "courseTitle",
        "issuedAt",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(keys_of(&body), expected, "{body}");
    assert_eq!(body["valid"], true);
    assert_eq!(body["number"], certificate.number);
    assert_eq!(body["recipientName"], "Test User");
    assert!(body["recipientNameWithheld"].is_null(), "{body}");
    assert_eq!(body["courseTitle"], "Course oral-b");
    let issued_at: chrono::DateTime<Utc> =
        serde_json::from_value(body["issuedAt"].clone()).expect("an RFC 3339 issuedAt");
    assert_eq!(issued_at, certificate.issued_at);
    assert!(!response.text().contains("learner@example.gc.ca"));
}

#[tokio::test]
async fn a_number_typed_in_lower_case_or_with_o_for_zero_still_verifies() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let certificate = issue(&app, &app.users.learner, &course).await;
    let typed = certificate.number.to_lowercase().replace('0', "o");

    let response = send(app.get(&verify_path(&typed))).await;

    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(body["number"], certificate.number);
    assert_eq!(body["valid"], true);
}

#[tokio::test]
async fn a_certificate_whose_stored_fields_were_altered_verifies_as_invalid() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let certificate = issue(&app, &app.users.learner, &course).await;
    let tampered_fields: [fn(&mut certificates::ActiveModel); 3] = [
        |row| row.recipient_name = Set("Mallory Forger".to_owned()),
        |row| row.course_title = Set("Advanced written expression".to_owned()),
        |row| row.issued_at = Set(Utc::now() - Duration::days(400)),
    ];

    for tamper in tampered_fields {
        let mut row: certificates::ActiveModel = certificate.clone().into();
        tamper(&mut row);
        let stored = row.update(&app.db.conn).await.expect("tamper");

        let response = send(app.get(&verify_path(&certificate.number))).await;

        let body = json_ok(&response, StatusCode::OK);
        assert_eq!(body["valid"], false, "{body}");
        assert_eq!(body["recipientName"], stored.recipient_name.as_str());
        assert_eq!(body["courseTitle"], stored.course_title.as_str());
        let restore: certificates::ActiveModel = certificate.clone().into();
        certificates::ActiveModel {
            recipient_name: Set(certificate.recipient_name.clone()),
            course_title: Set(certificate.course_title.clone()),
            issued_at: Set(certificate.issued_at),
            ..restore
        }
        .update(&app.db.conn)
        .await
        .expect("restore");
        let restored = send(app.get(&verify_path(&certificate.number))).await;
        assert_eq!(json_ok(&restored, StatusCode::OK)["valid"], true);
    }
}

#[tokio::test]
async fn an_unknown_or_malformed_number_is_404_not_found() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "oral-b", None).await;
    issue(&app, &app.users.learner, &course).await;

    for number in [
        "RA-000000000000",
        "RA-ZZZZZZZZZZZZ",
        "RA-123",
        "nonsense",
        "RA-UUUUUUUUUUUU",
    ] {
        let response = send(app.get(&verify_path(number))).await;

        assert_problem(&response, StatusCode::NOT_FOUND, "not_found");
    }
}
