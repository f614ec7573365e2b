//! A local fake of Calendly (its OAuth server and API on one random port), the settings that
//! point the application at it, and helpers to connect a coach and to deliver signed webhooks.
//!
//! The fake hands out tokens, refreshes them (rotating the refresh token, once per refresh
//! token), accepts each authorization code once, and keeps what it received, so a test can
//! assert what the application sent (the client secret, a code exchanged once, a subscription
//! deleted, tokens revoked).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use entity::coaching::coach_profiles;
use entity::enums::CoachStatus;
use entity::users::users;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use crate::app::{TestApp, TestResponse, send, spawn_app_with};

/// The OAuth client the test applications are configured with.
pub const CLIENT_ID: &str = "test-calendly-client";
pub const CLIENT_SECRET: &str = "test-calendly-client-secret-0123456789";
/// The key Calendly signs the test webhooks with (`CALENDLY_WEBHOOK_SIGNING_KEY`).
pub const SIGNING_KEY: &str = "test-calendly-webhook-signing-key-0123456789";
/// `ENCRYPTION_KEY` of the test applications (32 bytes, base64).
pub const ENCRYPTION_KEY: &str = "Y2FsZW5kbHktdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2Q=";
/// `APP_BASE_URL` of the test applications.
pub const APP_BASE_URL: &str = "https://app.rusingacademy.test";

pub use crate::http::Received;
use crate::http::read_request;

