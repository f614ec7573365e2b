//! End-to-end walks across domains, through HTTP only: from authoring a course to a verified
//! certificate.

use entity::enums::UserRole;
use entity::progress::lesson_progress;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::certificates::certificates_of;
use rusing_academy_tests::enrollments::enroll;
use rusing_academy_tests::fixtures::*;
use rusing_academy_tests::progress::{progress, sync};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

/// The scripted walk, through HTTP only: an admin authors and publishes a bilingual
/// course; a learner enrols, progresses online and through an offline batch replayed twice,
/// completes, and gets one certificate whose PDF opens and whose public verification is valid;
/// a second learner's view stays separate.
#[tokio::test]
async fn the_learning_walk_from_authoring_to_a_verified_certificate() {
    let app = spawn_app().await;
    let admin = &app.users.admin;
    let learner = &app.users.learner;
    let second = db_user(&app.db.conn, "second.learner@canada.ca", UserRole::Learner).await;

    let course = json_ok(
        &send(app.request_as(admin, Method::POST, "/api/v1/courses").json(&json!({
            "title": "Oral interaction B", "titleFr": "Interaction orale B", "description": "Prepare the oral test",
            "descriptionFr": "Préparez l'examen oral", "language": "bilingual", "level": "B", "category": "oral"
        })))
        .await,
        StatusCode::CREATED,
    );
    let course_id = course["id"].as_i64().expect("course id");
    let module = json_ok(
        &send(
            app.request_as(
                admin,
                Method::POST,
                &format!("/api/v1/courses/{course_id}/modules"),
            )
            .json(&json!({
                "title": "Meetings", "titleFr": "Réunions", "order": 1
            })),
        )
        .await,
        StatusCode::CREATED,
    );
    let module_id = module["id"].as_i64().expect("module id");
    let mut lesson_ids = Vec::new();
    for (order, (title, title_fr)) in [
        ("Opening a meeting", "Ouvrir une réunion"),
        ("Summarising", "Résumer"),
    ]
    .into_iter()
    .enumerate()
    {
        let lesson = json_ok(
            &send(app.request_as(admin, Method::POST, &format!("/api/v1/modules/{module_id}/lessons")).json(&json!({
                "title": title, "titleFr": title_fr, "content": "…", "contentFr": "…", "type": "text",
                "duration": 600, "order": order + 1, "isPreview": order == 0
            })))
            .await,
            StatusCode::CREATED,
        );
        lesson_ids.push(lesson["id"].as_i64().expect("lesson id"));
    }
    let published = json_ok(
        &send(app.request_as(
            admin,
            Method::POST,
            &format!("/api/v1/courses/{course_id}/publish"),
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(published["status"], "published");

    assert_eq!(
        enroll(&app, learner, course_id).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        enroll(&app, &second, course_id).await.status,
        StatusCode::CREATED
    );
    json_ok(
        &progress(
            &app,
            learner,
            lesson_ids[0],
            json!({ "progress": 100, "timeSpentSeconds": 420 }),
        )
        .await,
        StatusCode::OK,
    );
    let batch = json!([{ "clientOpId": "walk-1", "lessonId": lesson_ids[1], "progress": 100, "timeSpentSeconds": 300, "completed": true }]);
    let first = json_ok(&sync(&app, learner, batch.clone()).await, StatusCode::OK);
    for _ in 0..2 {
        assert_eq!(
            json_ok(&sync(&app, learner, batch.clone()).await, StatusCode::OK),
            first
        );
    }
    assert_eq!(first["results"][0]["lessonProgress"]["courseProgress"], 100);

    let certificates = json_ok(
        &send(app.request_as(learner, Method::GET, "/api/v1/users/me/certificates")).await,
        StatusCode::OK,
    );
    let items = certificates["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    let (id, number) = (
        items[0]["id"].as_i64().expect("id"),
        items[0]["number"].as_str().expect("number").to_owned(),
    );
    let pdf = send(app.request_as(
        learner,
        Method::GET,
        &format!("/api/v1/certificates/{id}/pdf"),
    ))
    .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(pdf.body.starts_with(b"%PDF-"));
    let verified = json_ok(
        &send(app.get(&format!("/api/v1/certificates/{number}/verify"))).await,
        StatusCode::OK,
    );
    assert_eq!(verified["valid"], true);
    assert_eq!(verified["courseTitle"], "Oral interaction B");
    assert_problem(
        &send(app.request_as(
            &second,
            Method::GET,
            &format!("/api/v1/certificates/{id}/pdf"),
        ))
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    let theirs = json_ok(
        &send(app.request_as(
            &second,
            Method::GET,
            &format!("/api/v1/courses/{course_id}/progress"),
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (theirs["progress"].as_i64(), theirs["completed"].as_bool()),
        (Some(0), Some(false))
    );
    assert!(certificates_of(&app, second.id).await.is_empty());
    let time: i64 = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(learner.id))
        .all(&app.db.conn)
        .await
        .expect("rows")
        .iter()
        .map(|r| r.time_spent_seconds)
        .sum();
    assert_eq!(time, 720, "the replayed batch added its time once");
}
