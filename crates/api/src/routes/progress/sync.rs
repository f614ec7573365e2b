//! Offline sync: batches of progress operations recorded on a device, applied once each.

use actix_web::{post, web};
use service::progress::{self, Operation};

use super::dto::{SyncRequest, SyncResponse};
use crate::error::ApiError;
use crate::extract::{AuthUser, ValidatedJson};
use crate::state::AppState;

/// Applies a batch of offline operations in one transaction, with a result per operation.
/// Replaying a batch (or part of it) returns the first results again and changes nothing.
/// Honours `Idempotency-Key`: the first reply to a key is replayed for the same body (with
/// `Idempotency-Replayed: true`); the key with another body answers 422 `idempotency_key_reused`.
///
/// A batch that completes a course completes the enrollment and issues the course's certificate
/// to a verified account; for an account whose e-mail address is not verified yet the
/// certificate is withheld until the address is verified (`POST /auth/verify-email`).
///
/// Problems:
/// - `idempotency_key_in_progress`: a request with this `Idempotency-Key` is still running
/// - `validation_failed`: an empty or oversized batch, or operations without clientOpId
/// - `idempotency_key_reused`: the `Idempotency-Key` was used with another body
#[utoipa::path(
    operation_id = "sync_progress",
    tag = "progress",
    security(("bearer" = [])),
    request_body = SyncRequest,
    params(
        ("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 255,
         pattern = "^[!-~]+$",
         description = "Makes a retry safe: printable ASCII, unique per request you mean to make once"),
    ),
    responses(
        (status = 200, description = "Per-operation results", body = SyncResponse),
    )
)]
#[post(
    "/sync/progress",
    wrap = "actix_web::middleware::from_fn(crate::middleware::idempotency::replay)"
)]
pub async fn sync_progress(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<SyncRequest>,
) -> Result<web::Json<SyncResponse>, ApiError> {
    let SyncRequest {
        device_id,
        operations,
    } = body.0;
    let device_id = device_id.map(String::from);
    let operations: Vec<Operation> = operations.convert();
    progress::validate_batch(device_id.as_deref(), &operations)?;
    let results = progress::apply(
        &state.db,
        &state.deps.signer,
        &user.0,
        device_id.as_deref(),
        operations,
    )
    .await?;
    Ok(web::Json(results.into()))
}
