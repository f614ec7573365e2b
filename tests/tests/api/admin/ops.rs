//! The operator's views: sampled metrics and recorded server errors, with filters, for
//! administrators; and their retention.

use chrono::Duration;
use entity::admin::{error_logs, system_metrics};
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use service::admin::error_logs::{FailedRequest, record};

#[tokio::test]
async fn the_sampler_records_the_pool_and_the_job_queue_and_administrators_read_them() {
    let app = spawn_app().await;
    app.run_due_jobs().await;
    let response = send(app.request_as(
        &app.users.admin,
        Method::GET,
        "/api/v1/admin/metrics?name=job_queue_due",
    ))
    .await;
    let page = json_ok(&response, StatusCode::OK);
    let items = page["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{page}");
    assert!(items.iter().all(|m| m["metric"] == "job_queue_due"));
    let response =
        send(app.request_as(&app.users.admin, Method::GET, "/api/v1/admin/metrics")).await;
    let names: std::collections::BTreeSet<String> = json_ok(&response, StatusCode::OK)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["metric"].as_str().unwrap().to_owned())
        .collect();
    for name in [
        "db_pool_open",
        "db_pool_in_use",
        "job_queue_due",
        "job_queue_dead",
    ] {
        assert!(names.contains(name), "{names:?}");
    }
    let response =
        send(app.request_as(&app.users.learner, Method::GET, "/api/v1/admin/metrics")).await;
    assert_problem(&response, StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn error_logs_are_filtered_by_path_status_user_and_time() {
    let app = spawn_app().await;
    let db = &app.db.conn;
    for (path, status, user) in [
        ("/api/v1/checkout", 503, Some(app.users.learner.id)),
        ("/api/v1/checkout", 500, None),
        ("/api/v1/courses/1", 500, Some(app.users.coach.id)),
    ] {
        record(
            db,
            FailedRequest {
                message: format!("failure at {path}"),
                path: Some(path.to_owned()),
                method: Some("POST".to_owned()),
                status: Some(status),
                user_id: user,
                request_id: Some("req-1".to_owned()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let get = |query: String| {
        let request = app.request_as(
            &app.users.admin,
            Method::GET,
            &format!("/api/v1/admin/error-logs{query}"),
        );
        async move {
            json_ok(&send(request).await, StatusCode::OK)["items"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(get(String::new()).await, 3);
    assert_eq!(get("?path=/api/v1/checkout".to_owned()).await, 2);
    assert_eq!(get("?path=/api/v1/checkout&status=500".to_owned()).await, 1);
    assert_eq!(get(format!("?userId={}", app.users.coach.id)).await, 1);
    assert_eq!(get("?to=2000-01-01T00:00:00Z".to_owned()).await, 0);
    let response =
        send(app.request_as(&app.users.coach, Method::GET, "/api/v1/admin/error-logs")).await;
    assert_problem(&response, StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn samples_and_errors_past_their_retention_are_deleted_daily() {
    let app = spawn_app().await;
    let db = &app.db.conn;
    let old = service::now() - Duration::days(120);
    system_metrics::ActiveModel {
        metric: Set("db_pool_open".to_owned()),
        value: Set(1.0),
        timestamp: Set(old),
        created_at: Set(old),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    error_logs::ActiveModel {
        level: Set("error".to_owned()),
        message: Set("old".to_owned()),
        timestamp: Set(old),
        created_at: Set(old),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    record(
        db,
        FailedRequest {
            message: "recent".to_owned(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // The next daily run (04:30 UTC) is at most a day ahead.
    app.run_due_jobs_at(service::now() + Duration::days(1))
        .await;
    assert_eq!(error_logs::Entity::find().count(db).await.unwrap(), 1);
    let samples = system_metrics::Entity::find().all(db).await.unwrap();
    assert!(
        samples.iter().all(|s| s.timestamp > old),
        "the old sample is gone"
    );
}
