//! Course arrangement several test domains share: a published course with one module of lessons.

#![allow(clippy::expect_used)] // a failed expectation is a failed test

use entity::courses::courses;
use sea_orm::{ActiveModelTrait, Set};

use crate::app::TestApp;
use crate::fixtures::{db_course, db_lesson, db_module};

/// A published course with one module of `lessons` text lessons; returns it and the lesson ids.
pub async fn course_with_lessons(
    app: &TestApp,
    slug: &str,
    lessons: i32,
    price: i64,
) -> (courses::Model, Vec<i64>) {
    let course = db_course(&app.db.conn, slug, None).await;
    let course = if price > 0 {
        let mut row: courses::ActiveModel = course.into();
        row.price = Set(price);
        row.update(&app.db.conn).await.expect("price")
    } else {
        course
    };
    let module = db_module(&app.db.conn, course.id, 1).await;
    let mut ids = Vec::new();
    for order in 1..=lessons {
        ids.push(db_lesson(&app.db.conn, module.id, order).await.id);
    }
    (course, ids)
}
