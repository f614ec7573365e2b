//! The OpenAPI 3.1 document. Paths are collected from the registered routes by
//! `utoipa_actix_web`; this module adds the document's info, the bearer security scheme, the
//! shared [`ProblemDetails`] schema, and the error responses every operation can return.

use std::collections::{BTreeMap, BTreeSet};

use service::Problem;
use service::auth::INSUFFICIENT_SCOPE;
use service::problem;
use utoipa::openapi::example::{Example, ExampleBuilder};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, OpenApi as OpenApiDoc, Ref, RefOr, Response, ResponseBuilder, Schema,
};
use utoipa::{Modify, OpenApi};

use crate::error::{INVALID_QUERY, MALFORMED_JSON, ProblemDetails, ProblemField, status_of};
use crate::middleware::problem::PROBLEM_JSON;
use service::problem::VALIDATION_FAILED;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "RusingAcademy API",
        description = "JSON REST API of RusingAcademy: bilingual (EN/FR) courses with tracked progress, certificates, \
paid one-to-one coaching, chat, notifications and HR tooling for Canadian public servants preparing their Second \
Language Evaluation.\n\nConventions: JSON bodies in camelCase; timestamps RFC 3339 UTC; money in integer cents with a \
`currency`; lists paginate with `limit` and an opaque `cursor`; every error is `application/problem+json` with a \
stable `code`, and `detail` follows `Accept-Language` (en, fr). A path that does not exist answers 404 \
`route_not_found`; a method a path does not have answers 405 `method_not_allowed` with an `Allow` header.",
        license(name = "Proprietary")
    ),
    servers((url = "/", description = "This server")),
    // Query parameters refer to these by name; request bodies hold them only inside lists. The
    // Calendly callback's outcomes are named in a schema: the callback answers them as redirects.
    components(schemas(
        ProblemDetails,
        ProblemField,
        crate::routes::coaching::dto::CoachLanguage,
        crate::routes::coaching::dto::Specialization,
        crate::routes::coaching::dto::SideParam,
        crate::routes::calendly::dto::CalendlyCallbackOutcome,
        entity::enums::PaymentStatus,
        entity::enums::PaymentPurpose
    )),
    tags(
        (name = "auth", description = "Registration, sign-in, tokens, password reset, e-mail verification, and API keys for integrators (`Authorization: ApiKey <key>`, limited to their scopes)"),
        (name = "users", description = "One's own account, profile, SLE results, data export and deletion; user management (administrators)"),
        (name = "admin", description = "Platform administration: the audit log (administrators)"),
        (name = "courses", description = "The catalog and its authoring: courses, modules, lessons, quizzes, reviews, learning paths"),
        (name = "enrollments", description = "Enrollment: free courses, one's enrollments, grants by administrators"),
        (name = "progress", description = "Lesson and course progress, online and offline (sync), and daily snapshots"),
        (name = "certificates", description = "Completion certificates: PDF and public verification"),
        (name = "coaching", description = "Coaching: applications, the coach search and profiles, availability in the coach's time zone and free slots, sessions (booking with `Idempotency-Key`, the status machine with the 24-hour policy, recordings, feedback) and coaching plans"),
        (name = "chat", description = "Chat: direct, group and coaching rooms, members, messages (idempotent sends, cursor pages in both directions), read markers and unread counts; for the room's members only"),
        (name = "notifications", description = "Notifications in the reader's language, their preferences (channels per category, quiet hours) and Web Push subscriptions"),
        (name = "realtime", description = "`GET /events`: a Server-Sent Events stream of the caller's chat events and notifications, resumable with `Last-Event-ID` on any instance"),
        (name = "jobs", description = "The background job queue: mails, domain events and recurring work (administrators)"),
        (name = "calendly", description = "The Calendly integration: a coach connects their Calendly account (OAuth) or disconnects it; Calendly's signed webhook books and cancels coaching sessions"),
        (name = "payments", description = "Payments with Stripe: checkout for courses, learning paths, coaching sessions (13 % HST apart), coaching plans and subscriptions; coupons; payments, refunds and invoices (bilingual PDF); subscriptions and the customer portal; a coach's Connect onboarding and earnings; commission tiers; Stripe's signed webhook"),
        (name = "health", description = "Probes and metrics"),
    )
)]
struct ApiDoc;

