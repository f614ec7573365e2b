//! Enrolling through the API (`POST /courses/{id}/enroll`) and reading an enrollment row back.

#![allow(clippy::expect_used)] // a failed expectation is a failed test

use entity::enrollments::enrollments;
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::app::{TestApp, TestResponse, send};

/// `POST /courses/{id}/enroll` as `user`.
pub async fn enroll(
    app: &TestApp,
    user: &entity::users::users::Model,
    course_id: i64,
) -> TestResponse {
    send(app.request_as(
        user,
        Method::POST,
        &format!("/api/v1/courses/{course_id}/enroll"),
    ))
    .await
}

/// The enrollment of `user_id` in `course_id`, if any.
pub async fn enrollment_of(
    app: &TestApp,
    user_id: i64,
    course_id: i64,
) -> Option<enrollments::Model> {
    enrollments::Entity::find()
        .filter(enrollments::Column::UserId.eq(user_id))
        .filter(enrollments::Column::CourseId.eq(course_id))
        .one(&app.db.conn)
        .await
        .expect("enrollment")
}
