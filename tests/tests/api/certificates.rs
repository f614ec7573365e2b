//! Certificates: issuing once, the learner's list, the PDF for its owner and administrators,
//! and the public verification by number.

use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use entity::certificates::certificates;
use entity::courses::courses;
use entity::enums::{Language, UserRole};
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionTrait,
};
use service::certificates::Signer;

/// The application's own signing key (generated into `DATA_DIR` at start-up).
fn signer(app: &TestApp) -> Signer {
    Signer::load_or_generate(app.data_dir.path(), None).expect("the app's signing key")
}

async fn issue(app: &TestApp, user: &users::Model, course: &courses::Model) -> certificates::Model {
    service::certificates::issue(&app.db.conn, &signer(app), user, course, Utc::now())
        .await
        .expect("issue a certificate")
}

async fn rows_for(app: &TestApp, user_id: i64) -> Vec<certificates::Model> {
    certificates::Entity::find()
        .filter(certificates::Column::UserId.eq(user_id))
        .all(&app.db.conn)
        .await
        .expect("query certificates")
}

async fn learner_named(
    app: &TestApp,
    email: &str,
    first: &str,
    last: &str,
    language: Language,
) -> users::Model {
    let user = db_user(&app.db.conn, email, UserRole::Learner).await;
    let mut row: users::ActiveModel = user.into();
    row.first_name = Set(first.to_owned());
    row.last_name = Set(last.to_owned());
    row.language = Set(language);
    row.update(&app.db.conn).await.expect("update user")
}

fn pdf_path(certificate: &certificates::Model) -> String {
    format!("/api/v1/certificates/{}/pdf", certificate.id)
}

fn verify_path(number: &str) -> String {
    format!("/api/v1/certificates/{number}/verify")
}