/// Adds the security schemes and completes every operation's error responses (see [`finish`]).
struct Conventions;

/// Codes answered with 401 by any operation that requires credentials.
const UNAUTHENTICATED_CODES: &[&str] = &[
    "unauthenticated",
    "invalid_token",
    "token_expired",
    "invalid_api_key",
    "account_inactive",
    "unsupported_authorization_scheme",
];

/// The codes a problem response of `status` answers when its description names none.
fn default_codes(status: &str) -> &'static [&'static str] {
    match status {
        "401" => UNAUTHENTICATED_CODES,
        "403" => &["forbidden"],
        "404" => &["not_found"],
        "412" => &["precondition_failed"],
        "413" => &["payload_too_large"],
        "415" => &["unsupported_media_type"],
        "422" => &["validation_failed"],
        "429" => &["rate_limited"],
        "500" => &["internal_error"],
        "503" => &[
            "database_busy",
            "database_unavailable",
            "dependency_unavailable",
            "service_unavailable",
        ],
        _ => &[],
    }
}

/// The problem codes named in a description: the words between backticks that are declared codes.
pub fn codes_in(description: &str) -> Vec<&'static Problem> {
    description
        .split('`')
        .skip(1)
        .step_by(2)
        .filter_map(problem::find)
        .collect()
}

fn problem_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ProblemDetails")))
                .build(),
        )
        .build()
}

/// What `problem` looks like on the wire (English `detail`): `#/components/examples/<code>`.
fn example(problem: &'static Problem) -> Example {
    let status = status_of(problem.kind);
    let mut value = serde_json::json!({
        "type": format!("https://rusingacademy.ca/problems/{}", problem.code),
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": problem.en,
        "instance": "/api/v1/...",
        "code": problem.code,
    });
    if status.is_server_error() {
        value["requestId"] = "0193a6a4-7c1e-7d30-9a4f-5c2b1e8f9d10".into();
    }
    if std::ptr::eq(problem, VALIDATION_FAILED) {
        value["errors"] = serde_json::json!([
            {"field": "email", "code": "invalid_email", "message": "must be an e-mail address"}
        ]);
    }
    ExampleBuilder::new()
        .summary(problem.en)
        .value(Some(value))
        .build()
}

