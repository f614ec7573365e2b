//! The OpenAPI 3.1 document. Paths are collected from the registered routes by
//! `utoipa_actix_web`; this module adds the document's info, the bearer security scheme, the
//! shared [`ProblemDetails`] schema, and the error responses every operation can return.

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as OpenApiDoc, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::error::{ProblemDetails, ProblemField};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "RusingAcademy API",
        description = "JSON REST API of RusingAcademy: bilingual (EN/FR) courses with tracked progress, certificates, \
paid one-to-one coaching, chat, notifications and HR tooling for Canadian public servants preparing their Second \
Language Evaluation.\n\nConventions: JSON bodies in camelCase; timestamps RFC 3339 UTC; money in integer cents with a \
`currency`; lists paginate with `limit` and an opaque `cursor`; every error is `application/problem+json` with a \
stable `code`, and `detail` follows `Accept-Language` (en, fr).",
        license(name = "Proprietary")
    ),
    servers((url = "/", description = "This server")),
    components(schemas(ProblemDetails, ProblemField)),
    tags(
        (name = "auth", description = "Registration, sign-in, tokens, password reset and e-mail verification"),
        (name = "users", description = "One's own account, profile, data export and deletion"),
        (name = "admin", description = "User management and the audit log (administrators)"),
        (name = "api-keys", description = "Keys for integrators: `Authorization: ApiKey <key>`, limited to their scopes"),
        (name = "courses", description = "The catalog and its authoring: courses, modules, lessons, reviews, learning paths"),
        (name = "learning", description = "Enrollment, quizzes, progress (online and offline), snapshots, SLE results"),
        (name = "certificates", description = "Completion certificates: PDF and public verification"),
        (name = "health", description = "Probes and metrics"),
    )
)]
struct ApiDoc;

/// Adds the bearer scheme and the shared error responses to every operation.
struct Conventions;

fn problem_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ProblemDetails")))
                .build(),
        )
        .build()
}

/// Adds the error responses every operation can return: 500 and 503 everywhere, and 401 on
/// operations that require credentials (handlers document only their specific errors).
fn add_default_errors(operation: &mut Operation) {
    let secured = operation
        .security
        .as_ref()
        .is_some_and(|requirements| !requirements.is_empty());
    let responses = &mut operation.responses.responses;
    if secured {
        responses
            .entry("401".to_owned())
            .or_insert_with(|| problem_response("Not signed in").into());
    }
    for (status, description) in [
        (
            "500",
            "Unexpected server error; the body carries only the request id",
        ),
        (
            "503",
            "The database or a dependency is temporarily unavailable",
        ),
    ] {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| problem_response(description).into());
    }
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
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                add_default_errors(operation);
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
    doc
}
