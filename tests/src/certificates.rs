//! Reading a user's certificates back from the database.

#![allow(clippy::expect_used)] // a failed expectation is a failed test

use entity::certificates::certificates;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::app::TestApp;

/// Every certificate of `user_id`.
pub async fn certificates_of(app: &TestApp, user_id: i64) -> Vec<certificates::Model> {
    certificates::Entity::find()
        .filter(certificates::Column::UserId.eq(user_id))
        .all(&app.db.conn)
        .await
        .expect("certificates")
}