/// Makes a problem response say which codes it answers: the codes its description names, or the
/// status's defaults when it names none, then `extra` (the codes of the operation's `Problems:`
/// list answered with this status), each with an example.
fn complete_problem_response(
    status: &str,
    response: &mut Response,
    extra: &[&'static Problem],
    used: &mut BTreeSet<&'static str>,
) {
    let Some(RefOr::T(content)) = response.content.get_mut(PROBLEM_JSON) else {
        return;
    };
    let mut codes = codes_in(&response.description);
    if codes.is_empty() && !response.description.is_empty() {
        codes = default_codes(status)
            .iter()
            .filter_map(|code| problem::find(code))
            .collect();
        if !codes.is_empty() {
            let named: Vec<String> = codes.iter().map(|p| format!("`{}`", p.code)).collect();
            response.description = format!("{}: {}", named.join(", "), response.description);
        }
    }
    for problem in extra {
        if !codes.iter().any(|p| std::ptr::eq(*p, *problem)) {
            codes.push(problem);
            if !response.description.is_empty() {
                response.description.push_str("; ");
            }
            response
                .description
                .push_str(&format!("`{}`: {}", problem.code, problem.en));
        }
    }
    for problem in codes {
        used.insert(problem.code);
        content.examples.insert(
            problem.code.to_owned(),
            RefOr::Ref(Ref::new(format!("#/components/examples/{}", problem.code))),
        );
    }
}

/// Completes the error responses of an operation. Handlers list the problems they answer in their
/// doc comment (a `Problems:` list of codes, which becomes the operation's description); each code
/// lands in the response of its kind's status. Added by convention: 401 where credentials are
/// accepted, 403 `insufficient_scope` with them (and a line saying what an API key needs), 400/413/415/422 where a JSON body is
/// read, 400 `invalid_query` where query parameters are, 500 and 503 everywhere. Every problem
/// response names its codes and references an example of each.
fn complete_operation(operation: &mut Operation, used: &mut BTreeSet<&'static str>) {
    let requirements = operation.security.as_deref().unwrap_or_default();
    // Also operations where credentials are optional: credentials sent must be valid.
    let secured = !requirements.is_empty();
    // The scopes an API key needs here, or `None`: API keys are refused (deny by default).
    let key_scopes = requirements.iter().find_map(|r| {
        serde_json::to_value(r)
            .ok()
            .and_then(|v| v.get("apiKey").cloned())
            .and_then(|v| serde_json::from_value::<Vec<String>>(v).ok())
    });
    if secured {
        let line = match &key_scopes {
            Some(scopes) if scopes.is_empty() => "API keys: any key.".to_owned(),
            Some(scopes) => format!(
                "API keys: need {}.",
                scopes
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => "API keys: not accepted (signed-in people only).".to_owned(),
        };
        let description = operation.description.get_or_insert_with(String::new);
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&line);
    }
    let has_body = operation.request_body.is_some();
    let has_query = operation
        .parameters
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
    let mut extra: BTreeMap<String, Vec<&'static Problem>> = BTreeMap::new();
    for problem in codes_in(operation.description.as_deref().unwrap_or_default()) {
        extra
            .entry(status_of(problem.kind).as_str().to_owned())
            .or_default()
            .push(problem);
    }
    if has_body {
        extra
            .entry("400".to_owned())
            .or_default()
            .push(MALFORMED_JSON);
    }
    if has_query {
        extra
            .entry("400".to_owned())
            .or_default()
            .push(INVALID_QUERY);
    }
    // Any API key may be refused: for lacking a scope, or everywhere none is declared.
    if secured {
        extra
            .entry("403".to_owned())
            .or_default()
            .push(INSUFFICIENT_SCOPE);
    }
    let responses = &mut operation.responses.responses;
    let mut add = |status: &str, description: &str| {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| problem_response(description).into());
    };
    if secured {
        add("401", "Not signed in, or the credentials are invalid");
    }
    if has_body {
        add("413", "The body is larger than accepted");
        add("415", "The body is not `application/json`");
        add("422", "Invalid fields");
    }
    add(
        "500",
        "Unexpected server error; the body carries only the request id",
    );
    add(
        "503",
        "The database or a dependency is temporarily unavailable; retry after `Retry-After` seconds",
    );
    for status in extra.keys() {
        add(status, "");
    }
    for (status, response) in responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let extra = extra
            .get(status.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        complete_problem_response(status, response, extra, used);
    }
}

/// The operations of a path (the methods the API uses).
fn operations_mut(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

impl Modify for Conventions {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "apiKey",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "`ApiKey <key>`: an integrator key, limited to its scopes",
            ))),
        );
        let mut used = BTreeSet::new();
        for item in openapi.paths.paths.values_mut() {
            for operation in operations_mut(item) {
                complete_operation(operation, &mut used);
            }
        }
        let components = openapi.components.get_or_insert_with(Default::default);
        for code in used {
            if let Some(problem) = problem::find(code) {
                components
                    .examples
                    .insert(code.to_owned(), example(problem).into());
            }
        }
    }
}

/// The base document, before the routes add their paths.
pub fn base() -> OpenApiDoc {
    ApiDoc::openapi()
}

/// Applies the conventions after all paths are collected.
pub fn finish(mut doc: OpenApiDoc) -> OpenApiDoc {
    Conventions.modify(&mut doc);
    inline_bounded(doc)
}

