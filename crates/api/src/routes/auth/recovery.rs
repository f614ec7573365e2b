//! Account recovery: password reset by e-mail, and e-mail address verification.

use actix_web::{HttpResponse, post, web};
use service::auth::recovery;

use super::dto::{PasswordResetConfirm, PasswordResetRequest, VerifyEmailRequest};
use super::rate_limit::{HOUR, account, ip, rate_limit};
use crate::error::ApiError;
use crate::extract::{ClientInfo, ValidatedJson};
use crate::state::AppState;

/// Mails a password-reset link (valid one hour) if the address belongs to an active account.
/// The answer is the same whether or not it does. The link opens the web application at
/// `APP_BASE_URL/reset-password?token=…`, which posts the token to `/auth/password-reset/confirm`.
///
/// Problems:
/// - `rate_limited`: too many requests for this address or e-mail
#[utoipa::path(
    operation_id = "request_password_reset",
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "If the account exists, a link is on its way"),
    )
)]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: ValidatedJson<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let per_ip = state.settings.rate_limit_reset_per_ip_per_hour;
    let per_email = state.settings.rate_limit_reset_per_hour;
    rate_limit(&state, "reset:ip", ip(&client), per_ip, HOUR)?;
    rate_limit(
        &state,
        "reset:email",
        &account(&body.0.email),
        per_email,
        HOUR,
    )?;
    recovery::request_password_reset(&state.db, &body.0.email).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Sets a new password with the token from the e-mail. The token works once; every session of
/// the account is signed out.
///
/// Problems:
/// - `validation_failed`: the token is invalid, expired or used (field code `invalid_or_expired_token`), or the password is weak
#[utoipa::path(
    operation_id = "confirm_password_reset",
    tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "Password changed"),
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

/// Confirms the e-mail address with the token from the verification e-mail (its link opens the
/// web application at `APP_BASE_URL/verify-email?token=…`, which posts the token here).
///
/// Certificates are issued only to verified accounts: the certificates of courses the learner
/// completed before verifying are issued now, in the background (they appear in
/// `GET /users/me/certificates` within moments), without completing anything again.
///
/// Problems:
/// - `validation_failed`: the token is invalid, expired or used (field code `invalid_or_expired_token`)
#[utoipa::path(
    operation_id = "verify_email",
    tag = "auth",
    request_body = VerifyEmailRequest,
    responses(
        (status = 204, description = "Address verified"),
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
