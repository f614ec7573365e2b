//! Notifications: created by domain events in the reader's language, read markers, preferences
//! with quiet hours, and Web Push to a local push service.

mod preferences;
mod push;

use entity::enums::Language;
use entity::notifications::notifications;
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::courses::course_with_lessons;
use rusing_academy_tests::enrollments::enroll;
use rusing_academy_tests::events::EventStream;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

#[tokio::test]
async fn an_enrollment_is_told_in_the_learners_language_and_read_markers_count() {
    let app = spawn_app().await;
    let mut row: users::ActiveModel = app.users.learner.clone().into();
    row.language = Set(Language::Fr);
    let learner = row.update(&app.db.conn).await.unwrap();
    let (free, _) = course_with_lessons(&app, "oral-b", 1, 0).await;
    let (paid, _) = course_with_lessons(&app, "ecrit-c", 1, 9900).await;
    let mut stream = EventStream::open(&app.address, &app.token_for(&learner), None).await;

    assert_eq!(
        enroll(&app, &learner, free.id).await.status,
        StatusCode::CREATED
    );
    let granted = send(
        app.request_as(&app.users.admin, Method::POST, "/api/v1/admin/enrollments")
            .json(&json!({"userId": learner.id, "courseId": paid.id})),
    )
    .await;
    assert_eq!(granted.status, StatusCode::CREATED);
    app.run_due_jobs().await;

    let pushed = stream.next_of("notification").await;
    assert_eq!(pushed.data["notification"]["type"], "enrollment.granted");
    let page = json_ok(
        &send(app.request_as(&learner, Method::GET, "/api/v1/notifications")).await,
        StatusCode::OK,
    );
    let titles: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 2, "{page}");
    assert!(titles.contains(&"Inscription confirmée"), "{titles:?}");
    assert!(
        titles.contains(&"Vous avez été inscrit à un cours"),
        "{titles:?}"
    );
    let count = |user: &users::Model| {
        let request = app.request_as(user, Method::GET, "/api/v1/notifications/unread-count");
        async move { json_ok(&send(request).await, StatusCode::OK)["count"].clone() }
    };
    assert_eq!(count(&learner).await, 2);

    let first = page["items"][0]["id"].as_i64().unwrap();
    let foreign = send(app.request_as(
        &app.users.coach,
        Method::POST,
        &format!("/api/v1/notifications/{first}/read"),
    ))
    .await;
    assert_problem(&foreign, StatusCode::NOT_FOUND, "not_found");
    let read = json_ok(
        &send(app.request_as(
            &learner,
            Method::POST,
            &format!("/api/v1/notifications/{first}/read"),
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(read["read"], true);
    assert_eq!(count(&learner).await, 1);
    let unread_only = json_ok(
        &send(app.request_as(&learner, Method::GET, "/api/v1/notifications?unread=true")).await,
        StatusCode::OK,
    );
    assert_eq!(unread_only["items"].as_array().unwrap().len(), 1);
    let all = send(app.request_as(&learner, Method::POST, "/api/v1/notifications/read-all")).await;
    assert_eq!(all.status, StatusCode::NO_CONTENT);
    assert_eq!(count(&learner).await, 0);
    let unread_rows = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(learner.id))
        .filter(notifications::Column::Read.eq(false))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(unread_rows, 0);
    // The administrator's grant (category "account") is also mailed, in French.
    let mails = app.mails_to(&learner.email, 1).await;
    assert!(
        mails
            .iter()
            .any(|m| m.contains("Vous avez été inscrit à un cours")),
        "{mails:?}"
    );
}

#[tokio::test]
async fn a_notice_told_twice_with_one_key_is_told_once() {
    use entity::jobs::background_jobs;
    use service::notifications::{Bilingual, Category, Notice, notify};
    let app = spawn_app().await;
    let learner = app.users.learner.clone();
    let notice = Notice {
        category: Category::Learning,
        kind: "course.completed".to_owned(),
        title: Bilingual {
            en: "Course completed".to_owned(),
            fr: "Cours terminé".to_owned(),
        },
        message: Bilingual {
            en: "Well done.".to_owned(),
            fr: "Bravo.".to_owned(),
        },
        data: json!({"courseId": 1}),
        dedupe_key: Some("job:4242".to_owned()),
    };

    // A job that runs again (its lease expired after it committed) tells the notice again.
    let first = notify(&app.db.conn, learner.id, &notice).await.unwrap();
    let again = notify(&app.db.conn, learner.id, &notice).await.unwrap();

    assert!(first.is_some() && again.is_none());
    let rows = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(learner.id))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rows, 1);
    let pushes = background_jobs::Entity::find()
        .filter(background_jobs::Column::Kind.eq("notifications.push"))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(pushes, 1);
}