/// The scopes an API key needs for the operation `method` `template` (a route pattern such as
/// `/api/v1/courses/{id}`), as its `apiKey` security requirement declares them (an empty list:
/// any key). `None` when the operation declares no `apiKey` requirement: API keys are refused
/// there. Scopes are therefore deny-by-default, and the document is what is enforced.
pub fn api_key_scopes(method: &str, template: &str) -> Option<&'static [String]> {
    type Table = std::collections::HashMap<(String, String), Vec<String>>;
    static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let doc = serde_json::to_value(crate::openapi_document()).unwrap_or_default();
        let mut table = Table::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (verb, operation) in item.as_object().into_iter().flatten() {
                let requirement = operation["security"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find_map(|r| r.get("apiKey"));
                if let Some(scopes) = requirement.and_then(|s| s.as_array()) {
                    let scopes = scopes
                        .iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect();
                    table.insert((verb.to_ascii_lowercase(), path.clone()), scopes);
                }
            }
        }
        table
    });
    table
        .get(&(method.to_ascii_lowercase(), template.to_owned()))
        .map(Vec::as_slice)
}

/// Whether a component is one of the bounded types of [`crate::bounded`], which fields show in
/// place rather than by reference.
fn is_bounded(name: &str) -> bool {
    ["Text_", "Int_", "List_"]
        .iter()
        .any(|p| name.starts_with(p))
        || ["Instant", "Day", "CurrencyCode"].contains(&name)
}

