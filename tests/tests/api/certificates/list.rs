//! The learner's list (`/users/me/certificates`): only the caller's certificates, newest first, page
//! by page.

use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use entity::enums::UserRole;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;

use super::signer;

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
    .expect("issue")
    .expect("issued");
    let newer = service::certificates::issue(&app.db.conn, &signer, learner, &newer_course, now)
        .await
        .expect("issue")
        .expect("issued");
    let others = service::certificates::issue(&app.db.conn, &signer, &other, &newer_course, now)
        .await
        .expect("issue")
        .expect("issued");

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
