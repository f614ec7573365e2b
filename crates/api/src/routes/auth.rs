//! `/auth`: registration, login, token refresh and logout, password reset, e-mail verification.
//! Rate limited per IP and per account (see the 429 responses).

use std::time::Duration;

use actix_web::{HttpResponse, post, web};
use entity::enums::Language;
use serde::{Deserialize, Serialize};
use service::auth::recovery;
use service::auth::sessions::{self, Registration, Session};
use utoipa::ToSchema;
use validator::Validate;

use crate::dto::UserDto;
use crate::error::{ApiError, ProblemDetails};
use crate::extract::{ClientInfo, ValidatedJson};
use crate::state::AppState;
use service::problem::RATE_LIMITED;

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// Counts a request against a limit; 429 `rate_limited` with `Retry-After` past it.
pub fn rate_limit(
    state: &AppState,
    key: &str,
    limit: u32,
    window: Duration,
) -> Result<(), ApiError> {
    state
        .limiter
        .hit(key, limit, window)
        .map_err(|wait| ApiError::new(RATE_LIMITED).retry_after(wait.0))
}

fn ip(client: &ClientInfo) -> &str {
    client.0.ip.as_deref().unwrap_or("unknown")
}

/// A new account. Everyone registers as a learner: there is no role field.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(example = "marie.tremblay@canada.ca")]
    #[validate(length(max = 255))]
    pub email: String,
    /// 10 to 128 characters, not a common password.
    #[schema(example = "Oral-Interaction-B-2027")]
    #[validate(length(max = 1024))]
    pub password: String,
    #[schema(example = "Marie")]
    pub first_name: String,
    #[schema(example = "Tremblay")]
    pub last_name: String,
    /// Language of the interface and e-mails (default `en`).
    pub language: Option<Language>,
}

/// Credentials.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "marie.tremblay@canada.ca")]
    #[validate(length(max = 255))]
    pub email: String,
    #[schema(example = "Oral-Interaction-B-2027")]
    #[validate(length(max = 1024))]
    pub password: String,
}

/// A refresh token.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefreshRequest {
    #[validate(length(min = 1, max = 256))]
    pub refresh_token: String,
}

/// An e-mail address to send a reset link to.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[validate(length(max = 255))]
    #[schema(example = "marie.tremblay@canada.ca")]
    pub email: String,
}

/// The token from the e-mail and the new password.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordResetConfirm {
    #[validate(length(min = 1, max = 256))]
    pub token: String,
    /// 10 to 128 characters, not a common password.
    #[validate(length(max = 1024))]
    pub new_password: String,
}

/// The token from the verification e-mail.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyEmailRequest {
    #[validate(length(min = 1, max = 256))]
    pub token: String,
}

/// Tokens of a signed-in session.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthResponse {
    pub user: UserDto,
    /// JWT for `Authorization: Bearer`; valid `expiresIn` seconds.
    pub access_token: String,
    /// Opaque, single-use: exchange it at `/auth/refresh` for a new pair.
    pub refresh_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    #[schema(example = 900)]
    pub expires_in: i64,
}

impl From<Session> for AuthResponse {
    fn from(s: Session) -> Self {
        Self {
            user: s.user.into(),
            access_token: s.access_token,
            refresh_token: s.refresh_token,
            token_type: "Bearer",
            expires_in: s.expires_in,
        }
    }
}

/// Creates a learner account, signs it in, and mails an address verification link.
#[utoipa::path(
    operation_id = "register",
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in", body = AuthResponse),
        (status = 400, description = "Malformed JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`email_taken`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or unknown fields such as `role`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many registrations from this address", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: ValidatedJson<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    rate_limit(
        &state,
        &format!("register:ip:{}", ip(&client)),
        state.settings.rate_limit_register_per_hour,
        HOUR,
    )?;
    let body = body.0;
    let input = Registration {
        email: body.email,
        password: body.password,
        first_name: body.first_name,
        last_name: body.last_name,
        language: body.language,
    };
    let session = sessions::register(&state.db, &state.deps.auth, input, &client.0).await?;
    Ok(HttpResponse::Created().json(AuthResponse::from(session)))
}

/// Signs in. Unknown e-mails and wrong passwords get the same answer, in the same time.
#[utoipa::path(
    operation_id = "login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = AuthResponse),
        (status = 401, description = "`invalid_credentials`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "`account_suspended`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts for this address or account", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: ValidatedJson<LoginRequest>,
) -> Result<web::Json<AuthResponse>, ApiError> {
    let per_minute = state.settings.rate_limit_login_per_minute;
    rate_limit(
        &state,
        &format!("login:ip:{}", ip(&client)),
        per_minute,
        MINUTE,
    )?;
    rate_limit(
        &state,
        &format!("login:account:{}", body.0.email.trim().to_lowercase()),
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
#[utoipa::path(
    operation_id = "refresh_token",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = AuthResponse),
        (status = 401, description = "`invalid_refresh_token`, `refresh_token_reused` or `account_inactive`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDetails, content_type = "application/problem+json"),
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
#[utoipa::path(
    operation_id = "logout",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Signed out"),
        (status = 422, description = "Invalid fields", body = ProblemDetails, content_type = "application/problem+json"),
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

/// Mails a password-reset link (valid one hour) if the address belongs to an active account.
/// The answer is the same whether or not it does.
#[utoipa::path(
    operation_id = "request_password_reset",
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "If the account exists, a link is on its way"),
        (status = 429, description = "Too many requests for this address or e-mail", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: ValidatedJson<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let per_hour = state.settings.rate_limit_reset_per_hour;
    rate_limit(
        &state,
        &format!("reset:ip:{}", ip(&client)),
        state.settings.rate_limit_reset_per_ip_per_hour,
        HOUR,
    )?;
    rate_limit(
        &state,
        &format!("reset:email:{}", body.0.email.trim().to_lowercase()),
        per_hour,
        HOUR,
    )?;
    recovery::request_password_reset(&state.db, &body.0.email).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Sets a new password with the token from the e-mail. The token works once; every session of
/// the account is signed out.
#[utoipa::path(
    operation_id = "confirm_password_reset",
    tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "Password changed"),
        (status = 422, description = "`invalid_or_expired_token` or a weak password", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: ValidatedJson<PasswordResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    recovery::confirm_password_reset(
        &state.db,
        &state.deps.auth,
        &body.0.token,
        &body.0.new_password,
        &client.0,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Confirms the e-mail address with the token from the verification e-mail.
#[utoipa::path(
    operation_id = "verify_email",
    tag = "auth",
    request_body = VerifyEmailRequest,
    responses(
        (status = 204, description = "Address verified"),
        (status = 422, description = "`invalid_or_expired_token`", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/auth/verify-email")]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: ValidatedJson<VerifyEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    recovery::verify_email(&state.db, &body.0.token).await?;
    Ok(HttpResponse::NoContent().finish())
}
