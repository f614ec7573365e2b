//! Sessions: registration, login, token refresh and logout.

use actix_web::{HttpResponse, post, web};
use service::auth::sessions;

use super::dto::{AuthResponse, LoginRequest, RefreshRequest, RegisterRequest};
use super::rate_limit::{HOUR, MINUTE, account, ip, rate_limit};
use crate::error::ApiError;
use crate::extract::{ClientInfo, ValidatedJson};
use crate::state::AppState;

/// Creates a learner account, signs it in, and mails an address verification link.
///
/// Problems:
/// - `malformed_json`: the body is not JSON
/// - `email_taken`
/// - `validation_failed`: invalid fields, or unknown fields such as `role`
/// - `rate_limited`: too many registrations from this address
#[utoipa::path(
    operation_id = "register",
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in", body = AuthResponse),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: ValidatedJson<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let per_hour = state.settings.rate_limit_register_per_hour;
    rate_limit(&state, "register:ip", ip(&client), per_hour, HOUR)?;
    let session = sessions::register(&state.db, &state.deps.auth, body.0.into(), &client.0).await?;
    Ok(HttpResponse::Created().json(AuthResponse::from(session)))
}

/// Signs in. Unknown e-mails and wrong passwords get the same answer, in the same time.
///
/// Problems:
/// - `invalid_credentials`
/// - `account_suspended`
/// - `validation_failed`: invalid fields
/// - `rate_limited`: too many attempts for this address or account
#[utoipa::path(
    operation_id = "login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = AuthResponse),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: ValidatedJson<LoginRequest>,
) -> Result<web::Json<AuthResponse>, ApiError> {
    let per_minute = state.settings.rate_limit_login_per_minute;
    rate_limit(&state, "login:ip", ip(&client), per_minute, MINUTE)?;
    rate_limit(
        &state,
        "login:account",
        &account(&body.0.email),
        per_minute,
        MINUTE,
    )?;
    let session = sessions::login(
        &state.db,
        &state.deps.auth,
        &body.0.email,
        &body.0.password,
        &client.0,
    )
    .await?;
    Ok(web::Json(session.into()))
}

/// Exchanges a refresh token for a new access and refresh token. Each refresh token works once;
/// presenting a used one revokes every token of its session (`refresh_token_reused`).
///
/// Problems:
/// - `invalid_refresh_token`
/// - `refresh_token_reused`
/// - `account_inactive`
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "refresh_token",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = AuthResponse),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: ValidatedJson<RefreshRequest>,
) -> Result<web::Json<AuthResponse>, ApiError> {
    let session = sessions::refresh(
        &state.db,
        &state.deps.auth,
        &body.0.refresh_token,
        &client.0,
    )
    .await?;
    Ok(web::Json(session.into()))
}

/// Ends the session the refresh token belongs to. Always 204, also for unknown tokens.
///
/// Problems:
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "logout",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Signed out"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: ValidatedJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    sessions::logout(&state.db, &body.0.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}
