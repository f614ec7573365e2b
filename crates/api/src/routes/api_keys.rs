//! `/api-keys`: keys for integrators, acting as their owner within their scopes.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use entity::auth::api_keys;
use serde::{Deserialize, Serialize};
use service::auth::api_keys::{self as keys, NewKey};
use utoipa::ToSchema;
use validator::Validate;

use crate::error::{ApiError, ProblemDetails};
use crate::extract::{AuthUser, ClientInfo, ValidatedJson};
use crate::state::AppState;

/// A key to create.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateApiKey {
    #[schema(example = "HR reporting export")]
    pub name: String,
    /// One or more of `profile:read`, `users:read`, `users:write`, `audit:read`.
    #[schema(example = json!(["users:read"]))]
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A key, without its secret.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyDto {
    pub id: i64,
    pub name: String,
    /// Visible start of the key, to recognise it.
    #[schema(example = "ra_3f9a1c07d2")]
    pub key_prefix: String,
    pub scopes: Vec<String>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<api_keys::Model> for ApiKeyDto {
    fn from(k: api_keys::Model) -> Self {
        Self {
            id: k.id,
            name: k.name,
            key_prefix: k.key_prefix,
            scopes: serde_json::from_value(k.scopes).unwrap_or_default(),
            last_used_at: k.last_used_at,
            expires_at: k.expires_at,
            revoked_at: k.revoked_at,
            created_at: k.created_at,
        }
    }
}

/// A new key with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedApiKeyDto {
    #[serde(flatten)]
    pub api_key: ApiKeyDto,
    /// The key: send it as `Authorization: ApiKey <key>`. It cannot be shown again.
    pub key: String,
}

/// Creates an API key for the caller.
#[utoipa::path(
    operation_id = "create_api_key",
    tag = "api-keys",
    security(("bearer" = [])),
    request_body = CreateApiKey,
    responses(
        (status = 201, description = "The key, shown once", body = CreatedApiKeyDto),
        (status = 403, description = "`api_key_cannot_create_keys`: keys are managed by a signed-in person", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name, scopes or expiry", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/api-keys")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: ValidatedJson<CreateApiKey>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let created = keys::create(
        &state.db,
        &user.0,
        NewKey {
            name: body.name,
            scopes: body.scopes,
            expires_at: body.expires_at,
        },
        &client.0,
    )
    .await?;
    Ok(HttpResponse::Created().json(CreatedApiKeyDto {
        api_key: created.key.into(),
        key: created.secret,
    }))
}

/// The caller's keys.
#[utoipa::path(
    operation_id = "list_api_keys",
    tag = "api-keys",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My keys", body = Vec<ApiKeyDto>),
        (status = 403, description = "`api_key_cannot_create_keys`: keys are managed by a signed-in person", body = ProblemDetails, content_type = "application/problem+json"),
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
#[utoipa::path(
    operation_id = "revoke_api_key",
    tag = "api-keys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Key id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, description = "`api_key_cannot_create_keys`: keys are managed by a signed-in person", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such key of yours", body = ProblemDetails, content_type = "application/problem+json"),
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
