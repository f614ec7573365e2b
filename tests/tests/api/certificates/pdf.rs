//! The certificate PDF (`/certificates/{id}/pdf`): for its owner and administrators only, printed in
//! the learner's language.

use entity::certificates::certificates;
use entity::enums::{Language, UserRole};
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use sea_orm::{ActiveModelTrait, Set};

use super::issue;

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
