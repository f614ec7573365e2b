//! Failures as problem+json: unknown routes, wrong methods, oversized bodies, details in the
//! caller's language.

use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;

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
    assert_eq!(response.header("allow").as_deref(), Some("GET"));

    // A templated path lists every method it has.
    let response = send(app.request(Method::PUT, "/api/v1/courses/12")).await;
    assert_problem(
        &response,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
    assert_eq!(
        response.header("allow").as_deref(),
        Some("DELETE, GET, PATCH")
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
