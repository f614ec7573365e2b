//! The demo data: loaded once; a second run creates nothing; `seed-demo` refuses production.

use entity::users::users;
use rusing_academy_tests::db::TestDb;
use sea_orm::{EntityTrait, PaginatorTrait};

/// Settings of the `seed-demo` command on `db`, in `app_env`.
fn command_settings(
    db: &TestDb,
    data_dir: &tempfile::TempDir,
    app_env: &str,
) -> api::config::Settings {
    let vars = [
        ("APP_ENV", app_env.to_owned()),
        ("DATABASE_URL", db.url.clone()),
        ("DATA_DIR", data_dir.path().display().to_string()),
        (
            "JWT_SECRET",
            rusing_academy_tests::app::TEST_JWT_SECRET.to_owned(),
        ),
    ];
    api::config::Settings::from_lookup(&|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
    .expect("settings")
}

#[tokio::test]
async fn seed_demo_refuses_to_run_in_production_and_writes_nothing() {
    let db = TestDb::migrated().await;
    let data_dir = tempfile::tempdir().expect("data dir");
    let mut out = Vec::new();

    let refused = api::commands::seed_demo(
        &command_settings(&db, &data_dir, "production"),
        "Bilingual-Demo-2026",
        &mut out,
    )
    .await
    .expect_err("seed-demo must refuse production");

    assert!(
        refused.to_string().contains("APP_ENV=production"),
        "{refused}"
    );
    assert!(out.is_empty(), "{}", String::from_utf8_lossy(&out));
    assert_eq!(
        users::Entity::find().count(&db.conn).await.expect("count"),
        0
    );

    // The same command in development seeds and lists the accounts.
    api::commands::seed_demo(
        &command_settings(&db, &data_dir, "development"),
        "Bilingual-Demo-2026",
        &mut out,
    )
    .await
    .expect("seed-demo in development");
    let printed = String::from_utf8_lossy(&out);
    assert!(printed.contains("@demo.rusingacademy.ca"), "{printed}");
    assert!(users::Entity::find().count(&db.conn).await.expect("count") > 10);
}

#[tokio::test]
async fn the_demo_data_is_loaded_once_and_a_second_run_creates_nothing() {
    let db = TestDb::migrated().await;

    let first = service::demo::seed(
        &db.conn,
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
    )
    .await
    .expect("first seed");
    let users_after_first = users::Entity::find().count(&db.conn).await.expect("count");
    let second = service::demo::seed(
        &db.conn,
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
    )
    .await
    .expect("second seed");

    assert!(
        first.created > 50,
        "a realistic demo: {} rows",
        first.created
    );
    assert_eq!(second.created, 0);
    assert_eq!(second.existing, first.created + first.existing);
    assert_eq!(
        users::Entity::find().count(&db.conn).await.expect("count"),
        users_after_first
    );
    let courses = entity::courses::courses::Entity::find()
        .count(&db.conn)
        .await
        .expect("count");
    assert_eq!(courses, 4);
    // Sessions in every status, and the completed one's rating on its coach.
    let statuses: std::collections::BTreeSet<String> = entity::coaching::sessions::Entity::find()
        .all(&db.conn)
        .await
        .expect("sessions")
        .into_iter()
        .map(|s| format!("{:?}", s.status))
        .collect();
    assert_eq!(statuses.len(), 6, "{statuses:?}");
    let rated = entity::coaching::coach_profiles::Entity::find()
        .all(&db.conn)
        .await
        .expect("profiles")
        .into_iter()
        .filter(|p| p.rating_count == 1 && (p.rating_avg - 5.0).abs() < f64::EPSILON)
        .count();
    assert_eq!(rated, 1);
}
