//! Request extractors: the authenticated caller, request metadata, validated JSON bodies and
//! `If-Match` preconditions.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::{AUTHORIZATION, IF_MATCH, USER_AGENT, X_FORWARDED_FOR};
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use service::auth::actor::Actor;
use service::auth::sessions::Client;
use service::auth::{api_keys, sessions};
use service::courses::Precondition;
use tracing_actix_web::RequestId;
use validator::Validate;

use crate::error::{ApiError, ProblemField};
use crate::state::{AppState, CurrentUser};
use service::auth::{INSUFFICIENT_SCOPE, INVALID_TOKEN, UNSUPPORTED_AUTHORIZATION_SCHEME};
use service::problem::UNAUTHENTICATED;

/// The authenticated caller (`Authorization: Bearer <access token>` or `ApiKey <key>`);
/// 401 `unauthenticated` without credentials, 401 with a specific code for bad ones.
#[derive(Debug, Clone)]
pub struct AuthUser(pub Actor);

/// The caller when credentials are sent, `None` for anonymous requests. Bad credentials are
/// still refused rather than silently treated as anonymous.
#[derive(Debug, Clone)]
pub struct MaybeAuthUser(pub Option<Actor>);

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("application state missing"))
}

async fn authenticate(req: &HttpRequest) -> Result<Option<Actor>, ApiError> {
    let Some(header) = req.headers().get(AUTHORIZATION) else {
        return Ok(None);
    };
    let header = header.to_str().map_err(|_| ApiError::new(INVALID_TOKEN))?;
    let state = state(req)?;
    let (scheme, credentials) = header.split_once(' ').unwrap_or((header, ""));
    let actor = match scheme {
        s if s.eq_ignore_ascii_case("bearer") => {
            sessions::authenticate(&state.db, &state.deps.auth, credentials.trim()).await?
        }
        s if s.eq_ignore_ascii_case("apikey") => {
            let actor = api_keys::authenticate(&state.db, credentials.trim()).await?;
            require_declared_scopes(req, &actor)?;
            actor
        }
        _ => {
            return Err(ApiError::new(UNSUPPORTED_AUTHORIZATION_SCHEME));
        }
    };
    req.extensions_mut().insert(CurrentUser(actor.user_id));
    Ok(Some(actor))
}

/// Refuses an API key that lacks a scope the operation declares, or any key where the operation
/// declares none (403 `insufficient_scope`): see [`crate::openapi::api_key_scopes`].
fn require_declared_scopes(req: &HttpRequest, actor: &Actor) -> Result<(), ApiError> {
    let held = actor.scopes.as_deref().unwrap_or_default();
    let allowed = req
        .match_pattern()
        .and_then(|pattern| crate::openapi::api_key_scopes(req.method().as_str(), &pattern))
        .is_some_and(|needed| needed.iter().all(|scope| held.contains(scope)));
    if allowed {
        Ok(())
    } else {
        Err(ApiError::new(INSUFFICIENT_SCOPE))
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            authenticate(&req)
                .await?
                .map(AuthUser)
                .ok_or_else(|| ApiError::new(UNAUTHENTICATED))
        })
    }
}

impl FromRequest for MaybeAuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(MaybeAuthUser(authenticate(&req).await?)) })
    }
}

/// Where the request came from: the client's IP ([`crate::client_ip`]: the socket peer, or what
/// a trusted proxy's `X-Forwarded-For` names), user agent and request id.
#[derive(Debug, Clone)]
pub struct ClientInfo(pub Client);

/// The client's IP address (see [`crate::client_ip`]).
pub fn client_ip(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Some(peer);
    };
    let forwarded_for = req
        .headers()
        .get_all(X_FORWARDED_FOR)
        .map(|value| value.to_str().ok());
    Some(
        state
            .settings
            .trusted_proxies
            .client_ip(peer, forwarded_for),
    )
}

impl FromRequest for ClientInfo {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(ClientInfo(Client {
            ip: client_ip(req).map(|ip| ip.to_string()),
            user_agent: req
                .headers()
                .get(USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            request_id: req.extensions().get::<RequestId>().map(|id| id.to_string()),
        })))
    }
}

/// A JSON body read into `T`, whose bounded fields ([`crate::bounded`]) and `validator` rules
/// all held. A value of the wrong type, out of its bounds, unknown or missing answers 422 with
/// the field's path (`operations[3].clientOpId`) and a field code; text that is not JSON answers
/// 400 `malformed_json` (through the `JsonConfig` error handler, like size and content type).
#[derive(Debug)]
pub struct ValidatedJson<T>(pub T);

