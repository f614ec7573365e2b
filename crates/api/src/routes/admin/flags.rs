//! Feature flags: administrators manage them (`/admin/feature-flags`, with their history); every
//! signed-in user reads them evaluated for themselves (`GET /feature-flags/me`).

use std::collections::BTreeMap;

use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use entity::admin::{feature_flag_history, feature_flags};
use entity::enums::UserRole;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use service::admin::feature_flags as flags;
use utoipa::ToSchema;
use validator::Validate;

use crate::bounded::{Id, Int, List, Text, checked_text};
use crate::dto::nullable;
use crate::error::ApiError;
use crate::extract::{AuthUser, ClientInfo, ValidatedJson};
use crate::state::AppState;

checked_text! {
    /// A flag's key: lower-case letters, digits, `_`, `.` and `-`.
    FlagKey: 1, flags::MAX_KEY,
    check = |key| key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c)),
    pattern = r"^[a-z0-9_.-]+$",
    format = None,
    code = "invalid_flag_key",
    message = "must be lower-case letters, digits, _, . or -",
    example = "new_dashboard"
}

/// A rollout percentage.
pub type Rollout = Int<0, 100>;

/// A feature flag.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeatureFlagDto {
    pub id: i64,
    pub key: String,
    pub enabled: bool,
    pub description: Option<String>,
    /// Roles it applies to; empty: every role.
    #[schema(value_type = Vec<UserRole>)]
    pub roles: Value,
    /// Share of users (0-100) it is on for, by a stable hash of the key and the user id.
    pub rollout_percentage: i32,
    /// Users it is always on for.
    #[schema(value_type = Vec<i64>)]
    pub user_ids: Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<feature_flags::Model> for FeatureFlagDto {
    fn from(f: feature_flags::Model) -> Self {
        Self {
            id: f.id,
            key: f.key,
            enabled: f.enabled,
            description: f.description,
            roles: f.roles,
            rollout_percentage: f.rollout_percentage,
            user_ids: f.user_ids,
            created_at: f.created_at,
            updated_at: f.updated_at,
        }
    }
}

/// A new flag.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"key": "new_dashboard", "enabled": true, "rolloutPercentage": 30, "roles": ["learner"]}))]
pub struct CreateFlagRequest {
    pub key: FlagKey,
    pub enabled: bool,
    pub description: Option<Text<0, { flags::MAX_DESCRIPTION }>>,
    /// Empty or absent: every role.
    pub roles: Option<List<UserRole, 0, 4>>,
    /// Default 100.
    pub rollout_percentage: Option<Rollout>,
    pub user_ids: Option<List<Id, 0, { flags::MAX_USERS }>>,
}

impl From<CreateFlagRequest> for flags::FlagInput {
    fn from(r: CreateFlagRequest) -> Self {
        Self {
            key: r.key.into(),
            enabled: r.enabled,
            description: r.description.map(Into::into),
            roles: r.roles.map(List::into_inner).unwrap_or_default(),
            rollout_percentage: r.rollout_percentage.map_or(100, i32::from),
            user_ids: r
                .user_ids
                .map(|ids| ids.into_inner().into_iter().map(Int::get).collect())
                .unwrap_or_default(),
        }
    }
}

/// Changes to a flag (fields left out stay; `description: null` clears it).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"rolloutPercentage": 50}))]
pub struct UpdateFlagRequest {
    pub enabled: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(nullable)]
    pub description: Option<Option<Text<0, { flags::MAX_DESCRIPTION }>>>,
    pub roles: Option<List<UserRole, 0, 4>>,
    pub rollout_percentage: Option<Rollout>,
    pub user_ids: Option<List<Id, 0, { flags::MAX_USERS }>>,
}

impl From<UpdateFlagRequest> for flags::FlagChanges {
    fn from(r: UpdateFlagRequest) -> Self {
        Self {
            enabled: r.enabled,
            description: r.description.map(|d| d.map(Into::into)),
            roles: r.roles.map(List::into_inner),
            rollout_percentage: r.rollout_percentage.map(i32::from),
            user_ids: r
                .user_ids
                .map(|ids| ids.into_inner().into_iter().map(Int::get).collect()),
        }
    }
}

/// One change of a flag.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlagChangeDto {
    pub id: i64,
    pub flag_key: String,
    /// `created`, `updated` or `deleted`.
    pub action: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
    pub changed_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl From<feature_flag_history::Model> for FlagChangeDto {
    fn from(h: feature_flag_history::Model) -> Self {
        Self {
            id: h.id,
            flag_key: h.flag_key,
            action: h.action,
            before: h.before,
            after: h.after,
            changed_by: h.changed_by,
            created_at: h.created_at,
        }
    }
}

/// The flags evaluated for the caller, by key.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyFlagsDto {
    #[schema(example = json!({"new_dashboard": true, "oral_practice_ai": false}))]
    pub flags: BTreeMap<String, bool>,
}

