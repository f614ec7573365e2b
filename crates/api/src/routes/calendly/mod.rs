//! Calendly: a coach connects their Calendly account (OAuth: `authorize`, then Calendly sends
//! the browser to `callback`, which hands the code to the web application, which completes with
//! `complete` as the signed-in coach) or disconnects it; Calendly tells the platform of bookings through
//! a signed webhook, which books and cancels coaching sessions. Without Calendly settings the
//! routes answer 503 `calendly_not_configured`.

pub mod dto;

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use service::calendly;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::extract::ValidatedJson;
use crate::state::AppState;
use dto::{
    AuthorizeDto, CalendlyConnectionDto, CalendlyEventBody, CallbackQuery, CompleteConnection,
    WebhookAckDto,
};

/// The header Calendly signs its deliveries with.
const SIGNATURE_HEADER: &str = "Calendly-Webhook-Signature";

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(authorize)
        .service(callback)
        .service(complete)
        .service(disconnect)
        .service(webhook);
}

/// Starts connecting the caller's Calendly account: the URL of Calendly's authorization page,
/// which the web application navigates to (a JSON answer rather than a redirect, so that the
/// request can carry the bearer token). The link is bound to the caller's coach profile and
/// expires after 10 minutes.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot connect accounts
/// - `calendly_coach_required`: the caller has no coach profile
/// - `calendly_not_configured`: the server has no Calendly settings
#[utoipa::path(
    operation_id = "calendly_authorize",
    tag = "calendly",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Where to send the browser", body = AuthorizeDto),
    )
)]
#[get("/integrations/calendly/authorize")]
pub async fn authorize(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<AuthorizeDto>, ApiError> {
    let (authorize_url, expires_at) =
        calendly::authorize(&state.db, state.deps.calendly.as_ref(), &user.0).await?;
    Ok(web::Json(AuthorizeDto {
        authorize_url,
        expires_at,
    }))
}

/// Where Calendly sends the coach's browser after the grant (no bearer token). It connects
/// nothing: it checks the `state`'s signature and expiry only, exchanges no code, and sends the
/// browser back to the web application with a 302:
/// `APP_BASE_URL/coach/integrations?calendly=authorized&code=<code>&state=<state>` (URL-encoded),
/// or `?calendly=error&code=<problem code>` (the codes are listed in the
/// `CalendlyCallbackOutcome` schema). The web application then completes the connection with
/// `POST /integrations/calendly/callback` as the signed-in coach, so a link opened by anyone else
/// connects nothing.
#[utoipa::path(
    operation_id = "calendly_callback",
    tag = "calendly",
    params(CallbackQuery),
    responses(
        (status = 302, description = "Back to the web application, with the outcome in the query string",
            headers(("Location" = String, description = "`APP_BASE_URL/coach/integrations?calendly=authorized&code=…&state=…` or `…?calendly=error&code=<code>`"))),
    )
)]
#[get("/integrations/calendly/callback")]
pub async fn callback(
    state: web::Data<AppState>,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, ApiError> {
    let callback: calendly::Callback = query.into_inner().into();
    let back = format!("{}{}", state.deps.app_base_url, calendly::RETURN_PATH);
    let location = match calendly::check_callback(state.deps.calendly.as_ref(), &callback) {
        Ok(()) => format!(
            "{back}?calendly=authorized&code={}&state={}",
            query_value(callback.code.as_deref().unwrap_or_default()),
            query_value(&callback.state)
        ),
        Err(err) => {
            let code = match &err {
                service::Error::Problem(problem) => problem.code,
                _ => return Err(err.into()),
            };
            tracing::info!(code, cause = %err, "Calendly authorization refused");
            format!("{back}?calendly=error&code={code}")
        }
    };
    Ok(HttpResponse::Found()
        .insert_header((LOCATION, location))
        .finish())
}

/// `text` percent-encoded for a query string (everything but RFC 3986's unreserved characters).
fn query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Completes connecting the caller's Calendly account with the `code` and `state` that
/// `GET /integrations/calendly/callback` handed to the web application. The state must have been
/// made for the caller (`authorize`, within 10 minutes) and its coach profile still be theirs;
/// otherwise nothing is sent to Calendly. The code is then exchanged for tokens (stored
/// encrypted) and the booking webhook subscribed. Connecting again replaces the earlier
/// connection.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot connect accounts
/// - `calendly_state_invalid`: a forged or altered state, one made for someone else, or whose
///   coach profile is no longer the caller's
/// - `calendly_state_expired`: the state is older than 10 minutes: start again
/// - `calendly_authorization_refused`: Calendly refused the code (used or expired)
/// - `calendly_account_in_use`: the Calendly account is connected to another coach
/// - `calendly_not_configured`: the server has no Calendly settings
/// - `dependency_unavailable`: Calendly could not be reached
#[utoipa::path(
    operation_id = "calendly_complete",
    tag = "calendly",
    security(("bearer" = [])),
    request_body = CompleteConnection,
    responses(
        (status = 200, description = "Connected", body = CalendlyConnectionDto),
    )
)]
#[post("/integrations/calendly/callback")]
pub async fn complete(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<CompleteConnection>,
) -> Result<web::Json<CalendlyConnectionDto>, ApiError> {
    let body = body.0;
    let connected = calendly::complete(
        &state.db,
        state.deps.calendly.as_ref(),
        &user.0,
        &body.code,
        &body.state,
    )
    .await?;
    tracing::info!(coach_id = connected.coach_id, "Calendly connected");
    Ok(web::Json(connected.into()))
}

