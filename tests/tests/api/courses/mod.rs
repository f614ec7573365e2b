//! Courses: authoring, the catalog, modules, lessons, reviews, learning paths and quizzes; the
//! helpers below arrange courses and read catalog answers for all of them.

mod authoring;
mod catalog;
mod lessons;
mod modules;
mod paths;
mod quizzes;
mod reviews;

use std::collections::BTreeSet;

use entity::courses::courses;
use entity::enums::CourseStatus;
use entity::users::users;
use reqwest::Method;
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde_json::Value;

async fn course_row(db: &impl ConnectionTrait, id: i64) -> courses::Model {
    courses::Entity::find_by_id(id)
        .one(db)
        .await
        .expect("query courses")
        .expect("the course exists")
}

/// A published course with its fields adjusted by `tweak`.
async fn db_course_with(
    db: &impl ConnectionTrait,
    slug: &str,
    instructor: Option<i64>,
    tweak: impl FnOnce(&mut courses::ActiveModel),
) -> courses::Model {
    let course = db_course(db, slug, instructor).await;
    let mut row: courses::ActiveModel = course.into();
    tweak(&mut row);
    row.update(db).await.expect("adjust course")
}

/// A draft course (never published).
async fn db_draft(
    db: &impl ConnectionTrait,
    slug: &str,
    instructor: Option<i64>,
) -> courses::Model {
    db_course_with(db, slug, instructor, |c| {
        c.status = Set(CourseStatus::Draft);
        c.published_at = Set(None);
    })
    .await
}

/// A lesson with its fields adjusted by `tweak`.
async fn db_lesson_with(
    db: &impl ConnectionTrait,
    module_id: i64,
    order: i32,
    tweak: impl FnOnce(&mut entity::courses::lessons::ActiveModel),
) -> entity::courses::lessons::Model {
    let lesson = db_lesson(db, module_id, order).await;
    let mut row: entity::courses::lessons::ActiveModel = lesson.into();
    tweak(&mut row);
    row.update(db).await.expect("adjust lesson")
}

async fn get_as(app: &TestApp, user: Option<&users::Model>, path: &str) -> TestResponse {
    match user {
        Some(user) => send(app.request_as(user, Method::GET, path)).await,
        None => send(app.get(path)).await,
    }
}

fn field_codes(problem: &Value) -> BTreeSet<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("problem has errors: {problem}"))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().expect("field").to_owned(),
                e["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page has items: {page}"))
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect()
}

fn etag_of(response: &TestResponse) -> String {
    response
        .header("etag")
        .unwrap_or_else(|| panic!("no ETag on {}", response.text()))
}
