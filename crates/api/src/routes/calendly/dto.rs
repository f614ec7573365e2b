//! Request and response types of the Calendly integration.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use service::calendly::{self, webhook::Outcome};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::bounded::Text;

/// Where to send the coach's browser to connect their Calendly account.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizeDto {
    /// Calendly's authorization page, with a signed `state` bound to the caller's coach profile.
    /// The web application navigates to it; Calendly then sends the browser to
    /// `GET /integrations/calendly/callback`, which sends it back to the web application with the
    /// code and the state (see `CalendlyCallbackOutcome`); the web application completes with
    /// `POST /integrations/calendly/callback` as the signed-in coach.
    #[schema(
        example = "https://auth.calendly.com/oauth/authorize?client_id=…&response_type=code&redirect_uri=…&state=…"
    )]
    pub authorize_url: String,
    /// The link works until then (10 minutes).
    pub expires_at: DateTime<Utc>,
}

/// What Calendly's redirect carries back.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    /// The authorization code (absent when access was declined).
    pub code: Option<Text<1, { calendly::MAX_CODE }>>,
    /// The `state` of the authorize URL, returned as is.
    pub state: Text<1, { calendly::MAX_STATE }>,
    /// Calendly's error, e.g. `access_denied` when the coach declined.
    pub error: Option<Text<1, { calendly::MAX_ERROR }>>,
}

impl From<CallbackQuery> for calendly::Callback {
    fn from(q: CallbackQuery) -> Self {
        Self {
            code: q.code.map(Into::into),
            state: q.state.into(),
            error: q.error.map(Into::into),
        }
    }
}

/// Where the callback sends the browser. After a grant:
/// `APP_BASE_URL/coach/integrations?calendly=authorized&code=<code>&state=<state>` (URL-encoded):
/// nothing is connected yet; the web application sends both to
/// `POST /integrations/calendly/callback` as the signed-in coach. Otherwise
/// `APP_BASE_URL/coach/integrations?calendly=error&code=<problem code>` with one of
/// `calendly_state_invalid` (forged or altered link, or no code), `calendly_state_expired` (older
/// than 10 minutes: start again), `calendly_access_denied` (declined on Calendly),
/// `calendly_not_configured`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CalendlyCallbackOutcome {
    Authorized,
    Error,
}

/// Completes a connection: the `code` and `state` the callback handed to the web application.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"code": "f04281d639d8248435378b0365de7bd1f53bf452eda187d5f1e07ae7f04546d6", "state": "v1.12.34.1767225600.q3bS0pX1n8m2YbV9kR7tQw.X2f1…"}))]
pub struct CompleteConnection {
    /// The authorization code of Calendly's redirect.
    pub code: Text<1, { calendly::MAX_CODE }>,
    /// The `state` of Calendly's redirect, as is.
    pub state: Text<1, { calendly::MAX_STATE }>,
}

/// The caller's Calendly account is connected.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CalendlyConnectionDto {
    /// The caller's coach profile.
    pub coach_id: i64,
    /// The Calendly user connected to it.
    pub calendly_user_uri: String,
    pub connected: bool,
}

impl From<calendly::Connected> for CalendlyConnectionDto {
    fn from(c: calendly::Connected) -> Self {
        Self {
            coach_id: c.coach_id,
            calendly_user_uri: c.calendly_user_uri,
            connected: true,
        }
    }
}

/// A Calendly webhook envelope (`invitee.created`, `invitee.canceled`), verified against its
/// `Calendly-Webhook-Signature` before it is read.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CalendlyEventBody {
    /// The event name.
    #[schema(pattern = r"^[a-z_]+\.[a-z_]+$", example = "invitee.created")]
    pub event: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// The Calendly user whose subscription delivers the event.
    #[schema(pattern = r"^https://")]
    pub created_by: String,
    /// The invitee: `uri`, `email`, `status`, `scheduled_event` (`uri`, `start_time`,
    /// `end_time`, `event_memberships`, `location`), and `cancellation` when cancelled.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

/// The delivery was accepted.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAckDto {
    /// `processed` now, or `duplicate`: processed before, nothing changed.
    #[schema(example = "processed")]
    pub status: String,
}

impl From<Outcome> for WebhookAckDto {
    fn from(outcome: Outcome) -> Self {
        Self {
            status: match outcome {
                Outcome::Processed => "processed".to_owned(),
                Outcome::Duplicate => "duplicate".to_owned(),
            },
        }
    }
}