/// Disconnects the caller's Calendly account: the connection is deleted at once; the webhook
/// subscription is deleted and the tokens revoked at Calendly by a background job. Sessions
/// already booked stay.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot disconnect accounts
/// - `calendly_coach_required`: the caller has no coach profile
/// - `not_found`: no Calendly account is connected
#[utoipa::path(
    operation_id = "calendly_disconnect",
    tag = "calendly",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Disconnected"),
    )
)]
#[delete("/integrations/calendly")]
pub async fn disconnect(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<HttpResponse, ApiError> {
    calendly::disconnect(&state.db, &user.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Calendly's event deliveries (called by Calendly, not by clients). The signature header is
/// verified on the raw body before anything else (HMAC-SHA256, 5 minutes' tolerance); the event
/// is recorded once and processed once: a redelivery answers 200 and changes nothing.
/// `invitee.created` books a confirmed session for the coach whose Calendly account hosts the
/// event and the learner with the invitee's e-mail; `invitee.canceled` cancels it. An unknown
/// coach or learner is recorded and answered 200.
///
/// Problems:
/// - `webhook_signature_invalid`: the signature is missing, malformed, older than 5 minutes, or
///   does not match the body
/// - `webhook_payload_invalid`: a signed body that is not a Calendly event
/// - `webhook_in_progress`: the same event is still being processed by another delivery
/// - `calendly_not_configured`: the server has no Calendly settings
#[utoipa::path(
    operation_id = "calendly_webhook",
    tag = "calendly",
    params(
        ("Calendly-Webhook-Signature" = String, Header, pattern = r"^t=\d+,v1=[0-9a-f]+",
            description = "`t=<unix seconds>,v1=<hex HMAC-SHA256(signing key, \"<t>.<raw body>\")>`"),
    ),
    request_body(content = CalendlyEventBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Accepted (processed now, or before)", body = WebhookAckDto),
    )
)]
#[post("/webhooks/calendly")]
pub async fn webhook(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<web::Json<WebhookAckDto>, ApiError> {
    let signature = req
        .headers()
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    let outcome =
        calendly::webhook::receive(&state.db, state.deps.calendly.as_ref(), signature, &body)
            .await?;
    Ok(web::Json(outcome.into()))
}
