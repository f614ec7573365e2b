//! The bounds walk: for every limit the OpenAPI document declares on what a client sends (a
//! body field's `maxLength`, `maximum` or `maxItems`, a query parameter's `maxLength`, a header's
//! `maxLength`), one step past it is refused with the documented problem, naming the field, on
//! every engine, and nothing is written.

use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Map, Value, json};

/// One limit of a request body: the dotted field path, the path through the body (object keys,
/// or `None` for "first item of the list"), and the value one step past the limit.
struct Limit {
    field: String,
    route: Vec<Option<String>>,
    value: Value,
    code: &'static str,
    /// Discriminators of the `oneOf` alternatives on the way (`type: "group"`), set beside it.
    tags: Vec<Tag>,
}

/// A property a `oneOf` alternative fixes to one value, at a route of the body.
type Tag = (Vec<Option<String>>, String, Value);

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling {reference}")),
        None => schema,
    }
}

/// Every limit below `schema`.
fn limits(
    spec: &Value,
    schema: &Value,
    route: Vec<Option<String>>,
    tags: &[Tag],
    out: &mut Vec<Limit>,
) {
    let schema = resolve(spec, schema);
    if let Some(alternatives) = schema["oneOf"].as_array() {
        for alternative in alternatives.iter().filter(|a| a["type"] != "null") {
            let alternative = resolve(spec, alternative);
            let mut tags = tags.to_vec();
            for name in alternative["required"].as_array().into_iter().flatten() {
                let name = name.as_str().expect("name");
                if let Some([only]) = alternative["properties"][name]["enum"]
                    .as_array()
                    .map(Vec::as_slice)
                {
                    tags.push((route.clone(), name.to_owned(), only.clone()));
                }
            }
            limits(spec, alternative, route.clone(), &tags, out);
        }
        return;
    }
    let field = || {
        route
            .iter()
            .map(|step| step.clone().unwrap_or_else(|| "0".to_owned()))
            .collect::<Vec<_>>()
            .join(".")
    };
    if let Some(max) = schema["maxLength"].as_u64() {
        out.push(Limit {
            field: field(),
            route: route.clone(),
            value: json!("é".repeat(usize::try_from(max).unwrap() + 1)),
            code: "too_long",
            tags: tags.to_vec(),
        });
    }
    if let Some(max) = schema["maximum"].as_i64().filter(|max| *max < i64::MAX) {
        out.push(Limit {
            field: field(),
            route: route.clone(),
            value: json!(max + 1),
            code: "out_of_range",
            tags: tags.to_vec(),
        });
    }
    if let Some(max) = schema["maxItems"].as_u64() {
        // Items of the right type, so that only their number is wrong.
        let item = example_item(spec, &schema["items"]);
        out.push(Limit {
            field: field(),
            route: route.clone(),
            value: Value::Array(vec![item; usize::try_from(max).unwrap() + 1]),
            code: "too_many",
            tags: tags.to_vec(),
        });
    }
    if let Some(properties) = schema["properties"].as_object() {
        for (name, property) in properties {
            let mut next = route.clone();
            next.push(Some(name.clone()));
            limits(spec, property, next, tags, out);
        }
    }
    if schema["type"] == "array" {
        let mut next = route;
        next.push(None);
        limits(spec, &schema["items"], next, tags, out);
    }
}

/// The smallest value `schema` accepts, so that a list of them is wrong only by its length.
fn example_item(spec: &Value, schema: &Value) -> Value {
    let schema = resolve(spec, schema);
    if let Some(values) = schema["enum"].as_array() {
        return values[0].clone();
    }
    if let Some(example) = schema["examples"].as_array().and_then(|e| e.first()) {
        return example.clone();
    }
    if let Some(alternatives) = schema["oneOf"].as_array() {
        let first = alternatives.iter().find(|a| a["type"] != "null");
        return first.map_or(Value::Null, |a| example_item(spec, a));
    }
    let min = |key: &str| usize::try_from(schema[key].as_u64().unwrap_or(0)).unwrap();
    match schema["type"].as_str() {
        Some("integer") => json!(schema["minimum"].as_i64().unwrap_or(1)),
        Some("boolean") => json!(false),
        Some("string") => match schema["format"].as_str() {
            Some("date") => json!("2026-01-15"),
            Some("date-time") => json!("2026-01-15T12:00:00Z"),
            _ => json!("a".repeat(min("minLength").max(1))),
        },
        Some("array") => Value::Array(vec![example_item(spec, &schema["items"]); min("minItems")]),
        _ => {
            let mut object = Map::new();
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().expect("name");
                object.insert(
                    name.to_owned(),
                    example_item(spec, &schema["properties"][name]),
                );
            }
            Value::Object(object)
        }
    }
}

