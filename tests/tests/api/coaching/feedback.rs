//! Feedback: only on completed sessions, once per participant; the coach's rating follows the
//! learners' ratings exactly, also when they all rate at once.

use chrono::Duration;
use entity::coaching::{coach_profiles, session_feedback, sessions};
use entity::enums::{SessionStatus, UserRole};
use entity::users::users;
use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::{act, booked, coach, move_session, profile_row, slot_after};
use rusing_academy_tests::fixtures::{db_session, db_user};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

async fn give(app: &TestApp, user: &users::Model, session: i64, rating: i64) -> TestResponse {
    send(
        app.request_as(
            user,
            Method::POST,
            &format!("/api/v1/sessions/{session}/feedback"),
        )
        .json(&json!({"rating": rating, "comment": "Clear and patient."})),
    )
    .await
}

async fn feedback_rows(app: &TestApp, session: i64) -> u64 {
    session_feedback::Entity::find()
        .filter(session_feedback::Column::SessionId.eq(session))
        .count(&app.db.conn)
        .await
        .unwrap()
}

/// A session of `coach` with `learner` that took place yesterday, arranged as completed.
async fn completed(app: &TestApp, coach: &coach_profiles::Model, learner: i64) -> i64 {
    let row = db_session(&app.db.conn, coach.id, learner).await;
    let mut row: sessions::ActiveModel = row.into();
    row.scheduled_at = Set(service::now() - Duration::days(1));
    row.status = Set(SessionStatus::Completed);
    row.update(&app.db.conn).await.unwrap().id
}

#[tokio::test]
async fn feedback_waits_for_completion_and_each_participant_gives_it_once() {
    let app = spawn_app().await;
    let (coach_user, profile) = coach(&app, "rated@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let at = slot_after(&app, profile.id, "single", Duration::days(2)).await;
    let id = booked(&app, &learner, profile.id, "single", &at).await["id"]
        .as_i64()
        .unwrap();

    let pending = give(&app, &learner, id, 5).await;
    assert_problem(&pending, StatusCode::CONFLICT, "session_not_completed");
    assert_eq!(
        act(&app, &coach_user, id, "confirm", None).await.status,
        StatusCode::OK
    );
    move_session(&app, id, service::now()).await;
    assert_eq!(
        act(&app, &coach_user, id, "start", None).await.status,
        StatusCode::OK
    );
    let running = give(&app, &coach_user, id, 5).await;
    assert_problem(&running, StatusCode::CONFLICT, "session_not_completed");
    assert_eq!(feedback_rows(&app, id).await, 0);
    assert_eq!(
        act(&app, &coach_user, id, "complete", None).await.status,
        StatusCode::OK
    );

    let out_of_range = give(&app, &learner, id, 6).await;
    assert_problem(
        &out_of_range,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let outsider = db_user(&app.db.conn, "outsider@example.gc.ca", UserRole::Learner).await;
    assert_problem(
        &give(&app, &outsider, id, 1).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &give(&app, &app.users.admin, id, 1).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_eq!(feedback_rows(&app, id).await, 0);

    let by_learner = give(&app, &learner, id, 4).await;
    let body = json_ok(&by_learner, StatusCode::CREATED);
    assert_eq!(
        (body["rating"].clone(), body["fromUserId"].clone()),
        (json!(4), json!(learner.id))
    );
    let by_coach = give(&app, &coach_user, id, 1).await;
    assert_eq!(by_coach.status, StatusCode::CREATED, "{}", by_coach.text());
    for user in [&learner, &coach_user] {
        let twice = give(&app, user, id, 5).await;
        assert_problem(&twice, StatusCode::CONFLICT, "feedback_exists");
    }
    assert_eq!(feedback_rows(&app, id).await, 2);

    // Only the learner's rating counts.
    let row = profile_row(&app, profile.id).await;
    assert_eq!((row.rating_avg, row.rating_count), (4.0, 1));

    let listed = send(app.request_as(
        &learner,
        Method::GET,
        &format!("/api/v1/sessions/{id}/feedback"),
    ))
    .await;
    assert_eq!(
        json_ok(&listed, StatusCode::OK).as_array().unwrap().len(),
        2
    );
    let hidden = send(app.request_as(
        &outsider,
        Method::GET,
        &format!("/api/v1/sessions/{id}/feedback"),
    ))
    .await;
    assert_problem(&hidden, StatusCode::NOT_FOUND, "not_found");

    // Another learner's rating moves the mean.
    let second = completed(&app, &profile, outsider.id).await;
    assert_eq!(
        give(&app, &outsider, second, 3).await.status,
        StatusCode::CREATED
    );
    let row = profile_row(&app, profile.id).await;
    assert_eq!((row.rating_avg, row.rating_count), (3.5, 2));
    let public = send(app.get(&format!("/api/v1/coaches/{}", profile.id))).await;
    let public = json_ok(&public, StatusCode::OK);
    assert_eq!(
        (public["ratingAvg"].clone(), public["ratingCount"].clone()),
        (json!(3.5), json!(2))
    );
}

#[tokio::test]
async fn ten_learners_rating_at_once_are_all_counted() {
    let app = spawn_app().await;
    let (_, profile) = coach(&app, "popular@coach.ca", "America/Toronto").await;
    let ratings = [5, 4, 3, 5, 1, 2, 5, 4, 3, 4];
    let mut parties = Vec::new();
    for (n, rating) in ratings.iter().enumerate() {
        let learner = db_user(
            &app.db.conn,
            &format!("l{n}@example.gc.ca"),
            UserRole::Learner,
        )
        .await;
        let session = completed(&app, &profile, learner.id).await;
        parties.push((learner, session, *rating));
    }

    let responses = join_all(
        parties
            .iter()
            .map(|(learner, session, rating)| give(&app, learner, *session, *rating)),
    )
    .await;
    for response in &responses {
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    }
    let row = profile_row(&app, profile.id).await;
    let sum: i64 = ratings.iter().sum();
    assert_eq!(row.rating_count, 10);
    #[allow(clippy::cast_precision_loss)]
    let mean = sum as f64 / 10.0;
    assert_eq!(row.rating_avg, mean);
    assert_eq!(
        session_feedback::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        10
    );
}

#[tokio::test]
async fn one_learner_posting_feedback_ten_times_at_once_counts_once() {
    let app = spawn_app().await;
    let (_, profile) = coach(&app, "once@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let session = completed(&app, &profile, learner.id).await;

    let responses = join_all((0..10).map(|_| give(&app, &learner, session, 2))).await;
    assert_race(&responses, StatusCode::CREATED, 1, "feedback_exists");
    assert_eq!(feedback_rows(&app, session).await, 1);
    let row = profile_row(&app, profile.id).await;
    assert_eq!((row.rating_avg, row.rating_count), (2.0, 1));
}
