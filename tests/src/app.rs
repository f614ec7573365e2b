//! `spawn_app`: the real application on a random port against the test's own fresh database.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use api::config::Settings;
use entity::enums::UserRole;
use entity::users::users;
use reqwest::{Method, RequestBuilder, StatusCode};
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
    /// Runs the queued jobs on demand (`run_due_jobs`): the app itself has no worker, so that
    /// tests decide when side effects happen and never sleep waiting for them.
    pub worker: std::sync::Arc<service::jobs::Worker>,
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
        ("JOB_WORKERS".into(), "0".into()),
        // The local push service of the tests listens on http://127.0.0.1.
        ("PUSH_ALLOW_LOCAL_ENDPOINTS".into(), "true".into()),
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
    let state = app.state();
    let worker = std::sync::Arc::new(service::jobs::Worker::new(
        state.db.clone(),
        state.deps.clone(),
        service::jobs::WorkerOptions::new(4, Duration::from_secs(300), Duration::from_secs(1)),
    ));
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
        worker,
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

    /// A valid access token for `user`, signed with the application's key (arrangement only:
    /// the login flow itself is tested through `/auth/login`).
    pub fn token_for(&self, user: &users::Model) -> String {
        let keys = service::auth::tokens::JwtKeys::new(
            TEST_JWT_SECRET.as_bytes(),
            Duration::from_secs(900),
        );
        match keys.issue(user.id, user.role, user.credential_version) {
            Ok(token) => token,
            Err(err) => panic!("issuing a test token: {err}"),
        }
    }

    /// A request authenticated as `user`.
    pub fn request_as(&self, user: &users::Model, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path).bearer_auth(self.token_for(user))
    }

    /// Decoded `.eml` files of the outbox.
    pub fn outbox(&self) -> Vec<String> {
        let dir = self.data_dir.path().join("outbox");
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .map(|raw| decode_quoted_printable(&raw))
            .collect()
    }

    /// Runs the due jobs (mails leave through the queue), then returns the `count` messages to
    /// `to` that the outbox must hold.
    pub async fn mails_to(&self, to: &str, count: usize) -> Vec<String> {
        self.run_due_jobs().await;
        let found: Vec<String> = self
            .outbox()
            .into_iter()
            .filter(|m| m.contains(&format!("To: {to}")))
            .collect();
        assert!(
            found.len() >= count,
            "expected {count} mail(s) to {to}; outbox: {:?}",
            self.outbox()
        );
        found
    }

    /// Another instance of the application (as a second replica would be) on the same database,
    /// serving on its own port; returns its job worker, which the test drives like `worker`.
    pub async fn second_instance(&self) -> std::sync::Arc<service::jobs::Worker> {
        self.replica(&[]).await.worker
    }

    /// Another instance of the application on the same database (and `DATA_DIR`), with some
    /// settings overridden, serving on its own port.
    pub async fn replica(&self, overrides: &[(&str, &str)]) -> Replica {
        let settings = test_settings(&self.db, &self.data_dir, overrides);
        let app = match api::Application::build(settings).await {
            Ok(app) => app,
            Err(err) => panic!("second instance failed to build: {err:#}"),
        };
        let state = app.state();
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        Replica {
            address,
            worker: std::sync::Arc::new(service::jobs::Worker::new(
                state.db.clone(),
                state.deps.clone(),
                service::jobs::WorkerOptions::new(
                    4,
                    Duration::from_secs(300),
                    Duration::from_secs(1),
                ),
            )),
        }
    }

    /// Runs every job due now, as the worker of `serve` would (the test app runs none by itself),
    /// until none is due; returns how many ran.
    pub async fn run_due_jobs(&self) -> usize {
        self.run_due_jobs_at(service::now()).await
    }

    /// Runs the jobs due at `now` (a time in the future makes retries and schedules due).
    pub async fn run_due_jobs_at(&self, now: chrono::DateTime<chrono::Utc>) -> usize {
        let (_keep, running) = tokio::sync::watch::channel(false);
        match self.worker.run_due(now, &running).await {
            Ok(ran) => ran,
            Err(err) => panic!("running due jobs: {err}"),
        }
    }
}