/// How a WinAnsi (here: Latin-1) text is written in the PDF content stream: a literal string
/// when ASCII, upper-case hex otherwise.
fn shown_in_pdf(text: &str) -> Vec<u8> {
    if text.is_ascii() {
        format!("({text})").into_bytes()
    } else {
        let hex: String = text
            .chars()
            .map(|c| format!("{:02X}", u32::from(c)))
            .collect();
        format!("<{hex}>").into_bytes()
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn keys_of(value: &serde_json::Value) -> BTreeSet<String> {
    value
        .as_object()
        .expect("a JSON object")
        .keys()
        .cloned()
        .collect()
}

#[tokio::test]
async fn issuing_twice_keeps_one_signed_certificate_with_the_same_number() {
    let app = spawn_app().await;
    let learner = &app.users.learner;
    let course = db_course(&app.db.conn, "oral-b", None).await;

    let first = issue(&app, learner, &course).await;
    let second = issue(&app, learner, &course).await;

    assert_eq!(second, first);
    let rows = rows_for(&app, learner.id).await;
    assert_eq!(rows, vec![first.clone()]);
    let body = first.number.strip_prefix("RA-").expect("RA- prefix");
    assert_eq!(body.len(), 12, "{}", first.number);
    assert!(
        body.chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
            && !body.contains(['I', 'L', 'O', 'U']),
        "Crockford base32: {}",
        first.number
    );
    assert_eq!(first.language, Language::En);
    assert_eq!(first.recipient_name, "Test User");
    assert_eq!(first.course_title, "Course oral-b");
    let message = service::certificates::signed_message(
        &first.number,
        "Test User",
        "Course oral-b",
        first.issued_at,
    );
    assert!(signer(&app).verify(message.as_bytes(), &first.signature));
}

#[tokio::test]
async fn concurrent_issuers_converge_on_one_certificate() {
    let app = spawn_app().await;
    let learner = &app.users.learner;
    let course = db_course(&app.db.conn, "oral-b", None).await;

    let (a, b, c) = tokio::join!(
        issue(&app, learner, &course),
        issue(&app, learner, &course),
        issue(&app, learner, &course),
    );

    assert_eq!(a, b);
    assert_eq!(b, c);
    assert_eq!(rows_for(&app, learner.id).await.len(), 1);
}

#[tokio::test]
async fn a_transaction_whose_snapshot_predates_the_winner_gets_the_winners_certificate() {
    let app = spawn_app().await;
    if app.db.conn.get_database_backend() != DbBackend::MySql {
        // SQLite serialises writers: a stale read transaction cannot write at all.
        eprintln!("MySQL/MariaDB only; skipped");
        return;
    }
    let learner = &app.users.learner;
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let txn = app.db.conn.begin().await.expect("begin");
    let before = certificates::Entity::find()
        .count(&txn)
        .await
        .expect("snapshot read");
    assert_eq!(before, 0);

    let winner = issue(&app, learner, &course).await;
    let loser = service::certificates::issue(&txn, &signer(&app), learner, &course, Utc::now())
        .await
        .expect("issue inside the stale transaction");
    txn.commit().await.expect("commit");

    assert_eq!(loser, winner);
    assert_eq!(rows_for(&app, learner.id).await.len(), 1);
}

#[tokio::test]
async fn the_owner_downloads_the_certificate_as_an_inline_pdf() {
    let app = spawn_app_with(&[("PUBLIC_BASE_URL", "https://academy.example.ca/")]).await;
    let learner = &app.users.learner;
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let certificate = issue(&app, learner, &course).await;

    let response = send(app.request_as(learner, Method::GET, &pdf_path(&certificate))).await;

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert_eq!(
        response.header("content-disposition"),
        Some(format!("inline; filename=\"{}.pdf\"", certificate.number))
    );
    assert!(response.body.starts_with(b"%PDF-"));
    assert!(response.body.trim_ascii_end().ends_with(b"%%EOF"));
    for text in [
        "Certificate of completion",
        "Test User",
        "Course oral-b",
        &format!("Certificate number: {}", certificate.number),
    ] {
        assert!(
            contains(&response.body, &shown_in_pdf(text)),
            "{text} is printed"
        );
    }
    let url = format!(
        "/URI (https://academy.example.ca/api/v1/certificates/{}/verify)",
        certificate.number
    );
    assert!(
        contains(&response.body, url.as_bytes()),
        "the verification URL is linked: {url}"
    );
}

#[tokio::test]
async fn someone_elses_or_an_unknown_certificate_pdf_is_404_not_found() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let certificate = issue(&app, &app.users.learner, &course).await;
    let other = db_user(&app.db.conn, "other@example.gc.ca", UserRole::Learner).await;
    let cases = [
        (&other, pdf_path(&certificate)),
        (&app.users.coach, pdf_path(&certificate)),
        (&app.users.hr_admin, pdf_path(&certificate)),
        (
            &app.users.learner,
            format!("/api/v1/certificates/{}/pdf", certificate.id + 1000),
        ),
    ];

    for (caller, path) in cases {
        let response = send(app.request_as(caller, Method::GET, &path)).await;

        assert_problem(&response, StatusCode::NOT_FOUND, "not_found");
        assert!(
            !response.text().contains(&certificate.number),
            "nothing about the certificate leaks"
        );
    }
}

#[tokio::test]
async fn an_admin_downloads_any_certificate_pdf() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let certificate = issue(&app, &app.users.learner, &course).await;

    let response =
        send(app.request_as(&app.users.admin, Method::GET, &pdf_path(&certificate))).await;

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(response.body.starts_with(b"%PDF-"));
}

#[tokio::test]
async fn anonymous_callers_get_401_for_the_pdf_and_the_list() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let certificate = issue(&app, &app.users.learner, &course).await;

    for path in [
        pdf_path(&certificate),
        "/api/v1/users/me/certificates".to_owned(),
    ] {
        let response = send(app.get(&path)).await;

        assert_problem(&response, StatusCode::UNAUTHORIZED, "unauthenticated");
    }
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

