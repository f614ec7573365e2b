//! Issuing: one signed certificate per learner and course, however often and concurrently it is
//! issued, and none to an account whose address is not verified.

use chrono::Utc;
use entity::certificates::certificates;
use entity::enums::Language;
use entity::users::users;
use rusing_academy_tests::app::*;
use rusing_academy_tests::certificates::certificates_of as rows_for;
use rusing_academy_tests::fixtures::*;
use sea_orm::{ActiveModelTrait, DbBackend, EntityTrait, PaginatorTrait, Set, TransactionTrait};

use super::{issue, signer};

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
        .expect("issue inside the stale transaction")
        .expect("issued");
    txn.commit().await.expect("commit");

    assert_eq!(loser, winner);
    assert_eq!(rows_for(&app, learner.id).await.len(), 1);
}

#[tokio::test]
async fn an_account_whose_address_is_not_verified_is_issued_nothing() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "oral-b", None).await;
    let mut row: users::ActiveModel = app.users.learner.clone().into();
    row.email_verified_at = Set(None);
    let unverified = row.update(&app.db.conn).await.expect("unverify");

    let issued = service::certificates::issue(
        &app.db.conn,
        &signer(&app),
        &unverified,
        &course,
        Utc::now(),
    )
    .await
    .expect("issue");

    assert_eq!(issued, None);
    assert!(rows_for(&app, unverified.id).await.is_empty());
}
