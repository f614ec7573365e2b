//! Reviews (`/courses/{id}/reviews`): by enrolled learners only, once each, and the course rating
//! follows.

use entity::courses::course_reviews;
use entity::enums::UserRole;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::{db_draft, field_codes};

#[tokio::test]
async fn only_enrolled_learners_review_a_course_once_and_the_rating_follows() {
    let app = spawn_app().await;
    let db = &app.db.conn;
    let course = db_course(db, "reviewed", Some(app.users.coach.id)).await;
    let path = format!("/api/v1/courses/{}/reviews", course.id);
    let learner = &app.users.learner;

    let outsider = send(
        app.request_as(learner, Method::POST, &path)
            .json(&json!({"rating": 5})),
    )
    .await;
    assert_problem(&outsider, StatusCode::FORBIDDEN, "enrollment_required");
    let anonymous = send(app.post(&path).json(&json!({"rating": 5}))).await;
    assert_problem(&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated");

    db_enrollment(db, learner.id, course.id).await;
    for (body, field) in [
        (json!({"rating": 0}), "rating"),
        (json!({"rating": 6}), "rating"),
        (json!({"rating": 3, "comment": "x".repeat(5001)}), "comment"),
    ] {
        let refused = send(app.request_as(learner, Method::POST, &path).json(&body)).await;
        let problem = assert_problem(
            &refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert!(field_codes(&problem).iter().any(|(f, _)| f == field));
    }
    let created = send(
        app.request_as(learner, Method::POST, &path)
            .json(&json!({"rating": 4, "comment": "  Très pratique  "})),
    )
    .await;
    let review = json_ok(&created, StatusCode::CREATED);
    assert_eq!(review["rating"], 4);
    assert_eq!(review["comment"], "Très pratique");
    assert_eq!(review["authorName"], "Test U.");
    assert!(review.get("userId").is_none());

    let again = send(
        app.request_as(learner, Method::POST, &path)
            .json(&json!({"rating": 1})),
    )
    .await;
    assert_problem(&again, StatusCode::CONFLICT, "already_reviewed");
    let stored = course_reviews::Entity::find()
        .filter(course_reviews::Column::CourseId.eq(course.id))
        .all(db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].user_id, stored[0].rating), (learner.id, 4));

    let other = db_user(db, "second@example.gc.ca", UserRole::Learner).await;
    db_enrollment(db, other.id, course.id).await;
    let second = send(
        app.request_as(&other, Method::POST, &path)
            .json(&json!({"rating": 5})),
    )
    .await;
    assert_eq!(second.status, StatusCode::CREATED);

    let detail = json_ok(
        &send(app.get(&format!("/api/v1/courses/{}", course.id))).await,
        StatusCode::OK,
    );
    assert_eq!(detail["rating"], json!({"average": 4.5, "count": 2}));
    let first_page = json_ok(
        &send(app.get(&format!("{path}?limit=1"))).await,
        StatusCode::OK,
    );
    assert_eq!(first_page["items"][0]["rating"], 5);
    let next = first_page["nextCursor"].as_str().expect("a second page");
    let second_page = json_ok(
        &send(app.get(&format!("{path}?limit=1&cursor={next}"))).await,
        StatusCode::OK,
    );
    assert_eq!(second_page["items"][0]["rating"], 4);
    assert_eq!(second_page["nextCursor"], Value::Null);

    let draft = db_draft(db, "unreleased", Some(app.users.coach.id)).await;
    db_enrollment(db, learner.id, draft.id).await;
    let hidden = send(
        app.request_as(
            learner,
            Method::POST,
            &format!("/api/v1/courses/{}/reviews", draft.id),
        )
        .json(&json!({"rating": 5})),
    )
    .await;
    assert_problem(&hidden, StatusCode::NOT_FOUND, "not_found");
}