#[tokio::test]
async fn a_french_speaking_learner_gets_a_french_certificate() {
    let app = spawn_app().await;
    let learner = learner_named(
        &app,
        "helene.cote@example.gc.ca",
        "Hélène",
        "Côté",
        Language::Fr,
    )
    .await;
    let course = db_course(&app.db.conn, "oral-b", None).await;

    let certificate = issue(&app, &learner, &course).await;

    assert_eq!(certificate.language, Language::Fr);
    assert_eq!(certificate.course_title, "Cours oral-b");
    assert_eq!(certificate.recipient_name, "Hélène Côté");
    let response = send(app.request_as(&learner, Method::GET, &pdf_path(&certificate))).await;
    assert_eq!(response.status, StatusCode::OK);
    let date = certificate.issued_at.date_naive();
    for text in [
        "Certificat de réussite".to_owned(),
        "Hélène Côté".to_owned(),
        "Cours oral-b".to_owned(),
        format!("Numéro du certificat : {}", certificate.number),
    ] {
        assert!(
            contains(&response.body, &shown_in_pdf(&text)),
            "{text} is printed"
        );
    }
    assert!(!contains(
        &response.body,
        &shown_in_pdf("Certificate of completion")
    ));
    let issued = service::certificates::pdf::format_date(date, Language::Fr);
    assert!(contains(
        &response.body,
        &shown_in_pdf(&format!("Délivré le {issued}"))
    ));
    let list = send(app.request_as(&learner, Method::GET, "/api/v1/users/me/certificates")).await;
    let body = json_ok(&list, StatusCode::OK);
    assert_eq!(body["items"][0]["language"], "fr");
    assert_eq!(body["items"][0]["courseTitle"], "Cours oral-b");
}

#[tokio::test]
async fn the_list_shows_only_the_callers_certificates_newest_first_page_by_page() {
    let app = spawn_app().await;
    let learner = &app.users.learner;
    let other = db_user(&app.db.conn, "other@example.gc.ca", UserRole::Learner).await;
    let older_course = db_course(&app.db.conn, "written-a", None).await;
    let newer_course = db_course(&app.db.conn, "oral-b", None).await;
    let now = Utc::now();
    let signer = signer(&app);
    let older = service::certificates::issue(
        &app.db.conn,
        &signer,
        learner,
        &older_course,
        now - Duration::days(3),
    )
    .await
    .expect("issue");
    let newer = service::certificates::issue(&app.db.conn, &signer, learner, &newer_course, now)
        .await
        .expect("issue");
    let others = service::certificates::issue(&app.db.conn, &signer, &other, &newer_course, now)
        .await
        .expect("issue");

    let first = send(app.request_as(
        learner,
        Method::GET,
        "/api/v1/users/me/certificates?limit=1",
    ))
    .await;

    let first = json_ok(&first, StatusCode::OK);
    let items = first["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    let expected: BTreeSet<String> = [
        "id",
        "number",
        "courseId",
        "courseTitle",
        "issuedAt",
        "language",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(keys_of(&items[0]), expected, "{first}");
    assert_eq!(items[0]["id"], newer.id);
    assert_eq!(items[0]["number"], newer.number);
    assert_eq!(items[0]["courseId"], newer_course.id);
    assert_eq!(items[0]["courseTitle"], "Course oral-b");
    assert_eq!(items[0]["language"], "en");
    let cursor = first["nextCursor"].as_str().expect("a next page");
    let second = send(app.request_as(
        learner,
        Method::GET,
        &format!("/api/v1/users/me/certificates?limit=1&cursor={cursor}"),
    ))
    .await;
    let second = json_ok(&second, StatusCode::OK);
    let ids: Vec<i64> = second["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, vec![older.id]);
    assert!(second["nextCursor"].is_null());

    let theirs = send(app.request_as(&other, Method::GET, "/api/v1/users/me/certificates")).await;
    let theirs = json_ok(&theirs, StatusCode::OK);
    let ids: Vec<i64> = theirs["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, vec![others.id]);
}
