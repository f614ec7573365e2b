//! `/api-keys`: keys for integrators, acting as their owner within their scopes.

use actix_web::{HttpResponse, delete, get, post, web};
use service::auth::api_keys as keys;

use super::dto::{ApiKeyDto, CreateApiKey, CreatedApiKeyDto};
use crate::error::ApiError;
use crate::extract::{AuthUser, ClientInfo, ValidatedJson};
use crate::state::AppState;

/// Creates an API key for the caller.
///
/// Problems:
/// - `validation_failed`: invalid name, scopes or expiry
#[utoipa::path(
    operation_id = "create_api_key",
    tag = "auth",
    security(("bearer" = [])),
    request_body = CreateApiKey,
    responses(
        (status = 201, description = "The key, shown once", body = CreatedApiKeyDto),
    )
)]
#[post("/api-keys")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: ValidatedJson<CreateApiKey>,
) -> Result<HttpResponse, ApiError> {
    let created = keys::create(&state.db, &user.0, body.0.into(), &client.0).await?;
    Ok(HttpResponse::Created().json(CreatedApiKeyDto::from(created)))
}

/// The caller's keys.
#[utoipa::path(
    operation_id = "list_api_keys",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My keys", body = Vec<ApiKeyDto>),
    )
)]
#[get("/api-keys")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<Vec<ApiKeyDto>>, ApiError> {
    Ok(web::Json(
        keys::list(&state.db, &user.0)
            .await?
            .into_iter()
            .map(ApiKeyDto::from)
            .collect(),
    ))
}

/// Revokes one of the caller's keys.
///
/// Problems:
/// - `not_found`: no such key of yours
#[utoipa::path(
    operation_id = "revoke_api_key",
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Key id")),
    responses(
        (status = 204, description = "Revoked"),
    )
)]
#[delete("/api-keys/{id}")]
pub async fn revoke(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    keys::revoke(&state.db, &user.0, id.into_inner(), &client.0).await?;
    Ok(HttpResponse::NoContent().finish())
}