/// Another instance of the application (see [`TestApp::replica`]).
pub struct Replica {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    pub worker: std::sync::Arc<service::jobs::Worker>,
}

/// JWT secret of every test application.
pub const TEST_JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";

/// Undoes quoted-printable soft line breaks and `=XX` escapes.
pub fn decode_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(byte) = joined
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The secret token of the first link in a mail (`...?token=<secret>`).
pub fn token_in(mail: &str) -> String {
    let Some(start) = mail.find("token=") else {
        panic!("no token link in {mail}");
    };
    mail[start + 6..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// A fully read response.
#[derive(Debug, Clone)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON (panics when it is not JSON).
    pub fn json(&self) -> Value {
        match serde_json::from_slice(&self.body) {
            Ok(value) => value,
            Err(err) => panic!("body is not JSON ({err}): {}", self.text()),
        }
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// Every body this test process received, for leak scans.
static BODIES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Sends the request and reads the whole response. Every body is checked for password hashes
/// on the way: no response may ever contain one.
pub async fn send(request: RequestBuilder) -> TestResponse {
    let response = match request.send().await {
        Ok(response) => response,
        Err(err) => panic!("request failed: {err}"),
    };
    let status = response.status();
    let headers = response.headers().clone();
    let body = match response.bytes().await {
        Ok(body) => body.to_vec(),
        Err(err) => panic!("reading the body failed: {err}"),
    };
    let text = String::from_utf8_lossy(&body).into_owned();
    assert!(
        !text.contains("$argon2"),
        "a response contains a password hash: {text}"
    );
    if let Ok(mut bodies) = BODIES.lock() {
        bodies.push(text);
    }
    TestResponse {
        status,
        headers,
        body,
    }
}

/// Panics if any response body received so far contains one of `secrets`.
pub fn assert_no_response_contains(secrets: &[String]) {
    let bodies = BODIES.lock().map(|b| b.clone()).unwrap_or_default();
    for secret in secrets.iter().filter(|s| s.len() >= 16) {
        for body in &bodies {
            assert!(
                !body.contains(secret.as_str()),
                "a response leaked a stored secret: {body}"
            );
        }
    }
}

/// Requests that raced: `winners` of them answered `won`, and every other one 409 with `code`.
/// Returns the winners.
pub fn assert_race<'a>(
    responses: &'a [TestResponse],
    won: StatusCode,
    winners: usize,
    code: &str,
) -> Vec<&'a TestResponse> {
    let statuses: Vec<u16> = responses.iter().map(|r| r.status.as_u16()).collect();
    let (ok, refused): (Vec<&TestResponse>, Vec<&TestResponse>) =
        responses.iter().partition(|r| r.status == won);
    assert_eq!(ok.len(), winners, "{statuses:?}");
    for response in refused {
        assert_problem(response, StatusCode::CONFLICT, code);
    }
    ok
}

/// Asserts a problem+json answer with `status` and `code`, and returns the document.
pub fn assert_problem(response: &TestResponse, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status, status, "status of {}", response.text());
    assert_eq!(
        response.header("content-type").as_deref(),
        Some("application/problem+json"),
        "content type"
    );
    let body = response.json();
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
pub fn json_ok(response: &TestResponse, status: StatusCode) -> Value {
    assert_eq!(response.status, status, "status of {}", response.text());
    response.json()
}

/// The keys of a JSON object.
#[allow(clippy::expect_used)] // a failed expectation is a failed test
pub fn keys_of(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .expect("a JSON object")
        .keys()
        .cloned()
        .collect()
}

/// The fields a validation problem names in its `errors`.
#[allow(clippy::expect_used)] // a failed expectation is a failed test
pub fn error_fields(problem: &Value) -> BTreeSet<String> {
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("problem has errors: {problem}"))
        .iter()
        .map(|e| e["field"].as_str().expect("field name").to_owned())
        .collect()
}
