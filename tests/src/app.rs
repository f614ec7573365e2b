//! `spawn_app`: the real application on a random port against the test's own fresh database.

use std::collections::HashMap;

use api::config::Settings;
use entity::enums::UserRole;
use entity::users::users;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::Value;
use tempfile::TempDir;

use crate::db::TestDb;
use crate::fixtures::db_user;

/// One user per role, created directly in the database.
pub struct Users {
    pub learner: users::Model,
    pub coach: users::Model,
    pub hr_admin: users::Model,
    pub admin: users::Model,
}

/// A running application and what a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    pub port: u16,
    pub client: reqwest::Client,
    pub db: TestDb,
    pub users: Users,
    /// The application's `DATA_DIR`.
    pub data_dir: TempDir,
}

/// Environment every test app starts from; `overrides` are applied on top.
fn test_settings(db: &TestDb, data_dir: &TempDir, overrides: &[(&str, &str)]) -> Settings {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), db.url.clone()),
        ("HOST".into(), "127.0.0.1".into()),
        ("PORT".into(), "0".into()),
        ("DATA_DIR".into(), data_dir.path().display().to_string()),
        ("AUTO_MIGRATE".into(), "true".into()),
        (
            "JWT_SECRET".into(),
            "test-secret-test-secret-test-secret-0123".into(),
        ),
        ("DB_MAX_CONNECTIONS".into(), "5".into()),
        ("PASSWORD_HASH_CONCURRENCY".into(), "2".into()),
        ("SHUTDOWN_TIMEOUT".into(), "1".into()),
    ]);
    for (key, value) in overrides {
        vars.insert((*key).to_owned(), (*value).to_owned());
    }
    match Settings::from_lookup(&|name| vars.get(name).cloned()) {
        Ok(settings) => settings,
        Err(err) => panic!("test settings: {err}"),
    }
}

/// Starts the application with the default test settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts the application with some settings overridden (`("RATE_LIMIT_LOGIN_PER_MINUTE", "2")`).
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        api::telemetry::init(api::config::LogFormat::Pretty);
    }
    let db = TestDb::empty().await;
    let data_dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(err) => panic!("temporary DATA_DIR: {err}"),
    };
    let settings = test_settings(&db, &data_dir, overrides);
    let app = match api::Application::build(settings).await {
        Ok(app) => app,
        Err(err) => panic!("application failed to build: {err:#}"),
    };
    let port = app.port();
    tokio::spawn(app.run_until_stopped());

    let users = Users {
        learner: db_user(&db.conn, "learner@example.gc.ca", UserRole::Learner).await,
        coach: db_user(&db.conn, "coach@example.gc.ca", UserRole::Coach).await,
        hr_admin: db_user(&db.conn, "hr@example.gc.ca", UserRole::HrAdmin).await,
        admin: db_user(&db.conn, "admin@example.gc.ca", UserRole::Admin).await,
    };
    let client = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(client) => client,
        Err(err) => panic!("http client: {err}"),
    };
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        client,
        db,
        users,
        data_dir,
    }
}

impl TestApp {
    /// A request to `path` (absolute, e.g. `/api/v1/courses`).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.request(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> RequestBuilder {
        self.request(Method::POST, path)
    }
}

/// Sends the request, panicking on transport errors.
pub async fn send(request: RequestBuilder) -> Response {
    match request.send().await {
        Ok(response) => response,
        Err(err) => panic!("request failed: {err}"),
    }
}

/// Asserts a problem+json answer with `status` and `code`, and returns the document.
pub async fn assert_problem(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status, "status");
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json", "content type");
    let body: Value = match response.json().await {
        Ok(body) => body,
        Err(err) => panic!("problem body is not JSON: {err}"),
    };
    assert_eq!(body["code"], code, "problem code in {body}");
    assert_eq!(body["status"], status.as_u16(), "problem status in {body}");
    assert!(
        body["type"].as_str().is_some_and(|t| t.ends_with(code)),
        "problem type in {body}"
    );
    assert!(
        body["title"].is_string() && body["detail"].is_string(),
        "title and detail in {body}"
    );
    body
}

/// Reads a JSON body after asserting the status.
pub async fn json_ok(response: Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status, "status");
    match response.json().await {
        Ok(body) => body,
        Err(err) => panic!("body is not JSON: {err}"),
    }
}
