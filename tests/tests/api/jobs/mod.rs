//! The durable job queue: transactional enqueue, retries then `dead`, claims across replicas,
//! recurring schedules, domain events, and the administrators' routes.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{Duration, Utc};
use entity::enums::JobStatus;
use entity::jobs::background_jobs;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::{assert_problem, json_ok, send, spawn_app, spawn_app_with};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};
use serde::{Deserialize, Serialize};
use serde_json::json;
use service::jobs::{self, Context, Job};

/// Runs of each probe job in this test process, by job id.
static RUNS: Mutex<Option<HashMap<i64, u32>>> = Mutex::new(None);

fn runs() -> HashMap<i64, u32> {
    RUNS.lock().unwrap().clone().unwrap_or_default()
}

/// A job that only counts its runs.
#[derive(Debug, Serialize, Deserialize)]
struct Probe {
    n: u32,
}

impl Job for Probe {
    const KIND: &'static str = "test.probe";

    async fn run(self, ctx: &Context<'_>) -> service::Result<()> {
        tokio::task::yield_now().await;
        *RUNS
            .lock()
            .unwrap()
            .get_or_insert_with(HashMap::new)
            .entry(ctx.job.id)
            .or_default() += 1;
        Ok(())
    }
}

service::register_job!(Probe);

/// A job whose handler panics.
#[derive(Debug, Serialize, Deserialize)]
struct Explode;

impl Job for Explode {
    const KIND: &'static str = "test.explode";

    #[allow(clippy::panic)]
    async fn run(self, _ctx: &Context<'_>) -> service::Result<()> {
        panic!("a bug in a job handler");
    }
}

service::register_job!(Explode);

async fn jobs_of_kind(
    app: &rusing_academy_tests::app::TestApp,
    kind: &str,
) -> Vec<background_jobs::Model> {
    background_jobs::Entity::find()
        .filter(background_jobs::Column::Kind.eq(kind))
        .all(&app.db.conn)
        .await
        .unwrap()
}

