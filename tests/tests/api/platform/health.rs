//! Probes: liveness and readiness, and readiness following the database down and back up.

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