/// Every feature flag evaluated for the caller: the same answer on every instance and after a
/// restart (a stable hash of the flag's key and the caller's id decides a partial rollout; nothing
/// is cached per instance).
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `profile:read`
#[utoipa::path(
    operation_id = "get_my_feature_flags",
    tag = "admin",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    responses((status = 200, description = "The flags", body = MyFlagsDto))
)]
#[get("/feature-flags/me")]
pub async fn my_flags(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<MyFlagsDto>, ApiError> {
    let evaluated = flags::for_me(&state.db, &user.0).await?;
    Ok(web::Json(MyFlagsDto {
        flags: evaluated.into_iter().collect(),
    }))
}

/// Every feature flag, by key (administrators).
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `flags:admin`
/// - `forbidden`: administrators only
#[utoipa::path(
    operation_id = "admin_list_feature_flags",
    tag = "admin",
    security(("bearer" = []), ("apiKey" = ["flags:admin"])),
    responses((status = 200, description = "The flags", body = Vec<FeatureFlagDto>))
)]
#[get("/admin/feature-flags")]
pub async fn list_flags(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<Vec<FeatureFlagDto>>, ApiError> {
    let all = flags::list(&state.db, &user.0).await?;
    Ok(web::Json(all.into_iter().map(Into::into).collect()))
}

/// Creates a feature flag (administrators). Recorded in its history and the audit log.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `flags:admin`
/// - `forbidden`: administrators only
/// - `feature_flag_key_taken`: a flag has this key
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "admin_create_feature_flag",
    tag = "admin",
    security(("bearer" = []), ("apiKey" = ["flags:admin"])),
    request_body = CreateFlagRequest,
    responses((status = 201, description = "The flag", body = FeatureFlagDto))
)]
#[post("/admin/feature-flags")]
pub async fn create_flag(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: ValidatedJson<CreateFlagRequest>,
) -> Result<HttpResponse, ApiError> {
    let flag = flags::create(&state.db, &user.0, &client.0, body.0.into()).await?;
    Ok(HttpResponse::Created().json(FeatureFlagDto::from(flag)))
}

/// One feature flag (administrators).
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `flags:admin`
/// - `forbidden`: administrators only
/// - `not_found`: no such flag
#[utoipa::path(
    operation_id = "admin_get_feature_flag",
    tag = "admin",
    security(("bearer" = []), ("apiKey" = ["flags:admin"])),
    params(("id" = i64, Path, description = "Flag id")),
    responses((status = 200, description = "The flag", body = FeatureFlagDto))
)]
#[get("/admin/feature-flags/{id}")]
pub async fn get_flag(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<FeatureFlagDto>, ApiError> {
    let flag = flags::get(&state.db, &user.0, id.into_inner()).await?;
    Ok(web::Json(flag.into()))
}

/// Changes a feature flag (administrators). Every change is recorded in its history (before and
/// after) and the audit log; it applies on every instance at the next request.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `flags:admin`
/// - `forbidden`: administrators only
/// - `not_found`: no such flag
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "admin_update_feature_flag",
    tag = "admin",
    security(("bearer" = []), ("apiKey" = ["flags:admin"])),
    params(("id" = i64, Path, description = "Flag id")),
    request_body = UpdateFlagRequest,
    responses((status = 200, description = "The flag", body = FeatureFlagDto))
)]
#[patch("/admin/feature-flags/{id}")]
pub async fn update_flag(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
    body: ValidatedJson<UpdateFlagRequest>,
) -> Result<web::Json<FeatureFlagDto>, ApiError> {
    let flag = flags::update(
        &state.db,
        &user.0,
        &client.0,
        id.into_inner(),
        body.0.into(),
    )
    .await?;
    Ok(web::Json(flag.into()))
}

/// Deletes a feature flag (administrators): off for everyone from then on. Its history stays
/// under its key and in the audit log.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `flags:admin`
/// - `forbidden`: administrators only
/// - `not_found`: no such flag
#[utoipa::path(
    operation_id = "admin_delete_feature_flag",
    tag = "admin",
    security(("bearer" = []), ("apiKey" = ["flags:admin"])),
    params(("id" = i64, Path, description = "Flag id")),
    responses((status = 204, description = "Deleted"))
)]
#[delete("/admin/feature-flags/{id}")]
pub async fn delete_flag(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    flags::delete(&state.db, &user.0, &client.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A feature flag's changes, newest first (administrators).
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `flags:admin`
/// - `forbidden`: administrators only
/// - `not_found`: no such flag
#[utoipa::path(
    operation_id = "admin_feature_flag_history",
    tag = "admin",
    security(("bearer" = []), ("apiKey" = ["flags:admin"])),
    params(("id" = i64, Path, description = "Flag id")),
    responses((status = 200, description = "The changes", body = Vec<FlagChangeDto>))
)]
#[get("/admin/feature-flags/{id}/history")]
pub async fn flag_history(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<FlagChangeDto>>, ApiError> {
    let rows = flags::history(&state.db, &user.0, id.into_inner()).await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}
