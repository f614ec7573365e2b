//! What deleting an account does to coaching data, and what the export holds of it.

use entity::coaching::{coach_applications, coach_availability, coach_profiles, sessions};
use entity::enums::{CoachStatus, SessionStatus};
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::{booked, coach, slot_after};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

#[tokio::test]
async fn a_deleted_coach_leaves_no_words_and_their_learners_are_told_and_refunded() {
    let app = spawn_app().await;
    let db = &app.db.conn;
    let learner = &app.users.learner;
    let (coach_user, profile) = coach(&app, "leaving.coach@example.gc.ca", "America/Toronto").await;
    let mut row: coach_profiles::ActiveModel = profile.clone().into();
    row.bio = Set(Some("Twenty years in Gatineau".to_owned()));
    row.update(db).await.expect("bio");
    coach_applications::ActiveModel {
        user_id: Set(coach_user.id),
        motivation: Set("My personal story as a translator".to_owned()),
        status: Set(entity::enums::ApplicationStatus::Approved),
        created_at: Set(service::now()),
        updated_at: Set(service::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("application");
    let slot = slot_after(&app, profile.id, "single", chrono::Duration::days(3)).await;
    let session = booked(&app, learner, profile.id, "single", &slot).await;
    let session_id = session["id"].as_i64().expect("id");

    // Before: the coach's export holds their availability and the session.
    let export = json_ok(
        &send(app.request_as(&coach_user, Method::GET, "/api/v1/users/me/export")).await,
        StatusCode::OK,
    );
    assert_eq!(
        export["coachAvailability"].as_array().expect("rows").len(),
        7
    );
    assert_eq!(export["sessions"][0]["id"], session_id);

    let deleted = send(app.request_as(&coach_user, Method::DELETE, "/api/v1/users/me")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text());

    let profile = coach_profiles::Entity::find_by_id(profile.id)
        .one(db)
        .await
        .expect("q")
        .expect("the profile stays for the records");
    assert_eq!(profile.status, CoachStatus::Paused);
    assert_eq!((profile.bio, profile.specialization), (None, None));
    assert_eq!(
        coach_availability::Entity::find()
            .filter(coach_availability::Column::CoachId.eq(profile.id))
            .count(db)
            .await
            .expect("count"),
        0
    );
    let application = coach_applications::Entity::find()
        .filter(coach_applications::Column::UserId.eq(coach_user.id))
        .one(db)
        .await
        .expect("q")
        .expect("application");
    assert!(application.motivation.is_empty());
    let cancelled = sessions::Entity::find_by_id(session_id)
        .one(db)
        .await
        .expect("q")
        .expect("session");
    assert_eq!(cancelled.status, SessionStatus::Cancelled);
    assert_eq!(
        cancelled.refund_due,
        Some(cancelled.price + cancelled.tax_amount)
    );
    // The coach is gone from the search; the learner is told.
    assert_problem(
        &send(app.get(&format!("/api/v1/coaches/{}", profile.id))).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    app.run_due_jobs().await;
    let notices = json_ok(
        &send(app.request_as(learner, Method::GET, "/api/v1/notifications")).await,
        StatusCode::OK,
    );
    assert_eq!(
        notices["items"][0]["type"],
        json!("session.cancelled"),
        "{notices}"
    );
}

#[tokio::test]
async fn a_deleted_learner_forfeits_a_late_session_and_frees_the_coachs_time() {
    let app = spawn_app().await;
    let db = &app.db.conn;
    let learner = &app.users.learner;
    let (_, profile) = coach(&app, "staying.coach@example.gc.ca", "UTC").await;
    let slot = slot_after(&app, profile.id, "single", chrono::Duration::hours(2)).await;
    let session = booked(&app, learner, profile.id, "single", &slot).await;

    let deleted = send(app.request_as(learner, Method::DELETE, "/api/v1/users/me")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text());

    let row = sessions::Entity::find_by_id(session["id"].as_i64().expect("id"))
        .one(db)
        .await
        .expect("q")
        .expect("session");
    assert_eq!(row.status, SessionStatus::Cancelled);
    assert_eq!(row.refund_due, None, "a cancellation inside 24 hours");
    let free =
        rusing_academy_tests::coaching::slots(&app, profile.id, "single", service::now(), 1).await;
    assert!(free.contains(&slot), "{slot} is free again");
}
