//! Accounts and security: sessions and JWTs, password recovery, API keys, rate limits; the helpers
//! below register, log in and look accounts up for all of them.

mod api_keys;
mod credentials;
mod rate_limits;
mod recovery;
mod sessions;

use entity::users::users;
use reqwest::StatusCode;
use rusing_academy_tests::app::*;
use rusing_academy_tests::users::PASSWORD;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

const NEW_PASSWORD: &str = "Written-Expression-C-2028";

async fn register(app: &TestApp, email: &str) -> Value {
    let response = send(app.post("/api/v1/auth/register").json(&json!({
        "email": email, "password": PASSWORD, "firstName": "Marie", "lastName": "Tremblay", "language": "fr"
    })))
    .await;
    json_ok(&response, StatusCode::CREATED)
}

async fn login(app: &TestApp, email: &str, password: &str) -> TestResponse {
    send(
        app.post("/api/v1/auth/login")
            .json(&json!({ "email": email, "password": password })),
    )
    .await
}

async fn user_by_email(app: &TestApp, email: &str) -> users::Model {
    users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("user exists")
}
