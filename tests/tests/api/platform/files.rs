//! Files under `DATA_DIR` are private to the service's user: directories 0700, files 0600 (the
//! SQLite database and its side files, the signing key, the `.eml` outbox with its links).

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::StatusCode;
use rusing_academy_tests::app::*;
use rusing_academy_tests::users::PASSWORD;
use serde_json::json;

/// Every directory and file under `root` (itself included), with its permission bits.
fn modes(root: &Path) -> Vec<(PathBuf, bool, u32)> {
    let metadata = std::fs::metadata(root).expect("metadata");
    let mut found = vec![(
        root.to_path_buf(),
        metadata.is_dir(),
        metadata.permissions().mode() & 0o777,
    )];
    if metadata.is_dir() {
        for entry in std::fs::read_dir(root).expect("read_dir") {
            found.extend(modes(&entry.expect("entry").path()));
        }
    }
    found
}

/// The embedded database is the one `DATA_DIR` holds, so this test runs the app on it (default
/// `DATABASE_URL`) on both suites.
#[tokio::test]
async fn what_the_app_writes_under_data_dir_is_private_to_its_user() {
    let parent = tempfile::tempdir().expect("temporary directory");
    let data_dir = parent.path().join("data");
    let vars = [
        ("DATA_DIR", data_dir.display().to_string()),
        ("PORT", "0".to_owned()),
        ("JWT_SECRET", TEST_JWT_SECRET.to_owned()),
        ("JOB_WORKERS", "0".to_owned()),
        ("PASSWORD_HASH_CONCURRENCY", "2".to_owned()),
    ];
    let settings = api::config::Settings::from_lookup(&|name| {
        vars.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
    })
    .expect("settings");
    let app = api::Application::build(settings).await.expect("app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    let worker = service::jobs::Worker::new(
        state.db.clone(),
        state.deps.clone(),
        service::jobs::WorkerOptions::new(4, Duration::from_secs(300), Duration::from_secs(1)),
    );

    let registered = send(
        reqwest::Client::new()
            .post(format!("{address}/api/v1/auth/register"))
            .json(&json!({ "email": "marie@canada.ca", "password": PASSWORD, "firstName": "Marie", "lastName": "Tremblay" })),
    )
    .await;
    let (_keep, running) = tokio::sync::watch::channel(false);
    worker
        .run_due(service::now(), &running)
        .await
        .expect("run the mail job");

    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{}",
        registered.text()
    );
    let found = modes(&data_dir);
    let names: Vec<String> = found
        .iter()
        .filter(|(_, dir, _)| !dir)
        .filter_map(|(path, _, _)| path.file_name()?.to_str().map(str::to_owned))
        .collect();
    for expected in [
        "rusing-academy.db",
        "rusing-academy.db-wal",
        "certificate-signing.key",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    let mails = std::fs::read_dir(data_dir.join("outbox"))
        .expect("outbox")
        .count();
    assert_eq!(mails, 1, "the verification mail: {names:?}");
    for (path, dir, mode) in found {
        let expected = if dir { 0o700 } else { 0o600 };
        assert_eq!(mode, expected, "mode of {} is {mode:o}", path.display());
    }
}