fn camel_case(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Converts `validator` errors into problem fields.
pub fn validation_problem(errors: &validator::ValidationErrors) -> ApiError {
    let mut fields: Vec<ProblemField> = errors
        .field_errors()
        .into_iter()
        .flat_map(|(field, errs)| {
            errs.iter().map(move |e| ProblemField {
                field: camel_case(&field),
                code: e.code.to_string(),
                message: e
                    .message
                    .as_ref()
                    .map_or_else(|| format!("is invalid ({})", e.code), ToString::to_string),
            })
        })
        .collect();
    fields.sort_by(|a, b| a.field.cmp(&b.field));
    ApiError::validation(fields)
}

/// The one field error of a body that did not deserialize: where, which code, and serde's words
/// without the line and column (values are never echoed).
pub fn deserialize_problem(err: &serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let inner = err.inner();
    let mut message = inner.to_string();
    let position = format!(" at line {} column {}", inner.line(), inner.column());
    if let Some(stripped) = message.strip_suffix(&position) {
        message.truncate(stripped.len());
    }
    // Dotted like the service's field errors: `operations.3.clientOpId`.
    let mut field = err
        .path()
        .iter()
        .filter_map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
            serde_path_to_error::Segment::Map { key } => Some(key.clone()),
            serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
            serde_path_to_error::Segment::Unknown => None,
        })
        .collect::<Vec<_>>()
        .join(".");
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    let code = if let Some((code, text)) = crate::bounded::codes::split(&message) {
        let (code, text) = (code.to_owned(), text.to_owned());
        message = text;
        code
    } else if let Some(name) = named("missing field `") {
        field = if field.is_empty() {
            name
        } else {
            format!("{field}.{name}")
        };
        "required".to_owned()
    } else if let Some(name) = named("unknown field `") {
        field = if field.is_empty() {
            name
        } else {
            format!("{field}.{name}")
        };
        message = "is not a field of this request".to_owned();
        "unknown_field".to_owned()
    } else if message.starts_with("unknown variant") {
        message = without_value(&message);
        "invalid_value".to_owned()
    } else {
        message = without_value(&message);
        "invalid_type".to_owned()
    };
    ApiError::validation(vec![ProblemField {
        field,
        message,
        code,
    }])
}

/// serde's words without the value it quotes (`invalid type: string "…", expected …` becomes
/// `invalid type: string, expected …`): what a client sent is never echoed back, since it
/// may be a password or a token in the wrong field.
fn without_value(message: &str) -> String {
    let Some((start, open)) = message.char_indices().find(|(_, c)| matches!(c, '"' | '`')) else {
        return message.to_owned();
    };
    // The value ends at the next unescaped `open` (serde quotes strings with Rust's escapes).
    let mut escaped = false;
    let end = message[start + 1..].char_indices().find_map(|(i, c)| {
        let closes = c == open && !escaped;
        escaped = c == '\\' && !escaped;
        closes.then_some(start + 1 + i + c.len_utf8())
    });
    let head = message[..start].trim_end();
    match end {
        Some(end) => format!("{head}{}", &message[end..]),
        None => head.to_owned(),
    }
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidatedJson<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // actix checks the content type and size and that the text is JSON; the second pass
        // reads it into `T`, tracking the path to the first bad field.
        let json = web::Json::<Box<RawValue>>::from_request(req, payload);
        Box::pin(async move {
            let raw = json.await?.into_inner();
            let mut reader = serde_json::Deserializer::from_str(raw.get());
            let value: T = serde_path_to_error::deserialize(&mut reader)
                .map_err(|e| deserialize_problem(&e))?;
            value.validate().map_err(|e| validation_problem(&e))?;
            Ok(ValidatedJson(value))
        })
    }
}

/// The `If-Match` header, when sent. A header that is not text never matches.
#[derive(Debug, Clone)]
pub struct IfMatch(pub Option<Precondition>);

impl IfMatch {
    /// The precondition to check before writing, if any.
    pub fn get(&self) -> Option<&Precondition> {
        self.0.as_ref()
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(IfMatch(req.headers().get(IF_MATCH).map(|value| {
            value
                .to_str()
                .map_or_else(|_| Precondition::Tags(Vec::new()), Precondition::parse)
        }))))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_sent_are_not_echoed() {
        assert_eq!(
            super::without_value(r#"invalid type: string "hunter2", expected i64"#),
            "invalid type: string, expected i64"
        );
        assert_eq!(
            super::without_value("unknown variant `hunter2`, expected `en` or `fr`"),
            "unknown variant, expected `en` or `fr`"
        );
        assert_eq!(
            super::without_value(r#"invalid type: string "a\"b", expected i64"#),
            "invalid type: string, expected i64"
        );
        assert_eq!(
            super::without_value("invalid type: null, expected a string"),
            "invalid type: null, expected a string"
        );
    }

    #[test]
    fn field_names_become_camel_case() {
        assert_eq!(super::camel_case("first_name"), "firstName");
        assert_eq!(super::camel_case("email"), "email");
    }
}
