//! Probes: liveness and readiness, and readiness following the database down and back up; who may
//! read `/metrics` (`METRICS_TOKEN`, production).

use reqwest::StatusCode;
use rusing_academy_tests::app::*;
use rusing_academy_tests::db::TestDb;

#[tokio::test]
async fn probes_answer_200_when_the_database_is_up() {
    let app = spawn_app().await;

    let live = json_ok(&send(app.get("/health/live")).await, StatusCode::OK);
    let ready = json_ok(&send(app.get("/health/ready")).await, StatusCode::OK);

    assert_eq!(live["status"], "ok");
    assert_eq!(ready["status"], "ok");
}

/// Needs a database server to lose: runs when `TEST_DATABASE_URL` points at MySQL/MariaDB (as in
/// CI); on SQLite there is no connection to cut.
#[tokio::test]
async fn readiness_turns_503_while_the_database_is_unreachable_and_recovers_without_restart() {
    let Some(server) = rusing_academy_tests::db::mysql_server() else {
        return;
    };
    let db = TestDb::empty().await;
    let authority = server
        .rsplit('@')
        .next()
        .unwrap_or("127.0.0.1:3306")
        .to_owned();
    let proxy = rusing_academy_tests::proxy::TcpProxy::start(&authority).await;
    let url = db
        .url
        .replacen(&authority, &format!("127.0.0.1:{}", proxy.port()), 1);
    let data_dir = tempfile::tempdir().expect("data dir");
    let settings = api::config::Settings::from_lookup(&|name| match name {
        "DATABASE_URL" => Some(url.clone()),
        "AUTO_MIGRATE" => Some("true".to_owned()),
        "PORT" => Some("0".to_owned()),
        "DATA_DIR" => Some(data_dir.path().display().to_string()),
        "DB_ACQUIRE_TIMEOUT_MS" => Some("1000".to_owned()),
        _ => None,
    })
    .expect("settings");
    let app = api::Application::build(settings).await.expect("app");
    let address = format!("http://127.0.0.1:{}/health/ready", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    assert_eq!(send(client.get(&address)).await.status, StatusCode::OK);

    proxy.cut();
    let started = std::time::Instant::now();
    let down = send(client.get(&address)).await;
    let elapsed = started.elapsed();
    assert_problem(
        &down,
        StatusCode::SERVICE_UNAVAILABLE,
        "database_unavailable",
    );
    assert!(
        elapsed < std::time::Duration::from_secs(3),
        "503 took {elapsed:?}"
    );

    proxy.restore().await;
    let mut status = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..50 {
        status = send(client.get(&address)).await.status;
        if status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, StatusCode::OK, "readiness did not recover");
}

const METRICS_TOKEN: &str = "scrape-0123456789-abcdef";

/// Whether a `/metrics` answer holds the metrics.
fn exposes_metrics(response: &TestResponse) -> bool {
    response
        .text()
        .contains("rusing_academy_http_requests_total")
}

#[tokio::test]
async fn with_a_metrics_token_configured_metrics_require_it_as_a_bearer_token() {
    let app = spawn_app_with(&[("METRICS_TOKEN", METRICS_TOKEN)]).await;
    send(app.get("/health/live")).await;

    let anonymous = send(app.get("/metrics")).await;
    let wrong = send(app.get("/metrics").bearer_auth("scrape-0123456789-abcdeF")).await;
    let prefix = send(app.get("/metrics").bearer_auth(&METRICS_TOKEN[..20])).await;
    let other_scheme = send(
        app.get("/metrics")
            .header("authorization", format!("ApiKey {METRICS_TOKEN}")),
    )
    .await;
    let access_token =
        send(app.request_as(&app.users.admin, reqwest::Method::GET, "/metrics")).await;
    let scraper = send(app.get("/metrics").bearer_auth(METRICS_TOKEN)).await;

    for refused in [&anonymous, &wrong, &prefix, &other_scheme, &access_token] {
        assert_problem(refused, StatusCode::UNAUTHORIZED, "invalid_metrics_token");
        assert!(!exposes_metrics(refused), "{}", refused.text());
    }
    assert_eq!(scraper.status, StatusCode::OK);
    assert!(exposes_metrics(&scraper), "{}", scraper.text());
}

#[tokio::test]
async fn in_production_metrics_are_not_exposed_without_a_metrics_token() {
    let closed = spawn_app_with(&[("APP_ENV", "production")]).await;
    let open = spawn_app_with(&[("APP_ENV", "production"), ("METRICS_TOKEN", METRICS_TOKEN)]).await;
    send(open.get("/health/live")).await;

    let anonymous = send(closed.get("/metrics")).await;
    let with_a_guess = send(closed.get("/metrics").bearer_auth(METRICS_TOKEN)).await;
    let scraper = send(open.get("/metrics").bearer_auth(METRICS_TOKEN)).await;

    for refused in [&anonymous, &with_a_guess] {
        assert_problem(refused, StatusCode::NOT_FOUND, "route_not_found");
        assert!(!exposes_metrics(refused), "{}", refused.text());
    }
    assert_eq!(scraper.status, StatusCode::OK);
    assert!(exposes_metrics(&scraper), "{}", scraper.text());
}

#[tokio::test]
async fn in_development_without_a_metrics_token_metrics_are_open() {
    let app = spawn_app().await;
    send(app.get("/health/live")).await;

    let response = send(app.get("/metrics")).await;

    assert_eq!(response.status, StatusCode::OK);
    assert!(exposes_metrics(&response), "{}", response.text());
}