/// Puts a job in the state a worker leaves when it dies: running, leased to it until `until`,
/// with `attempts` made.
async fn claimed_by_a_dead_worker(
    app: &rusing_academy_tests::app::TestApp,
    id: i64,
    until: chrono::DateTime<Utc>,
    attempts: i32,
) {
    use sea_orm::sea_query::Expr;
    background_jobs::Entity::update_many()
        .col_expr(
            background_jobs::Column::Status,
            Expr::value(JobStatus::Running),
        )
        .col_expr(background_jobs::Column::LockedBy, Expr::value("gone"))
        .col_expr(background_jobs::Column::LockedUntil, Expr::value(until))
        .col_expr(background_jobs::Column::Attempts, Expr::value(attempts))
        .filter(background_jobs::Column::Id.eq(id))
        .exec(&app.db.conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_job_enqueued_in_a_rolled_back_transaction_never_runs() {
    let app = spawn_app().await;
    let tx = app.db.conn.begin().await.unwrap();
    jobs::enqueue(&tx, &Probe { n: 1 }).await.unwrap();
    tx.rollback().await.unwrap();
    let committed = app.db.conn.begin().await.unwrap();
    jobs::enqueue(&committed, &Probe { n: 2 }).await.unwrap();
    committed.commit().await.unwrap();

    app.run_due_jobs().await;

    let rows = jobs_of_kind(&app, Probe::KIND).await;
    assert_eq!(rows.len(), 1, "only the committed job exists");
    assert_eq!(rows[0].payload, json!({ "n": 2 }));
    assert_eq!(rows[0].status, JobStatus::Succeeded);
    assert_eq!(runs(), HashMap::from([(rows[0].id, 1)]));
}

#[tokio::test]
async fn a_failing_job_retries_with_backoff_then_dies_and_an_administrator_can_retry_it() {
    // Mail goes to an SMTP port where nothing listens: every attempt fails for real.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let smtp = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(&[("MAIL_TRANSPORT", "smtp"), ("SMTP_URL", &smtp)]).await;
    let response = send(app.post("/api/v1/auth/register").json(&json!({
        "email": "amelie.roy@canada.ca", "password": "Oral-Interaction-B-2027",
        "firstName": "Amélie", "lastName": "Roy"
    })))
    .await;
    assert_eq!(response.status, StatusCode::CREATED);

    let started = service::now(); // microseconds, as stored
    app.run_due_jobs_at(started).await;
    let [job] = jobs_of_kind(&app, "auth.send_email_verification")
        .await
        .try_into()
        .unwrap();
    assert_eq!(job.status, JobStatus::Failed);
    assert_eq!(job.attempts, 1);
    assert!(job.last_error.as_deref().is_some_and(|e| !e.is_empty()));
    assert!(
        job.run_at >= started + Duration::seconds(10),
        "backoff: {}",
        job.run_at
    );
    assert!(job.locked_by.is_none() && job.locked_until.is_none());

    // Still before its retry time: nothing runs.
    app.run_due_jobs_at(started + Duration::seconds(5)).await;
    let [same] = jobs_of_kind(&app, "auth.send_email_verification")
        .await
        .try_into()
        .unwrap();
    assert_eq!(same.attempts, 1);

    let mut delays = Vec::new();
    let mut now = started;
    for _ in 1..job.max_attempts {
        now += Duration::hours(2);
        let before = jobs_of_kind(&app, "auth.send_email_verification")
            .await
            .remove(0);
        app.run_due_jobs_at(now).await;
        let after = jobs_of_kind(&app, "auth.send_email_verification")
            .await
            .remove(0);
        assert_eq!(after.attempts, before.attempts + 1);
        if after.status == JobStatus::Failed {
            delays.push((after.run_at - now).num_seconds());
        }
    }
    let dead = jobs_of_kind(&app, "auth.send_email_verification")
        .await
        .remove(0);
    assert_eq!(dead.status, JobStatus::Dead);
    assert_eq!(dead.attempts, dead.max_attempts);
    assert!(dead.last_error.is_some());
    assert!(
        delays.windows(2).all(|w| w[1] >= w[0]),
        "backoff grows: {delays:?}"
    );
    // A dead job stays dead.
    app.run_due_jobs_at(now + Duration::days(7)).await;
    let still = jobs_of_kind(&app, "auth.send_email_verification")
        .await
        .remove(0);
    assert_eq!(
        (still.status, still.attempts),
        (JobStatus::Dead, dead.attempts)
    );

    // The administrators see it and run it again, with a fresh budget.
    let listed = json_ok(
        &send(app.request_as(
            &app.users.admin,
            Method::GET,
            "/api/v1/admin/jobs?status=dead",
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(listed["items"][0]["id"], json!(dead.id));
    assert_eq!(
        listed["items"][0]["kind"],
        json!("auth.send_email_verification")
    );
    assert!(
        listed["items"][0].get("payload").is_none(),
        "payloads are not shown"
    );
    let path = format!("/api/v1/admin/jobs/{}/retry", dead.id);
    for user in [&app.users.learner, &app.users.coach, &app.users.hr_admin] {
        let refused = send(app.request_as(user, Method::POST, &path)).await;
        assert_problem(&refused, StatusCode::FORBIDDEN, "forbidden");
    }
    let retried = json_ok(
        &send(app.request_as(&app.users.admin, Method::POST, &path)).await,
        StatusCode::OK,
    );
    assert_eq!(retried["status"], json!("queued"));
    assert_eq!(retried["attempts"], json!(0));
    app.run_due_jobs().await;
    let again = jobs_of_kind(&app, "auth.send_email_verification")
        .await
        .remove(0);
    assert_eq!((again.status, again.attempts), (JobStatus::Failed, 1));

    let missing = send(app.request_as(
        &app.users.admin,
        Method::POST,
        "/api/v1/admin/jobs/999999/retry",
    ))
    .await;
    assert_problem(&missing, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_succeeded_job_cannot_be_retried() {
    let app = spawn_app().await;
    jobs::enqueue(&app.db.conn, &Probe { n: 7 }).await.unwrap();
    app.run_due_jobs().await;
    let [job] = jobs_of_kind(&app, Probe::KIND).await.try_into().unwrap();
    let path = format!("/api/v1/admin/jobs/{}/retry", job.id);
    let refused = send(app.request_as(&app.users.admin, Method::POST, &path)).await;
    assert_problem(&refused, StatusCode::CONFLICT, "job_not_retryable");
    let [unchanged] = jobs_of_kind(&app, Probe::KIND).await.try_into().unwrap();
    assert_eq!(
        (unchanged.status, unchanged.attempts),
        (JobStatus::Succeeded, 1)
    );
    assert_eq!(runs(), HashMap::from([(job.id, 1)]));
}

#[tokio::test]
async fn two_instances_on_one_database_run_each_of_200_jobs_exactly_once() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    for n in 0..200 {
        jobs::enqueue(&app.db.conn, &Probe { n }).await.unwrap();
    }
    let now = Utc::now();
    let (_keep, running) = tokio::sync::watch::channel(false);
    let (a, b) = tokio::join!(
        app.worker.run_due(now, &running),
        other.run_due(now, &running),
    );
    let (a, b) = (a.unwrap(), b.unwrap());

    let rows = jobs_of_kind(&app, Probe::KIND).await;
    assert_eq!(rows.len(), 200);
    assert!(
        rows.iter()
            .all(|r| r.status == JobStatus::Succeeded && r.attempts == 1)
    );
    let runs = runs();
    assert_eq!(runs.len(), 200);
    assert!(runs.values().all(|&n| n == 1), "a job ran twice: {runs:?}");
    assert!(a + b >= 200, "{a} + {b}");
    // Each recurring occurrence was queued once, though both instances scheduled it.
    for kind in [
        "progress.take_daily_snapshots",
        "auth.purge_expired_credentials",
        "admin.sample_pool",
    ] {
        let count = background_jobs::Entity::find()
            .filter(background_jobs::Column::Kind.eq(kind))
            .count(&app.db.conn)
            .await
            .unwrap();
        assert_eq!(count, 1, "{kind}");
    }
}

#[tokio::test]
async fn a_job_whose_lease_expired_is_claimed_again() {
    let app = spawn_app().await;
    jobs::enqueue(&app.db.conn, &Probe { n: 1 }).await.unwrap();
    let [job] = jobs_of_kind(&app, Probe::KIND).await.try_into().unwrap();
    // A worker claimed it and died; its lease runs five more minutes.
    claimed_by_a_dead_worker(&app, job.id, Utc::now() + Duration::minutes(5), 1).await;
    app.run_due_jobs().await;
    assert!(runs().is_empty(), "a live lease is respected");
    app.run_due_jobs_at(Utc::now() + Duration::minutes(6)).await;
    let [done] = jobs_of_kind(&app, Probe::KIND).await.try_into().unwrap();
    assert_eq!((done.status, done.attempts), (JobStatus::Succeeded, 2));
    assert_eq!(runs(), HashMap::from([(job.id, 1)]));
}

#[tokio::test]
async fn registration_queues_its_verification_mail_in_the_same_transaction() {
    let app = spawn_app().await;
    let body = json!({
        "email": "new.learner@canada.ca", "password": "Oral-Interaction-B-2027",
        "firstName": "Nadia", "lastName": "Roy"
    });
    let created = send(app.post("/api/v1/auth/register").json(&body)).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let taken = send(app.post("/api/v1/auth/register").json(&body)).await;
    assert_problem(&taken, StatusCode::CONFLICT, "email_taken");
    // One job for the account that exists; none for the refused registration.
    let queued = jobs_of_kind(&app, "auth.send_email_verification").await;
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].status, JobStatus::Queued);
    assert!(
        app.outbox().is_empty(),
        "nothing is mailed before the job runs"
    );
    app.mails_to("new.learner@canada.ca", 1).await;
}

#[tokio::test]
async fn a_panicking_job_fails_its_attempt_and_the_worker_goes_on() {
    let app = spawn_app().await;
    jobs::enqueue(&app.db.conn, &Explode).await.unwrap();
    jobs::enqueue(&app.db.conn, &Probe { n: 1 }).await.unwrap();

    app.run_due_jobs().await;

    let [exploded] = jobs_of_kind(&app, Explode::KIND).await.try_into().unwrap();
    assert_eq!((exploded.status, exploded.attempts), (JobStatus::Failed, 1));
    assert!(
        exploded
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("panicked"))
    );
    assert!(exploded.locked_by.is_none());
    let [probe] = jobs_of_kind(&app, Probe::KIND).await.try_into().unwrap();
    assert_eq!(probe.status, JobStatus::Succeeded);
}

#[tokio::test]
async fn a_job_whose_worker_died_during_its_last_attempt_is_dead_not_run_again() {
    let app = spawn_app().await;
    jobs::enqueue(&app.db.conn, &Probe { n: 1 }).await.unwrap();
    let [job] = jobs_of_kind(&app, Probe::KIND).await.try_into().unwrap();
    claimed_by_a_dead_worker(
        &app,
        job.id,
        Utc::now() - Duration::minutes(1),
        job.max_attempts,
    )
    .await;

    app.run_due_jobs().await;

    let [dead] = jobs_of_kind(&app, Probe::KIND).await.try_into().unwrap();
    assert_eq!(dead.status, JobStatus::Dead);
    assert_eq!(dead.attempts, job.max_attempts);
    assert!(
        dead.last_error
            .as_deref()
            .is_some_and(|e| e.contains("lease"))
    );
    assert!(runs().is_empty());
}
