//! Middleware on every response: security headers and a request id, CORS, request metrics.

use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;

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
