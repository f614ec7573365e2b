//! One error type for the HTTP layer, rendered once as RFC 9457 `application/problem+json`.
//!
//! Handlers return [`ApiError`] (usually converted from [`service::Error`]). Its response carries
//! a [`ProblemMeta`] extension; the [`crate::middleware::problem`] middleware turns that, or any
//! bare error status produced by actix itself (unknown route, wrong method, ...), into the final
//! body in the caller's language, adds `instance` and the request id, and logs the failure once.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use service::problem::{
    DATABASE_BUSY, DATABASE_UNAVAILABLE, DEPENDENCY_UNAVAILABLE, FORBIDDEN, INTERNAL_ERROR,
    NOT_FOUND, RATE_LIMITED, UNAUTHENTICATED, VALIDATION_FAILED,
};
use service::{Kind, Problem};
use utoipa::ToSchema;

use crate::i18n::Lang;

/// An RFC 9457 problem document. Every error response of the API has this shape.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "type": "https://rusingacademy.ca/problems/validation_failed",
    "title": "Unprocessable Entity",
    "status": 422,
    "detail": "Some fields are invalid.",
    "instance": "/api/v1/auth/register",
    "code": "validation_failed",
    "errors": [{"field": "email", "code": "invalid_email", "message": "must be an e-mail address"}]
}))]
pub struct ProblemDetails {
    /// URI identifying the problem type; ends with the `code`.
    #[serde(rename = "type")]
    pub type_url: String,
    /// Short summary of the status (the HTTP reason phrase).
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// Human-readable explanation, in English or French according to `Accept-Language`.
    pub detail: String,
    /// The request path this problem occurred on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Stable, machine-readable snake_case identifier of the problem.
    pub code: String,
    /// Request id (also in the `X-Request-Id` header); quote it when reporting a server error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Per-field problems of a validation failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemField>>,
    /// What the client can do next, by relation: `payment_required` carries `checkout`, the
    /// request that buys the thing (`{"href": "/api/v1/checkout", "method": "POST", "body": …}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub links: Option<serde_json::Value>,
}

/// One invalid input field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemField {
    /// Field name as sent by the client (camelCase; dotted for nested fields).
    pub field: String,
    /// Human-readable explanation (English).
    pub message: String,
    /// Stable machine-readable code for the field problem.
    pub code: String,
}

service::problems! {
    /// A request that matches no route (operations answer `not_found` for absent resources).
    pub ROUTE_NOT_FOUND: NotFound = "route_not_found",
        "No resource exists at this address.",
        "Aucune ressource n'existe à cette adresse.";
    pub METHOD_NOT_ALLOWED: MethodNotAllowed = "method_not_allowed",
        "This resource does not support this HTTP method.",
        "Cette ressource ne prend pas en charge cette méthode HTTP.";
    pub PAYLOAD_TOO_LARGE: PayloadTooLarge = "payload_too_large",
        "The request body is too large.",
        "Le corps de la requête est trop volumineux.";
    pub MALFORMED_JSON: BadRequest = "malformed_json",
        "The request body is not valid JSON.",
        "Le corps de la requête n'est pas du JSON valide.";
    pub UNSUPPORTED_MEDIA_TYPE: UnsupportedMediaType = "unsupported_media_type",
        "Send the body as application/json.",
        "Envoyez le corps en application/json.";
    pub INVALID_QUERY: BadRequest = "invalid_query",
        "The query string is invalid.",
        "La chaîne de requête est invalide.";
    pub BAD_REQUEST: BadRequest = "bad_request",
        "The request is malformed.",
        "La requête est mal formée.";
    /// `/metrics` without the configured `METRICS_TOKEN` (missing or wrong: the same answer).
    pub INVALID_METRICS_TOKEN: Unauthenticated = "invalid_metrics_token",
        "The metrics require the metrics token: send Authorization: Bearer <token>.",
        "Les métriques exigent le jeton des métriques : envoyez Authorization: Bearer <jeton>.";
    pub SERVICE_UNAVAILABLE: Unavailable = "service_unavailable",
        "The service is temporarily unavailable.",
        "Le service est temporairement indisponible.";
}

