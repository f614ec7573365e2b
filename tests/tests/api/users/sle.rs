//! SLE results (`/users/me/sle-results`): a learner records their own, never a coach's assessment.

use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

#[tokio::test]
async fn a_learner_records_their_own_sle_results_but_not_coach_assessments() {
    let app = spawn_app().await;
    let learner = &app.users.learner;
    let body = json!({ "results": [
        { "skill": "reading", "level": "B", "testedAt": "2026-03-02", "expiresAt": "2031-03-02", "source": "official" },
        { "skill": "oral", "level": "A", "source": "assessment" }
    ]});

    let saved = send(
        app.request_as(learner, Method::PUT, "/api/v1/users/me/sle-results")
            .json(&body),
    )
    .await;
    let coach = send(
        app.request_as(learner, Method::PUT, "/api/v1/users/me/sle-results")
            .json(&json!({ "results": [{ "skill": "oral", "level": "C", "source": "coach" }] })),
    )
    .await;
    let read = send(app.request_as(learner, Method::GET, "/api/v1/users/me/sle-results")).await;

    assert_eq!(
        json_ok(&saved, StatusCode::OK)["results"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_problem(
        &coach,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(
        json_ok(&read, StatusCode::OK)["results"][1]["skill"],
        "reading"
    );
    let stored = entity::users::sle_results::Entity::find()
        .filter(entity::users::sle_results::Column::UserId.eq(learner.id))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(stored, 2);
}
