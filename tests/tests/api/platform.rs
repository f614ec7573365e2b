//! The application platform: probes, problem+json for every failure, localisation, metrics,
//! security headers, the OpenAPI contract and Swagger UI, the first administrator, the demo data.

use entity::enums::UserRole;
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::db::TestDb;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

#[tokio::test]
async fn probes_answer_200_when_the_database_is_up() {
    let app = spawn_app().await;

    let live = json_ok(&send(app.get("/health/live")).await, StatusCode::OK);
    let ready = json_ok(&send(app.get("/health/ready")).await, StatusCode::OK);

    assert_eq!(live["status"], "ok");
    assert_eq!(ready["status"], "ok");
}

#[tokio::test]
async fn an_unknown_route_answers_404_route_not_found_as_problem_json() {
    let app = spawn_app().await;

    let response = send(app.get("/api/v1/no-such-thing")).await;
    let body = assert_problem(&response, StatusCode::NOT_FOUND, "route_not_found");

    assert_eq!(body["instance"], "/api/v1/no-such-thing");
    assert!(
        body.get("requestId").is_none(),
        "client errors do not need the request id: {body}"
    );
}

#[tokio::test]
async fn a_wrong_method_answers_405_method_not_allowed() {
    let app = spawn_app().await;

    let response = send(app.request(Method::DELETE, "/health/live")).await;

    assert_problem(
        &response,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
}

#[tokio::test]
async fn a_two_mebibyte_body_answers_413_before_it_is_read() {
    let app = spawn_app().await;
    let body = vec![b'a'; 2 * 1024 * 1024];

    let response = send(
        app.post("/api/v1/auth/register")
            .header("content-type", "application/json")
            .body(body),
    )
    .await;

    assert_problem(
        &response,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );
}

#[tokio::test]
async fn problem_details_follow_accept_language() {
    let app = spawn_app().await;

    let french = send(
        app.get("/nowhere")
            .header("accept-language", "fr-CA,fr;q=0.9,en;q=0.5"),
    )
    .await;
    let english = send(app.get("/nowhere").header("accept-language", "en-CA")).await;
    let french = assert_problem(&french, StatusCode::NOT_FOUND, "route_not_found");
    let english = assert_problem(&english, StatusCode::NOT_FOUND, "route_not_found");

    assert_eq!(
        french["detail"],
        "Aucune ressource n'existe à cette adresse."
    );
    assert_eq!(english["detail"], "No resource exists at this address.");
}

#[tokio::test]
async fn responses_carry_security_headers_and_a_request_id() {
    let app = spawn_app().await;

    let response = send(app.get("/health/live").header("authorization", "Bearer x")).await;
    let headers = response.headers;

    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(headers.get("x-request-id").is_some_and(|v| v.len() >= 32));
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let app = spawn_app_with(&[("CORS_ALLOWED_ORIGINS", "https://app.rusingacademy.ca")]).await;

    let allowed = send(
        app.get("/health/live")
            .header("origin", "https://app.rusingacademy.ca"),
    )
    .await;
    let other = send(
        app.get("/health/live")
            .header("origin", "https://evil.example"),
    )
    .await;

    assert_eq!(
        allowed.headers["access-control-allow-origin"],
        "https://app.rusingacademy.ca"
    );
    assert!(other.headers.get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_status() {
    let app = spawn_app().await;
    send(app.get("/api/v1/missing")).await;
    send(app.get("/api/v1/missing")).await;
    send(app.request(Method::DELETE, "/health/live")).await;
    send(app.get("/health/live")).await;

    let response = send(app.get("/metrics")).await;
    assert_eq!(response.status, StatusCode::OK);
    let text = response.text();

    assert!(
        text.contains(
            r#"rusing_academy_http_requests_total{method="GET",route="unmatched",status="404"} 2"#
        ),
        "{text}"
    );
    assert!(text.contains(r#"rusing_academy_http_requests_total{method="DELETE",route="/health/live",status="405"} 1"#), "{text}");
    assert!(text.contains(r#"rusing_academy_http_requests_total{method="GET",route="/health/live",status="200"} 1"#), "{text}");
    assert!(
        text.contains("rusing_academy_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(
        text.contains(r#"rusing_academy_db_pool_connections{state="open"}"#),
        "{text}"
    );
}

fn committed_spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let text = std::fs::read_to_string(path).expect("openapi/openapi.json is committed");
    serde_json::from_str(&text).expect("openapi/openapi.json is JSON")
}

#[tokio::test]
async fn the_served_spec_equals_the_committed_openapi_json() {
    let app = spawn_app().await;

    let served = json_ok(&send(app.get("/api/v1/openapi.json")).await, StatusCode::OK);
    let generated: Value =
        serde_json::from_str(&api::openapi_document().to_pretty_json().expect("spec"))
            .expect("json");

    assert_eq!(served, generated);
    assert_eq!(
        generated,
        committed_spec(),
        "openapi/openapi.json is stale: regenerate it with `cargo run --bin rusing-academy -- openapi > openapi/openapi.json`"
    );
    assert_eq!(served["openapi"], "3.1.0");
}

#[tokio::test]
async fn every_documented_operation_is_served_with_its_method_and_documents_problem_responses() {
    let app = spawn_app().await;
    let spec = api::openapi_document();
    let mut checked = 0;

    for (path, item) in &spec.paths.paths {
        let concrete = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { "1" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        for (method, operation) in [
            (Method::GET, &item.get),
            (Method::POST, &item.post),
            (Method::PUT, &item.put),
            (Method::PATCH, &item.patch),
            (Method::DELETE, &item.delete),
        ] {
            let Some(operation) = operation else { continue };
            assert!(
                operation.operation_id.is_some(),
                "{method} {path} has no operationId"
            );
            assert!(
                operation.responses.responses.contains_key("500"),
                "{method} {path} documents no 500 problem"
            );
            if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
                assert!(
                    operation.responses.responses.contains_key("401"),
                    "{method} {path} requires credentials but documents no 401"
                );
            }
            let response = send(
                app.request(method.clone(), &concrete)
                    .header("content-type", "application/json")
                    .body("{}"),
            )
            .await;
            let status = response.status;
            let code = serde_json::from_slice::<Value>(&response.body)
                .ok()
                .and_then(|b| b["code"].as_str().map(str::to_owned));
            assert!(
                !matches!(
                    code.as_deref(),
                    Some("route_not_found" | "method_not_allowed")
                ),
                "{method} {path} is documented but not routed ({status}, {code:?})"
            );
            checked += 1;
        }
    }

    assert!(checked >= 3, "only {checked} operations checked");
}

#[tokio::test]
async fn swagger_ui_is_served_at_docs() {
    let app = spawn_app().await;

    let redirect = send(app.get("/docs")).await;
    let page = send(app.get("/docs/")).await;
    assert!(redirect.status.is_redirection());
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();

    assert!(html.contains("swagger-ui"), "{html}");
}

#[tokio::test]
async fn the_first_admin_is_bootstrapped_once_with_an_argon2id_hash() {
    let app = spawn_app_with(&[
        ("ADMIN_EMAIL", " Root@Example.GC.ca "),
        ("ADMIN_PASSWORD", "a-long-bootstrap-password"),
    ])
    .await;

    let root = users::Entity::find()
        .filter(users::Column::Email.eq("root@example.gc.ca"))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("bootstrapped admin exists");

    assert_eq!(root.role, UserRole::Admin);
    assert!(
        root.password
            .expose()
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
    );
    // spawn_app added its own admin afterwards; a second start finds admins and creates nobody.
    let second = api::config::Settings::from_lookup(&|name| match name {
        "DATABASE_URL" => Some(app.db.url.clone()),
        "PORT" => Some("0".to_owned()),
        "DATA_DIR" => Some(app.data_dir.path().display().to_string()),
        "ADMIN_EMAIL" => Some("other@example.gc.ca".to_owned()),
        "ADMIN_PASSWORD" => Some("another-long-password".to_owned()),
        _ => None,
    })
    .expect("settings");
    api::Application::build(second).await.expect("second start");
    let admins = users::Entity::find()
        .filter(users::Column::Role.eq(UserRole::Admin))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(
        admins, 2,
        "the root admin and spawn_app's admin; nobody else"
    );
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

#[tokio::test]
async fn a_foreign_cors_preflight_gets_no_cors_headers_and_odd_methods_share_one_metrics_label() {
    let app = spawn_app_with(&[("CORS_ALLOWED_ORIGINS", "https://app.rusingacademy.ca")]).await;

    let preflight = send(
        app.request(Method::OPTIONS, "/api/v1/courses")
            .header("origin", "https://evil.example")
            .header("access-control-request-method", "GET"),
    )
    .await;
    send(app.request(Method::from_bytes(b"FOO1").expect("method"), "/health/live")).await;
    send(app.request(Method::from_bytes(b"FOO2").expect("method"), "/health/live")).await;
    let metrics = send(app.get("/metrics")).await.text();

    assert!(preflight.status.is_client_error());
    assert_eq!(
        preflight.header("content-type").as_deref(),
        Some("application/problem+json")
    );
    assert!(
        metrics.contains(r#"method="OTHER",route="/health/live""#),
        "{metrics}"
    );
    assert!(!metrics.contains("FOO1"));
}

#[tokio::test]
async fn the_bootstrap_takes_over_a_registered_admin_email_with_the_configured_password() {
    let db = TestDb::migrated().await;
    let squatter =
        rusing_academy_tests::fixtures::db_user(&db.conn, "root@example.gc.ca", UserRole::Learner)
            .await;
    let data_dir = tempfile::tempdir().expect("dir");
    let settings = api::config::Settings::from_lookup(&|name| match name {
        "DATABASE_URL" => Some(db.url.clone()),
        "PORT" => Some("0".to_owned()),
        "DATA_DIR" => Some(data_dir.path().display().to_string()),
        "ADMIN_EMAIL" => Some("root@example.gc.ca".to_owned()),
        "ADMIN_PASSWORD" => Some("the-operators-password".to_owned()),
        _ => None,
    })
    .expect("settings");

    api::Application::build(settings).await.expect("start");

    let root = users::Entity::find_by_id(squatter.id)
        .one(&db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(root.role, UserRole::Admin);
    assert_ne!(
        root.password.expose(),
        squatter.password.expose(),
        "the squatter's password is gone"
    );
    assert!(root.password.expose().starts_with("$argon2id$"));
}
