//! The first administrator: created once from `ADMIN_EMAIL`/`ADMIN_PASSWORD`, taking over an account
//! already registered with that e-mail.

use entity::enums::UserRole;
use entity::users::users;
use rusing_academy_tests::app::*;
use rusing_academy_tests::db::TestDb;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

#[tokio::test]
async fn the_first_admin_is_bootstrapped_once_with_an_argon2id_hash() {
    let app = spawn_app_with(&[
        ("ADMIN_EMAIL", " Root@Example.GC.ca "),
        ("ADMIN_PASSWORD", "a-long-bootstrap-password"),
    ])
    .await;

    let root = users::Entity::find()
        .filter(users::Column::Email.eq("root@example.gc.ca"))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("bootstrapped admin exists");

    assert_eq!(root.role, UserRole::Admin);
    assert!(
        root.password
            .expose()
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
    );
    // spawn_app added its own admin afterwards; a second start finds admins and creates nobody.
    let second = api::config::Settings::from_lookup(&|name| match name {
        "DATABASE_URL" => Some(app.db.url.clone()),
        "PORT" => Some("0".to_owned()),
        "DATA_DIR" => Some(app.data_dir.path().display().to_string()),
        "ADMIN_EMAIL" => Some("other@example.gc.ca".to_owned()),
        "ADMIN_PASSWORD" => Some("another-long-password".to_owned()),
        _ => None,
    })
    .expect("settings");
    api::Application::build(second).await.expect("second start");
    let admins = users::Entity::find()
        .filter(users::Column::Role.eq(UserRole::Admin))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(
        admins, 2,
        "the root admin and spawn_app's admin; nobody else"
    );
}

#[tokio::test]
async fn the_bootstrap_takes_over_a_registered_admin_email_with_the_configured_password() {
    let db = TestDb::migrated().await;
    let squatter =
        rusing_academy_tests::fixtures::db_user(&db.conn, "root@example.gc.ca", UserRole::Learner)
            .await;
    let data_dir = tempfile::tempdir().expect("dir");
    let settings = api::config::Settings::from_lookup(&|name| match name {
        "DATABASE_URL" => Some(db.url.clone()),
        "PORT" => Some("0".to_owned()),
        "DATA_DIR" => Some(data_dir.path().display().to_string()),
        "ADMIN_EMAIL" => Some("root@example.gc.ca".to_owned()),
        "ADMIN_PASSWORD" => Some("the-operators-password".to_owned()),
        _ => None,
    })
    .expect("settings");

    api::Application::build(settings).await.expect("start");

    let root = users::Entity::find_by_id(squatter.id)
        .one(&db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(root.role, UserRole::Admin);
    assert_ne!(
        root.password.expose(),
        squatter.password.expose(),
        "the squatter's password is gone"
    );
    assert!(root.password.expose().starts_with("$argon2id$"));
}

#[tokio::test]
async fn a_squatter_promoted_by_the_bootstrap_loses_every_credential_it_held() {
    use reqwest::StatusCode;
    use sea_orm::{ActiveModelTrait, Set};
    use serde_json::json;

    let app = spawn_app().await;
    // Someone registers the address the operator will configure, and makes an all-scope key.
    let session = send(app.post("/api/v1/auth/register").json(&json!({
        "email": "root@example.gc.ca", "password": "Squatting-the-root-2027",
        "firstName": "Eve", "lastName": "Squatter"
    })))
    .await;
    let session = json_ok(&session, StatusCode::CREATED);
    let access = session["accessToken"].as_str().expect("token").to_owned();
    let key = send(
        app.post("/api/v1/api-keys")
            .bearer_auth(&access)
            .json(&json!({"name": "wait", "scopes": service::auth::actor::SCOPES})),
    )
    .await;
    let key = json_ok(&key, StatusCode::CREATED)["key"]
        .as_str()
        .expect("key")
        .to_owned();
    // The platform has no active administrator when the operator restarts with ADMIN_EMAIL.
    let mut admin: users::ActiveModel = app.users.admin.clone().into();
    admin.status = Set(entity::enums::UserStatus::Suspended);
    admin.update(&app.db.conn).await.expect("suspend");
    let restart = api::config::Settings::from_lookup(&|name| match name {
        "DATABASE_URL" => Some(app.db.url.clone()),
        "PORT" => Some("0".to_owned()),
        "DATA_DIR" => Some(app.data_dir.path().display().to_string()),
        "JWT_SECRET" => Some("test-secret-test-secret-test-secret-0123".to_owned()),
        "ADMIN_EMAIL" => Some("root@example.gc.ca".to_owned()),
        "ADMIN_PASSWORD" => Some("the-operators-password".to_owned()),
        _ => None,
    })
    .expect("settings");
    api::Application::build(restart).await.expect("restart");

    let root = users::Entity::find()
        .filter(users::Column::Email.eq("root@example.gc.ca"))
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(
        root.role,
        UserRole::Admin,
        "the operator's address is the admin"
    );
    // Neither the squatter's access token nor its key acts as the administrator.
    let with_token = send(app.get("/api/v1/admin/users").bearer_auth(&access)).await;
    assert_problem(&with_token, StatusCode::UNAUTHORIZED, "invalid_token");
    let with_key = send(
        app.get("/api/v1/admin/users")
            .header("authorization", format!("ApiKey {key}")),
    )
    .await;
    assert_eq!(
        with_key.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        with_key.text()
    );
    let refresh = send(
        app.post("/api/v1/auth/refresh")
            .json(&json!({"refreshToken": session["refreshToken"]})),
    )
    .await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
}