/// The HTTP status of each kind of problem: the only place where kinds become statuses.
pub fn status_of(kind: Kind) -> StatusCode {
    match kind {
        Kind::BadRequest => StatusCode::BAD_REQUEST,
        Kind::Unauthenticated => StatusCode::UNAUTHORIZED,
        Kind::PaymentRequired => StatusCode::PAYMENT_REQUIRED,
        Kind::Forbidden => StatusCode::FORBIDDEN,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        Kind::Conflict => StatusCode::CONFLICT,
        Kind::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        Kind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Kind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Kind::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// What the problem middleware needs to render an error in the caller's language.
#[derive(Debug, Clone)]
pub struct ProblemMeta {
    pub problem: &'static Problem,
    pub errors: Vec<ProblemField>,
    /// Internal cause of a 5xx, for the log and `errorLogs` only: never rendered.
    pub cause: Option<String>,
    /// Rendered as the problem's `links`.
    pub links: Option<serde_json::Value>,
}

/// An error leaving a handler.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub meta: ProblemMeta,
    /// Seconds for the `Retry-After` header (429, 503).
    pub retry_after: Option<u64>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.meta.problem.code)?;
        if let Some(cause) = &self.meta.cause {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl ApiError {
    /// The error for a declared problem, with the status of its kind.
    pub fn new(problem: &'static Problem) -> Self {
        Self {
            status: status_of(problem.kind),
            meta: ProblemMeta {
                problem,
                errors: Vec::new(),
                cause: None,
                links: None,
            },
            retry_after: None,
        }
    }

    /// A 500 whose cause is logged but never shown.
    pub fn internal(cause: impl Into<String>) -> Self {
        Self::new(INTERNAL_ERROR).caused_by(cause)
    }

    /// A 422 listing invalid fields.
    pub fn validation(errors: Vec<ProblemField>) -> Self {
        let mut err = Self::new(VALIDATION_FAILED);
        err.meta.errors = errors;
        err
    }

    /// Records the internal cause (logged, never rendered).
    pub fn caused_by(mut self, cause: impl Into<String>) -> Self {
        self.meta.cause = Some(cause.into());
        self
    }

    /// Adds the problem's `links` (see [`ProblemDetails::links`]).
    pub fn with_links(mut self, links: serde_json::Value) -> Self {
        self.meta.links = Some(links);
        self
    }

    /// Sets `Retry-After`.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

impl From<&'static Problem> for ApiError {
    fn from(problem: &'static Problem) -> Self {
        Self::new(problem)
    }
}

impl From<service::Error> for ApiError {
    fn from(err: service::Error) -> Self {
        use service::Error as E;
        match err {
            E::Problem(problem) => Self::new(problem),
            E::Validation(fields) => Self::validation(
                fields
                    .into_iter()
                    .map(|f| ProblemField {
                        field: f.field,
                        message: f.message,
                        code: f.code,
                    })
                    .collect(),
            ),
            E::Busy(cause) => Self::new(DATABASE_BUSY).caused_by(cause).retry_after(1),
            E::Unavailable(cause) => Self::new(DATABASE_UNAVAILABLE)
                .caused_by(cause)
                .retry_after(5),
            E::Dependency {
                dependency,
                message,
            } => Self::new(DEPENDENCY_UNAVAILABLE)
                .caused_by(format!("{dependency}: {message}"))
                .retry_after(30),
            E::Internal(cause) => Self::internal(cause),
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        service::Error::from(err).into()
    }
}

/// The problem of a bare error status that actix produced itself (no route, wrong method, ...).
pub fn problem_for_status(status: StatusCode) -> &'static Problem {
    match status.as_u16() {
        401 => UNAUTHENTICATED,
        403 => FORBIDDEN,
        404 => ROUTE_NOT_FOUND,
        405 => METHOD_NOT_ALLOWED,
        413 => PAYLOAD_TOO_LARGE,
        415 => UNSUPPORTED_MEDIA_TYPE,
        429 => RATE_LIMITED,
        503 => SERVICE_UNAVAILABLE,
        s if s >= 500 => INTERNAL_ERROR,
        _ => BAD_REQUEST,
    }
}

/// Builds the problem document for `status` and `meta` in `lang`.
pub fn render(
    status: StatusCode,
    meta: &ProblemMeta,
    lang: Lang,
    instance: Option<String>,
    request_id: Option<String>,
) -> ProblemDetails {
    let problem = meta.problem;
    ProblemDetails {
        type_url: format!("https://rusingacademy.ca/problems/{}", problem.code),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail: lang.detail(problem).to_owned(),
        instance,
        code: problem.code.to_owned(),
        request_id,
        errors: (!meta.errors.is_empty()).then(|| meta.errors.clone()),
        links: meta.links.clone(),
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let body = render(self.status, &self.meta, Lang::En, None, None);
        let mut builder = HttpResponse::build(self.status);
        builder.content_type(crate::middleware::problem::PROBLEM_JSON);
        if let Some(seconds) = self.retry_after {
            builder.insert_header((actix_web::http::header::RETRY_AFTER, seconds.to_string()));
        }
        let mut response = builder.json(body);
        response.extensions_mut().insert(self.meta.clone());
        response
    }
}

/// Maps actix's JSON body errors (malformed, too large, wrong content type).
pub fn json_error(
    err: actix_web::error::JsonPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as J;
    let api = match &err {
        J::OverflowKnownLength { .. } | J::Overflow { .. } => ApiError::new(PAYLOAD_TOO_LARGE),
        J::ContentType => ApiError::new(UNSUPPORTED_MEDIA_TYPE),
        J::Deserialize(e) if e.is_data() => {
            // Well-formed JSON of the wrong shape: say which field, without echoing values.
            ApiError::validation(vec![ProblemField {
                field: String::new(),
                message: e.to_string(),
                code: "invalid_type".to_owned(),
            }])
        }
        _ => ApiError::new(MALFORMED_JSON),
    };
    api.into()
}

/// Maps query-string errors.
pub fn query_error(
    err: actix_web::error::QueryPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    let mut api = ApiError::new(INVALID_QUERY);
    api.meta.errors = vec![ProblemField {
        field: String::new(),
        message: err.to_string(),
        code: "invalid_query".to_owned(),
    }];
    api.into()
}

/// Maps path-parameter errors: a path whose id is not a number names no resource.
pub fn path_error(
    _err: actix_web::error::PathError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::new(NOT_FOUND).into()
}