/// The body holding `value` at `route` and nothing else.
fn body_at(route: &[Option<String>], value: Value) -> Value {
    match route.split_first() {
        None => value,
        Some((Some(key), rest)) => {
            let mut object = Map::new();
            object.insert(key.clone(), body_at(rest, value));
            Value::Object(object)
        }
        Some((None, rest)) => json!([body_at(rest, value)]),
    }
}

fn concrete(path: &str) -> String {
    path.split('/')
        .map(|seg| if seg.starts_with('{') { "1" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

/// Rows in every table but the ones a refused request may touch (rate-limit windows live in
/// memory; nothing else may change).
async fn row_counts(app: &TestApp) -> Vec<(String, i64)> {
    let db = &app.db.conn;
    let backend = db.get_database_backend();
    let tables = match backend {
        sea_orm::DatabaseBackend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' ORDER BY name"
            .to_owned(),
        _ => "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() \
              ORDER BY table_name"
            .to_owned(),
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, tables))
        .await
        .expect("tables");
    let mut counts = Vec::new();
    for row in rows {
        let name: String = row.try_get_by_index(0).expect("name");
        let quoted = match backend {
            sea_orm::DatabaseBackend::Sqlite => format!("\"{name}\""),
            _ => format!("`{name}`"),
        };
        let count = db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) FROM {quoted}"),
            ))
            .await
            .expect("count")
            .expect("row");
        counts.push((name, count.try_get_by_index::<i64>(0).expect("count")));
    }
    counts
}

#[tokio::test]
async fn one_step_past_every_declared_limit_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let spec = serde_json::to_value(api::openapi_document()).expect("spec");
    let before = row_counts(&app).await;
    let mut checked = 0;

    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let method: Method = method.to_uppercase().parse().expect("method");
            let url = concrete(path);
            let request = || app.request_as(&app.users.admin, method.clone(), &url);

            let body_schema = &operation["requestBody"]["content"]["application/json"]["schema"];
            let mut found = Vec::new();
            if !body_schema.is_null() {
                limits(&spec, body_schema, Vec::new(), &[], &mut found);
            }
            for limit in found {
                let mut body = body_at(&limit.route, limit.value);
                for (route, key, value) in &limit.tags {
                    let mut at = &mut body;
                    for step in route {
                        at = match step {
                            Some(key) => &mut at[key.as_str()],
                            None => &mut at[0],
                        };
                    }
                    at[key.as_str()] = value.clone();
                }
                let response = send(request().json(&body)).await;
                let problem = assert_problem(
                    &response,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                );
                assert_eq!(
                    (
                        &problem["errors"][0]["field"],
                        &problem["errors"][0]["code"]
                    ),
                    (&json!(limit.field), &json!(limit.code)),
                    "{method} {path}: {problem}"
                );
                checked += 1;
            }

            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let Some(max) = parameter["schema"]["maxLength"].as_u64() else {
                    continue;
                };
                let name = parameter["name"].as_str().expect("name");
                let long = "x".repeat(usize::try_from(max).unwrap() + 1);
                let response = match parameter["in"].as_str() {
                    Some("query") => {
                        let response = send(request().query(&[(name, &long)])).await;
                        assert_problem(&response, StatusCode::BAD_REQUEST, "invalid_query");
                        response
                    }
                    Some("header") => {
                        let response = send(request().header(name, &long).json(&json!({}))).await;
                        assert_problem(
                            &response,
                            StatusCode::UNPROCESSABLE_ENTITY,
                            "validation_failed",
                        );
                        response
                    }
                    other => panic!("{method} {path}: a limit on a {other:?} parameter"),
                };
                assert!(response.status.is_client_error());
                checked += 1;
            }
        }
    }

    eprintln!("{checked} limits walked");
    assert!(checked > 60, "only {checked} limits were walked");
    assert_eq!(row_counts(&app).await, before, "a refused request wrote");
}
