//! Tokens over time: a refresh serialised per coach, and disconnecting (the row goes at once,
//! the clean-up at Calendly through a job).

use entity::calendly::coach_calendly_integrations as integrations;
use entity::jobs::background_jobs;
use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::calendly::*;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use secrecy::ExposeSecret;
use service::calendly::token_aad;

#[tokio::test]
async fn twenty_callers_with_an_expired_token_refresh_it_once() {
    let fake = FakeCalendly::start("COACH1").await;
    let app = spawn_app_for(&fake, &[]).await;
    let profile = db_coach_profile(&app.db.conn, &app.users.coach).await;
    fake.set_expires_in(0);
    connect(&app, &app.users.coach).await;
    fake.set_expires_in(7200);
    let calendly = integration(&fake, &app);
    let pool = service::db::connect(&service::db::DbOptions {
        url: app.db.url.clone(),
        max_connections: 20,
        acquire_timeout: std::time::Duration::from_secs(30),
    })
    .await
    .unwrap();

    let tokens =
        join_all((0..20).map(|_| service::calendly::access_token(&pool, &calendly, profile.id)))
            .await;

    assert_eq!(
        fake.grants("refresh_token").len(),
        1,
        "one refresh reached Calendly"
    );
    let issued = fake.tokens();
    let newest_access = &issued[issued.len() - 2];
    for token in tokens {
        assert_eq!(token.unwrap().expose_secret(), newest_access);
    }
    // The new pair is stored, encrypted; the refresh token sent was the first one.
    let row = integrations::Entity::find()
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    let cipher = cipher();
    assert_eq!(
        cipher
            .decrypt(
                row.refresh_token.expose(),
                &token_aad(profile.id, "refresh")
            )
            .unwrap()
            .expose_secret(),
        issued[issued.len() - 1]
    );
    assert_eq!(
        fake.grants("refresh_token")[0].form()["refresh_token"],
        issued[1]
    );
    assert!(row.token_expires_at.unwrap() > chrono::Utc::now() + chrono::Duration::hours(1));
    let dump = database_dump(&app).await;
    for token in fake.tokens() {
        assert!(
            !dump.contains(token.as_str()),
            "plaintext token in the database"
        );
    }
}

#[tokio::test]
async fn disconnecting_removes_the_connection_and_cleans_up_at_calendly() {
    let fake = FakeCalendly::start("COACH1").await;
    let app = spawn_app_for(&fake, &[]).await;
    db_coach_profile(&app.db.conn, &app.users.coach).await;
    connect(&app, &app.users.coach).await;
    let path = "/api/v1/integrations/calendly";

    let learner = send(app.request_as(&app.users.learner, Method::DELETE, path)).await;
    assert_problem(&learner, StatusCode::FORBIDDEN, "calendly_coach_required");
    let response = send(app.request_as(&app.users.coach, Method::DELETE, path)).await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    assert_eq!(
        integrations::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        0
    );
    let jobs = background_jobs::Entity::find()
        .filter(background_jobs::Column::Kind.eq("calendly.disconnected"))
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1, "the clean-up is queued with the deletion");
    let tokens = fake.tokens();
    for token in &tokens {
        assert!(!jobs[0].payload.to_string().contains(token.as_str()));
    }

    app.run_due_jobs().await;
    let deleted = fake.requests("DELETE", "/webhook_subscriptions/SUB1");
    assert_eq!(deleted.len(), 1, "the subscription was deleted");
    assert!(fake.subscriptions().is_empty());
    let mut revoked = fake.revoked();
    revoked.sort();
    let mut expected = tokens.clone();
    expected.sort();
    assert_eq!(revoked, expected, "both tokens revoked");

    let again = send(app.request_as(&app.users.coach, Method::DELETE, path)).await;
    assert_problem(&again, StatusCode::NOT_FOUND, "not_found");
}
