//! `/users/me`: the caller's account, profile, data export and deletion.

use actix_web::{HttpResponse, delete, get, patch, put, web};
use service::users;

use super::dto::{ProfileDto, ProfileRequest, UpdateMeRequest};
use crate::dto::UserDto;
use crate::error::ApiError;
use crate::extract::{AuthUser, ClientInfo, ValidatedJson};
use crate::state::AppState;

/// The caller's account.
///
/// Who is signed in: id, e-mail, names, role, status and language. Any signed-in user; an API
/// key needs the `profile:read` scope.
#[utoipa::path(
    operation_id = "get_me",
    tag = "users",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    responses(
        (status = 200, description = "The account", body = UserDto),
    )
)]
#[get("/users/me")]
pub async fn get_me(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<UserDto>, ApiError> {
    Ok(web::Json(users::me(&state.db, &user.0).await?.into()))
}

/// Changes the caller's name or language.
///
/// Problems:
/// - `validation_failed`: invalid or non-writable fields
#[utoipa::path(
    operation_id = "update_me",
    tag = "users",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated account", body = UserDto),
    )
)]
#[patch("/users/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<UpdateMeRequest>,
) -> Result<web::Json<UserDto>, ApiError> {
    let account = users::update_me(&state.db, &user.0, body.0.into()).await?;
    Ok(web::Json(account.into()))
}

/// The caller's profile (defaults until one is saved).
///
/// Biography, picture, time zone, phone, department, position and target language. Any
/// signed-in user; an API key needs the `profile:read` scope.
#[utoipa::path(
    operation_id = "get_my_profile",
    tag = "users",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    responses(
        (status = 200, description = "The profile", body = ProfileDto),
    )
)]
#[get("/users/me/profile")]
pub async fn get_profile(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<ProfileDto>, ApiError> {
    Ok(web::Json(users::profile(&state.db, &user.0).await?.into()))
}

/// Replaces the caller's profile.
///
/// Problems:
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "put_my_profile",
    tag = "users",
    security(("bearer" = [])),
    request_body = ProfileRequest,
    responses(
        (status = 200, description = "The saved profile", body = ProfileDto),
    )
)]
#[put("/users/me/profile")]
pub async fn put_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<ProfileRequest>,
) -> Result<web::Json<ProfileDto>, ApiError> {
    let profile = users::put_profile(&state.db, &user.0, body.0.into()).await?;
    Ok(web::Json(profile.into()))
}

/// Every row stored about the caller, keyed by table (secrets excluded).
///
/// The data-portability export: the account and every row of every table that refers to the
/// caller, with passwords, token hashes and key hashes left out. Any signed-in user; an API key
/// needs the `profile:read` scope.
#[utoipa::path(
    operation_id = "export_my_data",
    tag = "users",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    responses(
        (status = 200, description = "All my data", body = Object),
    )
)]
#[get("/users/me/export")]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<serde_json::Value>, ApiError> {
    Ok(web::Json(users::export::export(&state.db, &user.0).await?))
}

/// Deletes the caller's account: personal data is anonymised, every session and API key is
/// revoked; payment records are kept for legal retention. The caller's name is erased from their
/// certificates: their public verification keeps confirming the number, the course and the issue
/// date (`valid: true`) with `recipientName: null` (reason `account_deleted`), and their PDF can
/// no longer be downloaded by anyone.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot delete an account
/// - `last_admin`: the last active administrator cannot delete themselves
#[utoipa::path(
    operation_id = "delete_me",
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Account deleted"),
    )
)]
#[delete("/users/me")]
pub async fn delete_me(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
) -> Result<HttpResponse, ApiError> {
    users::delete_me(&state.db, &state.deps.signer, &user.0, &client.0).await?;
    Ok(HttpResponse::NoContent().finish())
}