impl Received {
    /// The body as a URL-encoded form.
    pub fn form(&self) -> HashMap<String, String> {
        parse_form(&String::from_utf8_lossy(&self.body))
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

#[derive(Default)]
struct Shared {
    received: Vec<Received>,
    issued: usize,
    used_codes: HashSet<String>,
    /// Access tokens that are valid now.
    access_tokens: HashSet<String>,
    /// Refresh tokens that may be used (once each).
    refresh_tokens: HashSet<String>,
    /// Every token handed out, for leak scans.
    all_tokens: Vec<String>,
    /// `expires_in` of the next tokens.
    expires_in: i64,
    subscriptions: Vec<(String, String)>,
    revoked: Vec<String>,
}

/// The fake Calendly, listening until the test's runtime ends.
pub struct FakeCalendly {
    /// `http://127.0.0.1:<port>`: both `CALENDLY_API_BASE` and `CALENDLY_AUTH_BASE`.
    pub base: String,
    /// The Calendly user the tokens belong to (`<base>/users/<name>`).
    pub user: String,
    shared: Arc<Mutex<Shared>>,
}

impl FakeCalendly {
    /// Starts the fake; its tokens belong to the Calendly user `name`.
    pub async fn start(name: &str) -> Self {
        let listener = match TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(err) => panic!("fake Calendly: {err}"),
        };
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let base = format!("http://127.0.0.1:{port}");
        let user = format!("{base}/users/{name}");
        let shared = Arc::new(Mutex::new(Shared {
            expires_in: 7200,
            ..Shared::default()
        }));
        let state = shared.clone();
        let (base_, user_) = (base.clone(), user.clone());
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let state = state.clone();
                let (base, user) = (base_.clone(), user_.clone());
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut socket).await else {
                        return;
                    };
                    let (status, body) = answer(&state, &base, &user, request).await;
                    let body = body.map(|b| b.to_string()).unwrap_or_default();
                    let head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(body.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self { base, user, shared }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    /// The requests received at `method` `path` (path without the query).
    pub fn requests(&self, method: &str, path: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.method == method && r.path.split('?').next() == Some(path))
            .collect()
    }

    /// Token requests of `grant_type`.
    pub fn grants(&self, grant_type: &str) -> Vec<Received> {
        self.requests("POST", "/oauth/token")
            .into_iter()
            .filter(|r| r.form().get("grant_type").map(String::as_str) == Some(grant_type))
            .collect()
    }

    /// Tokens handed out from now on expire at once (`expires_in: 0`), or after `seconds`.
    pub fn set_expires_in(&self, seconds: i64) {
        self.lock().expires_in = seconds;
    }

    /// Every access and refresh token handed out so far.
    pub fn tokens(&self) -> Vec<String> {
        self.lock().all_tokens.clone()
    }

    /// Tokens revoked through `/oauth/revoke`.
    pub fn revoked(&self) -> Vec<String> {
        self.lock().revoked.clone()
    }

    /// The webhook subscriptions that exist (uri, callback URL).
    pub fn subscriptions(&self) -> Vec<(String, String)> {
        self.lock().subscriptions.clone()
    }
}

fn token_answer(shared: &mut Shared) -> Value {
    shared.issued += 1;
    let n = shared.issued;
    let nonce: u64 = rand::random();
    let access = format!("calendly-access-{n}-{nonce:016x}");
    let refresh = format!("calendly-refresh-{n}-{nonce:016x}");
    shared.access_tokens.insert(access.clone());
    shared.refresh_tokens.insert(refresh.clone());
    shared.all_tokens.push(access.clone());
    shared.all_tokens.push(refresh.clone());
    json!({
        "token_type": "Bearer",
        "access_token": access,
        "refresh_token": refresh,
        "expires_in": shared.expires_in,
        "created_at": chrono::Utc::now().timestamp(),
    })
}

async fn answer(
    state: &Arc<Mutex<Shared>>,
    base: &str,
    user: &str,
    request: Received,
) -> (u16, Option<Value>) {
    let lock = || state.lock().unwrap_or_else(|e| e.into_inner());
    lock().received.push(request.clone());
    let path = request
        .path
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    let bearer = request
        .headers
        .get("authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::to_owned);
    let authorized = || {
        bearer
            .as_ref()
            .is_some_and(|t| lock().access_tokens.contains(t))
    };
    match (request.method.as_str(), path.as_str()) {
        ("POST", "/oauth/token") => {
            let form = request.form();
            if form.get("client_id").map(String::as_str) != Some(CLIENT_ID)
                || form.get("client_secret").map(String::as_str) != Some(CLIENT_SECRET)
            {
                return (401, Some(json!({"error": "invalid_client"})));
            }
            match form.get("grant_type").map(String::as_str) {
                Some("authorization_code") => {
                    let code = form.get("code").cloned().unwrap_or_default();
                    let mut shared = lock();
                    if code.is_empty() || !shared.used_codes.insert(code) {
                        return (400, Some(json!({"error": "invalid_grant"})));
                    }
                    (200, Some(token_answer(&mut shared)))
                }
                Some("refresh_token") => {
                    // Slow enough that concurrent refreshes would overlap.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    let token = form.get("refresh_token").cloned().unwrap_or_default();
                    let mut shared = lock();
                    if !shared.refresh_tokens.remove(&token) {
                        return (400, Some(json!({"error": "invalid_grant"})));
                    }
                    (200, Some(token_answer(&mut shared)))
                }
                _ => (400, Some(json!({"error": "unsupported_grant_type"}))),
            }
        }
        ("POST", "/oauth/revoke") => {
            let token = request.form().get("token").cloned().unwrap_or_default();
            let mut shared = lock();
            shared.access_tokens.remove(&token);
            shared.refresh_tokens.remove(&token);
            shared.revoked.push(token);
            (200, Some(json!({})))
        }
        _ if !authorized() => (401, Some(json!({"title": "Unauthenticated"}))),
        ("GET", "/users/me") => (
            200,
            Some(json!({"resource": {
                "uri": user,
                "name": "Coach on Calendly",
                "current_organization": format!("{base}/organizations/ORG1"),
            }})),
        ),
        ("POST", "/webhook_subscriptions") => {
            let body = request.json();
            let url = body["url"].as_str().unwrap_or_default().to_owned();
            let mut shared = lock();
            if shared.subscriptions.iter().any(|(_, u)| *u == url) {
                return (409, Some(json!({"title": "Already Exists"})));
            }
            let uri = format!(
                "{base}/webhook_subscriptions/SUB{}",
                shared.subscriptions.len() + 1
            );
            shared.subscriptions.push((uri.clone(), url.clone()));
            (
                201,
                Some(json!({"resource": {"uri": uri, "callback_url": url, "state": "active"}})),
            )
        }
        ("GET", "/webhook_subscriptions") => {
            let collection: Vec<Value> = lock()
                .subscriptions
                .iter()
                .map(|(uri, url)| json!({"uri": uri, "callback_url": url}))
                .collect();
            (200, Some(json!({"collection": collection})))
        }
        ("DELETE", p) if p.starts_with("/webhook_subscriptions/") => {
            let uri = format!("{base}{p}");
            let mut shared = lock();
            let before = shared.subscriptions.len();
            shared.subscriptions.retain(|(u, _)| *u != uri);
            if shared.subscriptions.len() < before {
                (204, None)
            } else {
                (404, Some(json!({"title": "Resource Not Found"})))
            }
        }
        _ => (404, Some(json!({"title": "Resource Not Found"}))),
    }
}

/// Decodes `a=1&b=x%20y` (also a query string).
pub fn parse_form(text: &str) -> HashMap<String, String> {
    text.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| {
            (
                crate::http::percent_decode(k),
                crate::http::percent_decode(v),
            )
        })
        .collect()
}

/// The settings that configure Calendly against `fake`.
pub fn settings(fake: &FakeCalendly) -> Vec<(&'static str, String)> {
    vec![
        ("CALENDLY_CLIENT_ID", CLIENT_ID.to_owned()),
        ("CALENDLY_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
        ("CALENDLY_API_BASE", fake.base.clone()),
        ("CALENDLY_AUTH_BASE", fake.base.clone()),
        ("CALENDLY_WEBHOOK_SIGNING_KEY", SIGNING_KEY.to_owned()),
        ("ENCRYPTION_KEY", ENCRYPTION_KEY.to_owned()),
        ("APP_BASE_URL", APP_BASE_URL.to_owned()),
    ]
}

/// An application configured for `fake`, with `extra` settings.
pub async fn spawn_app_for(fake: &FakeCalendly, extra: &[(&str, &str)]) -> TestApp {
    let settings = settings(fake);
    let mut all: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.extend_from_slice(extra);
    spawn_app_with(&all).await
}

/// The cipher of the test applications' tokens (the same `ENCRYPTION_KEY`).
pub fn cipher() -> service::crypto::Cipher {
    match service::crypto::parse_key(ENCRYPTION_KEY) {
        Some(key) => service::crypto::Cipher::new(key),
        None => panic!("ENCRYPTION_KEY of the tests"),
    }
}

/// The integration the test applications run, for calling the service directly.
pub fn integration(fake: &FakeCalendly, app: &TestApp) -> service::calendly::Calendly {
    let built = service::calendly::Calendly::new(
        service::calendly::Settings {
            client_id: CLIENT_ID.to_owned(),
            client_secret: CLIENT_SECRET.to_owned().into(),
            api_base: fake.base.clone(),
            auth_base: fake.base.clone(),
            webhook_signing_key: Some(SIGNING_KEY.to_owned().into()),
            public_base_url: app.address.clone(),
        },
        cipher(),
    );
    match built {
        Ok(calendly) => calendly,
        Err(err) => panic!("calendly: {err}"),
    }
}

/// Gives `user` a coach profile.
pub async fn db_coach_profile(
    db: &impl ConnectionTrait,
    user: &users::Model,
) -> coach_profiles::Model {
    let now = service::now();
    let row = coach_profiles::ActiveModel {
        user_id: Set(user.id),
        hourly_rate: Set(6000),
        trial_rate: Set(2500),
        currency: Set("CAD".to_owned()),
        payouts_enabled: Set(false),
        languages: Set(json!(["en", "fr"])),
        timezone: Set("America/Toronto".to_owned()),
        sle_verified: Set(false),
        status: Set(CoachStatus::Active),
        rating_avg: Set(0.0),
        rating_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    match row.insert(db).await {
        Ok(profile) => profile,
        Err(err) => panic!("coach profile: {err}"),
    }
}

/// `GET /integrations/calendly/authorize` as `user`; returns the `state` of the URL.
pub async fn authorize_state(app: &TestApp, user: &users::Model) -> String {
    let response = send(app.request_as(
        user,
        reqwest::Method::GET,
        "/api/v1/integrations/calendly/authorize",
    ))
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let url = response.json()["authorizeUrl"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    parse_form(query)
        .remove("state")
        .unwrap_or_else(|| panic!("no state in {url}"))
}

/// Calendly's redirect to the callback with `code` and `state`.
pub async fn callback(app: &TestApp, code: &str, state: &str) -> TestResponse {
    send(
        app.get("/api/v1/integrations/calendly/callback")
            .query(&[("code", code), ("state", state)]),
    )
    .await
}

/// Where a callback answer sends the browser.
pub fn location(response: &TestResponse) -> String {
    assert_eq!(response.status, StatusCode::FOUND, "{}", response.text());
    response.header("location").unwrap_or_default()
}

/// The `code` and `state` a callback answer hands to the web application
/// (`…/coach/integrations?calendly=authorized&code=…&state=…`); panics on any other answer.
pub fn authorized(response: &TestResponse) -> (String, String) {
    let location = location(response);
    let prefix = format!("{APP_BASE_URL}/coach/integrations?");
    let Some(query) = location.strip_prefix(&prefix) else {
        panic!("not back to the application: {location}");
    };
    let mut query = parse_form(query);
    assert_eq!(
        query.get("calendly").map(String::as_str),
        Some("authorized"),
        "{location}"
    );
    match (query.remove("code"), query.remove("state")) {
        (Some(code), Some(state)) => (code, state),
        _ => panic!("no code or state in {location}"),
    }
}

/// `POST /integrations/calendly/callback` as `user`: the web application completes.
pub async fn complete(app: &TestApp, user: &users::Model, code: &str, state: &str) -> TestResponse {
    send(
        app.request_as(
            user,
            reqwest::Method::POST,
            "/api/v1/integrations/calendly/callback",
        )
        .json(&json!({"code": code, "state": state})),
    )
    .await
}

/// Connects `coach` (who has a coach profile) to the fake through the real flow: authorize,
/// Calendly's redirect, then the completion as the coach.
pub async fn connect(app: &TestApp, coach: &users::Model) {
    let state = authorize_state(app, coach).await;
    let code = format!("code-{}", rand::random::<u32>());
    let (code, state) = authorized(&callback(app, &code, &state).await);
    let response = complete(app, coach, &code, &state).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["connected"], json!(true));
}

/// `POST /webhooks/calendly` with `body` signed now.
pub async fn deliver(app: &TestApp, body: &Value) -> TestResponse {
    let raw = body.to_string();
    let signature = service::webhooks::sign(
        SIGNING_KEY.as_bytes(),
        raw.as_bytes(),
        chrono::Utc::now().timestamp(),
    );
    send(
        app.post("/api/v1/webhooks/calendly")
            .header("content-type", "application/json")
            .header("Calendly-Webhook-Signature", signature)
            .body(raw),
    )
    .await
}

/// An `invitee.created` envelope: `learner_email` booked event `event` hosted by `fake`'s user.
pub fn invitee_created(fake: &FakeCalendly, event: &str, learner_email: &str) -> Value {
    json!({
        "event": "invitee.created",
        "created_at": "2026-12-01T15:00:00.000000Z",
        "created_by": fake.user,
        "payload": {
            "uri": format!("https://api.calendly.com/scheduled_events/{event}/invitees/INV1"),
            "email": learner_email,
            "name": "Learner",
            "status": "active",
            "scheduled_event": {
                "uri": format!("https://api.calendly.com/scheduled_events/{event}"),
                "name": "Coaching",
                "start_time": "2026-12-03T15:00:00.000000Z",
                "end_time": "2026-12-03T16:00:00.000000Z",
                "event_memberships": [{"user": fake.user}],
                "location": {"type": "zoom", "join_url": "https://zoom.example/j/123"}
            }
        }
    })
}

/// The `invitee.canceled` envelope of the same booking.
pub fn invitee_canceled(fake: &FakeCalendly, event: &str, learner_email: &str) -> Value {
    let mut body = invitee_created(fake, event, learner_email);
    body["event"] = json!("invitee.canceled");
    body["payload"]["status"] = json!("canceled");
    body["payload"]["cancellation"] =
        json!({"canceled_by": "Learner", "reason": "Conflict at work", "canceler_type": "invitee"});
    body
}

/// Every value of every table, as text (one line per row): what a copy of the database shows.
/// On SQLite the database files themselves are appended (pages not yet rewritten included).
pub async fn database_dump(app: &TestApp) -> String {
    use sea_orm::Statement;
    let db = &app.db.conn;
    let backend = db.get_database_backend();
    let mut out = String::new();
    for table in crate::schema::tables(db).await {
        let columns = crate::schema::columns(db, &table).await;
        let quote = |name: &str| match backend {
            sea_orm::DatabaseBackend::Sqlite => format!("\"{name}\""),
            _ => format!("`{name}`"),
        };
        let cast = match backend {
            sea_orm::DatabaseBackend::Sqlite => "TEXT",
            _ => "CHAR",
        };
        let select = columns
            .iter()
            .map(|c| format!("CAST({} AS {cast})", quote(&c.name)))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT {select} FROM {}", quote(&table)),
            ))
            .await
            .unwrap_or_else(|e| panic!("dumping {table}: {e}"));
        for row in rows {
            out.push_str(&table);
            for i in 0..columns.len() {
                let value: Option<String> = row.try_get_by_index(i).unwrap_or_default();
                out.push('|');
                out.push_str(&value.unwrap_or_default());
            }
            out.push('\n');
        }
    }
    if let Some(path) = app.db.url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or_default();
        for suffix in ["", "-wal"] {
            if let Ok(bytes) = std::fs::read(format!("{file}{suffix}")) {
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }
    out
}
