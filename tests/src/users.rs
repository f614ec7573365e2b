//! Accounts several test domains arrange or read back: the password of users registered through
//! the API, users with chosen names and status, a user's row, the e-mails on an `/admin/users` page.

#![allow(clippy::expect_used)] // a failed expectation is a failed test

use std::collections::BTreeSet;

use entity::enums::{UserRole, UserStatus};
use entity::users::users;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::Value;

use crate::app::TestApp;
use crate::fixtures::db_user;

/// The password of the accounts tests register through the API.
pub const PASSWORD: &str = "Oral-Interaction-B-2027";

/// A user with the given names and status, created directly in the database.
pub async fn named_user(
    app: &TestApp,
    email: &str,
    (first_name, last_name): (&str, &str),
    role: UserRole,
    status: UserStatus,
) -> users::Model {
    let user = db_user(&app.db.conn, email, role).await;
    let mut row: users::ActiveModel = user.into();
    row.first_name = Set(first_name.to_owned());
    row.last_name = Set(last_name.to_owned());
    row.status = Set(status);
    row.update(&app.db.conn).await.expect("update user")
}

/// The row of user `id` as stored now.
pub async fn user_row(app: &TestApp, id: i64) -> users::Model {
    users::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .expect("query users")
        .expect("the user exists")
}

/// The e-mails on a page of users.
pub fn emails(page: &Value) -> BTreeSet<String> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page has items: {page}"))
        .iter()
        .map(|u| u["email"].as_str().expect("email").to_owned())
        .collect()
}
