//! `Idempotency-Key` on a route (see `service::idempotency`): wrap the route with
//! `#[post("…", wrap = "from_fn(crate::middleware::idempotency::replay)")]`. Requests without
//! the header, or without credentials, pass through unchanged.

use actix_web::body::{BoxBody, MessageBody, to_bytes};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError, web};
use service::idempotency::{self, Begin, Request};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::state::AppState;
use service::idempotency::{IDEMPOTENCY_KEY_IN_PROGRESS, IDEMPOTENCY_KEY_REUSED};

static IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
static REPLAYED: HeaderName = HeaderName::from_static("idempotency-replayed");

fn refuse(req: ServiceRequest, err: ApiError) -> ServiceResponse<BoxBody> {
    req.into_response(err.error_response())
}

/// The middleware function.
pub async fn replay(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(key) = req
        .headers()
        .get(&IDEMPOTENCY_KEY)
        .map(|v| v.to_str().unwrap_or("\u{0}").to_owned())
    else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let (Some(state), Ok(AuthUser(actor))) = (
        req.app_data::<web::Data<AppState>>().cloned(),
        req.extract::<AuthUser>().await,
    ) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let body = req.extract::<web::Bytes>().await?;
    let body_hash = hex::encode(Sha256::digest(&body));
    req.set_payload(Payload::from(body));
    let (method, path) = (req.method().to_string(), req.path().to_owned());
    let request = Request {
        user_id: actor.user_id,
        key: &key,
        method: &method,
        path: &path,
        body_hash: &body_hash,
    };
    let id = match idempotency::begin(&state.db, request).await {
        Err(err) => return Ok(refuse(req, err.into())),
        Ok(Begin::Reused) => {
            return Ok(refuse(req, ApiError::new(IDEMPOTENCY_KEY_REUSED)));
        }
        Ok(Begin::InProgress) => {
            return Ok(refuse(req, ApiError::new(IDEMPOTENCY_KEY_IN_PROGRESS)));
        }
        Ok(Begin::Replay { status, body }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let content_type = if status.is_success() {
                "application/json"
            } else {
                "application/problem+json"
            };
            let response = HttpResponse::build(status)
                .content_type(content_type)
                .insert_header((REPLAYED.clone(), HeaderValue::from_static("true")))
                .body(body);
            return Ok(req.into_response(response));
        }
        Ok(Begin::Proceed { id }) => id,
    };
    let res = next.call(req).await?;
    let status = res.status();
    let (request, response) = res.into_parts();
    let (head, body) = response.into_parts();
    let bytes = to_bytes(body)
        .await
        .map_err(|_| ApiError::internal("reading the response to store it"))?;
    let stored = if status.is_server_error() {
        idempotency::release(&state.db, id).await
    } else {
        idempotency::complete(
            &state.db,
            id,
            status.as_u16(),
            &String::from_utf8_lossy(&bytes),
        )
        .await
    };
    if let Err(err) = stored {
        tracing::warn!(error = %err, "could not store the idempotent reply");
    }
    let mut response = head.set_body(BoxBody::new(bytes));
    if !response.headers().contains_key(CONTENT_TYPE) {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    Ok(ServiceResponse::new(request, response))
}
