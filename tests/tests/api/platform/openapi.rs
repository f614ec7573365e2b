//! The OpenAPI contract: the served spec equals the committed `openapi.json`, every documented
//! operation is routed, Swagger UI is served.

use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use serde_json::Value;

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