/// Replaces every reference to a bounded type by the type's schema (keeping the field's own
/// description beside it) and drops those components: a field then reads
/// `{"type": "string", "maxLength": 255, "description": …}` where it is used.
fn inline_bounded(mut doc: OpenApiDoc) -> OpenApiDoc {
    use utoipa::openapi::schema::ArrayItems;

    fn set_description(schema: &mut Schema, description: String) {
        match schema {
            Schema::Object(o) => o.description = Some(description),
            Schema::Array(a) => a.description = Some(description),
            Schema::OneOf(o) => o.description = Some(description),
            _ => {}
        }
    }

    fn walk(schema: &mut RefOr<Schema>, bounded: &BTreeMap<String, RefOr<Schema>>) {
        if let RefOr::Ref(reference) = schema {
            let name = reference
                .ref_location
                .rsplit('/')
                .next()
                .unwrap_or_default();
            let target = bounded
                .get(name)
                .cloned()
                .or_else(|| crate::bounded::scalar_schema(name));
            if let Some(RefOr::T(mut target)) = target {
                if !reference.description.is_empty() {
                    set_description(&mut target, std::mem::take(&mut reference.description));
                }
                *schema = RefOr::T(target);
            }
            return;
        }
        let RefOr::T(schema) = schema else { return };
        let children: Vec<&mut RefOr<Schema>> = match schema {
            Schema::Object(o) => o.properties.values_mut().collect(),
            Schema::Array(a) => match &mut a.items {
                ArrayItems::RefOrSchema(items) => vec![items.as_mut()],
                _ => Vec::new(),
            },
            Schema::OneOf(o) => o.items.iter_mut().collect(),
            Schema::AllOf(o) => o.items.iter_mut().collect(),
            Schema::AnyOf(o) => o.items.iter_mut().collect(),
            _ => Vec::new(),
        };
        for child in children {
            walk(child, bounded);
        }
    }

    let Some(components) = doc.components.as_mut() else {
        return doc;
    };
    let names: Vec<String> = components
        .schemas
        .keys()
        .filter(|n| is_bounded(n))
        .cloned()
        .collect();
    let mut bounded = BTreeMap::new();
    for name in names {
        if let Some(schema) = components.schemas.remove(&name) {
            bounded.insert(name, schema);
        }
    }
    // A list's items may themselves be bounded.
    let snapshot = bounded.clone();
    for schema in bounded.values_mut() {
        walk(schema, &snapshot);
    }
    for schema in components.schemas.values_mut() {
        walk(schema, &bounded);
    }
    for item in doc.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            for parameter in operation.parameters.iter_mut().flatten() {
                if let RefOr::T(parameter) = parameter
                    && let Some(schema) = parameter.schema.as_mut()
                {
                    walk(schema, &bounded);
                }
            }
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::Value;
    use service::problem::PROBLEMS;

    use super::*;
    use crate::error::{BAD_REQUEST, METHOD_NOT_ALLOWED, ROUTE_NOT_FOUND};

    /// Codes answered to requests that match no operation (and `bad_request`, the code of a bare
    /// 4xx status that actix answers before any operation runs), so no operation can list them.
    fn answered_outside_operations() -> [&'static Problem; 3] {
        [ROUTE_NOT_FOUND, METHOD_NOT_ALLOWED, BAD_REQUEST]
    }

    /// Scopes are declared, shown and known: every secured operation says what an API key
    /// needs; only public operations take any key; every scope named can be granted.
    #[test]
    fn every_secured_operation_declares_what_an_api_key_needs() {
        let doc = serde_json::to_value(crate::openapi_document()).unwrap();
        let mut declared = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let Some(security) = operation["security"].as_array() else {
                    continue;
                };
                let at = format!("{method} {path}");
                let description = operation["description"].as_str().unwrap_or_default();
                assert!(description.contains("API keys: "), "{at}: {description}");
                let public = security
                    .iter()
                    .any(|r| r.as_object().is_some_and(|o| o.is_empty()));
                let Some(scopes) = security.iter().find_map(|r| r.get("apiKey")) else {
                    continue;
                };
                let scopes = scopes.as_array().unwrap();
                assert!(
                    public || !scopes.is_empty(),
                    "{at}: any key, but not public"
                );
                for scope in scopes {
                    let scope = scope.as_str().unwrap();
                    assert!(
                        service::auth::actor::SCOPES.contains(&scope),
                        "{at}: {scope}"
                    );
                }
                assert_eq!(
                    api_key_scopes(method, path).map(<[String]>::len),
                    Some(scopes.len()),
                    "{at}: enforced as declared"
                );
                declared += 1;
            }
        }
        assert!(declared > 20, "{declared}");
    }

    /// Every string, integer and list a client sends declares its bounds (see `bounded`).
    #[test]
    fn every_request_value_is_bounded_in_the_document() {
        fn check(
            doc: &Value,
            schema: &Value,
            at: &str,
            seen: &mut Vec<String>,
            out: &mut Vec<String>,
        ) {
            if let Some(reference) = schema["$ref"].as_str() {
                if seen.iter().any(|s| s == reference) {
                    return;
                }
                seen.push(reference.to_owned());
                let target = doc
                    .pointer(reference.trim_start_matches('#'))
                    .unwrap_or_else(|| panic!("{at}: dangling {reference}"));
                return check(doc, target, at, seen, out);
            }
            for alternative in schema["oneOf"].as_array().into_iter().flatten() {
                check(doc, alternative, at, seen, out);
            }
            let bounded = match schema["type"].as_str() {
                Some("string") => ["maxLength", "enum", "pattern", "format"]
                    .iter()
                    .any(|k| !schema[k].is_null()),
                Some("integer" | "number") => !schema["maximum"].is_null(),
                Some("array") => !schema["maxItems"].is_null(),
                _ => true,
            };
            if !bounded {
                out.push(at.to_owned());
            }
            if schema["type"] == "array" {
                check(doc, &schema["items"], &format!("{at}[]"), seen, out);
            }
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                check(doc, property, &format!("{at}.{name}"), seen, out);
            }
        }

        let doc = serde_json::to_value(crate::openapi_document()).unwrap();
        let mut unbounded = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let at = format!("{method} {path}");
                let body = &operation["requestBody"]["content"]["application/json"]["schema"];
                check(&doc, body, &at, &mut Vec::new(), &mut unbounded);
                // Path ids are not bounded: any id that names nothing is a 404.
                let parameters = operation["parameters"].as_array().into_iter().flatten();
                for parameter in parameters.filter(|p| p["in"] != "path") {
                    let at = format!("{at} {}", parameter["name"]);
                    check(
                        &doc,
                        &parameter["schema"],
                        &at,
                        &mut Vec::new(),
                        &mut unbounded,
                    );
                }
            }
        }
        assert!(
            unbounded.is_empty(),
            "unbounded request values: {unbounded:#?}"
        );
    }

    #[test]
    fn page_sizes_in_the_document_are_the_service_bounds() {
        let doc = serde_json::to_value(crate::openapi_document()).unwrap();
        let limit = doc["paths"]["/api/v1/courses"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "limit")
            .unwrap()
            .clone();
        assert_eq!(limit["schema"]["minimum"], Value::from(1));
        assert_eq!(
            limit["schema"]["maximum"],
            Value::from(service::pagination::MAX_LIMIT)
        );
        assert_eq!(
            limit["schema"]["default"],
            Value::from(service::pagination::DEFAULT_LIMIT)
        );
    }

    #[test]
    fn every_problem_code_is_unique_well_formed_and_bilingual() {
        let mut seen = BTreeSet::new();
        for problem in PROBLEMS.iter() {
            assert!(
                seen.insert(problem.code),
                "`{}` is declared twice",
                problem.code
            );
            assert!(
                !problem.code.is_empty()
                    && problem
                        .code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_'),
                "`{}` is not snake_case",
                problem.code
            );
            assert!(
                !problem.en.trim().is_empty(),
                "`{}` has no English text",
                problem.code
            );
            assert!(
                !problem.fr.trim().is_empty(),
                "`{}` has no French text",
                problem.code
            );
            assert_ne!(
                problem.en, problem.fr,
                "`{}` is not translated",
                problem.code
            );
        }
        assert!(seen.len() > 40, "only {} problems collected", seen.len());
    }

    /// Every declared code is answered by some operation of the document, and every code an
    /// operation names is declared with the status it is listed under.
    #[test]
    fn every_problem_code_is_documented_under_its_status() {
        let doc = serde_json::to_value(crate::openapi_document()).unwrap();
        let mut documented: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let Some(responses) = operation["responses"].as_object() else {
                    continue;
                };
                for (status, response) in responses {
                    let Some(content) = response["content"].get(PROBLEM_JSON) else {
                        continue;
                    };
                    let description = response["description"].as_str().unwrap_or_default();
                    let codes = codes_in(description);
                    let at = format!("{method} {path} {status}");
                    assert!(
                        !codes.is_empty(),
                        "{at} names no problem code: {description}"
                    );
                    for problem in codes {
                        assert_eq!(
                            status_of(problem.kind).as_str(),
                            status,
                            "{at} lists `{}`, which is answered with another status",
                            problem.code
                        );
                        let reference = content["examples"][problem.code]["$ref"]
                            .as_str()
                            .and_then(|r| r.strip_prefix("#/components/examples/"))
                            .unwrap_or_default();
                        assert_eq!(
                            doc["components"]["examples"][reference]["value"]["code"],
                            Value::from(problem.code),
                            "{at} has no example of `{}`",
                            problem.code
                        );
                        documented.entry(problem.code).or_default().push(at.clone());
                    }
                }
            }
        }
        // Codes reported inside successful bodies (offline sync results) are named in schemas.
        let schemas = doc["components"]["schemas"].to_string();
        let outside = answered_outside_operations();
        let missing: Vec<&str> = PROBLEMS
            .iter()
            .filter(|p| !outside.iter().any(|o| std::ptr::eq(*o, **p)))
            .map(|p| p.code)
            .filter(|code| {
                !documented.contains_key(code) && !schemas.contains(&format!("`{code}`"))
            })
            .collect();
        assert!(
            missing.is_empty(),
            "codes no operation documents: {missing:?}"
        );
    }
}
