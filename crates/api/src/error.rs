//! One error type for the HTTP layer, rendered once as RFC 9457 `application/problem+json`.
//!
//! Handlers return [`ApiError`] (usually converted from [`service::Error`]). Its response carries
//! a [`ProblemMeta`] extension; the [`crate::middleware::problem`] middleware turns that, or any
//! bare error status produced by actix itself (unknown route, wrong method, ...), into the final
//! body in the caller's language, adds `instance` and the request id, and logs the failure once.

use std::borrow::Cow;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::{self, Lang};

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

/// What the problem middleware needs to render an error in the caller's language.
#[derive(Debug, Clone)]
pub struct ProblemMeta {
    pub code: Cow<'static, str>,
    pub errors: Vec<ProblemField>,
    /// Internal cause of a 5xx, for the log and `errorLogs` only: never rendered.
    pub cause: Option<String>,
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
        write!(f, "{} {}", self.status.as_u16(), self.meta.code)?;
        if let Some(cause) = &self.meta.cause {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl ApiError {
    /// An error with a status and a stable code.
    pub fn new(status: StatusCode, code: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            meta: ProblemMeta {
                code: code.into(),
                errors: Vec::new(),
                cause: None,
            },
            retry_after: None,
        }
    }

    /// A 500 whose cause is logged but never shown.
    pub fn internal(cause: impl Into<String>) -> Self {
        let mut err = Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error");
        err.meta.cause = Some(cause.into());
        err
    }

    /// A 422 listing invalid fields.
    pub fn validation(errors: Vec<ProblemField>) -> Self {
        let mut err = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        err.meta.errors = errors;
        err
    }

    /// Sets `Retry-After`.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

/// Status for a business-rule refusal.
fn rule_status(code: &str) -> StatusCode {
    match code {
        "payment_required" => StatusCode::PAYMENT_REQUIRED,
        "precondition_failed" => StatusCode::PRECONDITION_FAILED,
        "rate_limited" => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl From<service::Error> for ApiError {
    fn from(err: service::Error) -> Self {
        use service::Error as E;
        match err {
            E::NotFound => Self::new(StatusCode::NOT_FOUND, "not_found"),
            E::Unauthenticated { code } => Self::new(StatusCode::UNAUTHORIZED, code),
            E::Forbidden { code } => Self::new(StatusCode::FORBIDDEN, code),
            E::Conflict { code } => Self::new(StatusCode::CONFLICT, code),
            E::Rule { code } => Self::new(rule_status(code), code),
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
            E::Unavailable(cause) => {
                let mut err = Self::new(StatusCode::SERVICE_UNAVAILABLE, "database_unavailable")
                    .retry_after(5);
                err.meta.cause = Some(cause);
                err
            }
            E::Dependency {
                dependency,
                message,
            } => {
                let mut err = Self::new(StatusCode::SERVICE_UNAVAILABLE, "dependency_unavailable")
                    .retry_after(30);
                err.meta.cause = Some(format!("{dependency}: {message}"));
                err
            }
            E::Internal(cause) => Self::internal(cause),
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        service::Error::from(err).into()
    }
}

/// The code actix's own bare error statuses get.
pub fn code_for_status(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "route_not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        408 => "request_timeout",
        411 => "length_required",
        413 => "payload_too_large",
        414 => "uri_too_long",
        415 => "unsupported_media_type",
        429 => "rate_limited",
        503 => "service_unavailable",
        s if s >= 500 => "internal_error",
        _ => "client_error",
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
    let detail = if status.is_server_error() {
        // 5xx bodies carry no internals: only a generic sentence and the request id.
        i18n::detail(&meta.code, lang)
            .unwrap_or_else(|| i18n::server_error(lang))
            .to_owned()
    } else {
        i18n::detail(&meta.code, lang)
            .unwrap_or_else(|| i18n::generic_client_error(lang))
            .to_owned()
    };
    ProblemDetails {
        type_url: format!("https://rusingacademy.ca/problems/{}", meta.code),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail,
        instance,
        code: meta.code.to_string(),
        request_id,
        errors: (!meta.errors.is_empty()).then(|| meta.errors.clone()),
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
        J::OverflowKnownLength { .. } | J::Overflow { .. } => {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
        }
        J::ContentType => {
            ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
        }
        J::Deserialize(e) if e.is_data() => {
            // Well-formed JSON of the wrong shape: say which field, without echoing values.
            let mut api = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
            api.meta.errors = vec![ProblemField {
                field: String::new(),
                message: e.to_string(),
                code: "invalid_type".to_owned(),
            }];
            api
        }
        _ => ApiError::new(StatusCode::BAD_REQUEST, "malformed_json"),
    };
    api.into()
}

/// Maps query-string errors.
pub fn query_error(
    err: actix_web::error::QueryPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    let mut api = ApiError::new(StatusCode::BAD_REQUEST, "invalid_query");
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
    ApiError::new(StatusCode::NOT_FOUND, "not_found").into()
}
