//! [`Deps`]: the external clients and settings that domains need beyond the database, built once
//! at start-up and handed to service functions and job handlers as one bundle.

use crate::auth::Auth;
use crate::certificates::Signer;
use crate::mail::Mailer;
use crate::notifications::push::Push;
use crate::realtime::Hub;

/// External clients and settings, cheap to clone (each client is reference-counted inside).
#[derive(Clone, Debug)]
pub struct Deps {
    /// Password hashing and token keys.
    pub auth: Auth,
    /// Outgoing mail (SMTP or the `.eml` outbox).
    pub mailer: Mailer,
    /// Signs completion certificates.
    pub signer: Signer,
    /// Sends Web Push messages (VAPID key, HTTP client).
    pub push: Push,
    /// The real-time streams open on this instance; service functions wake them after commit.
    pub realtime: Hub,
    /// External URL of the API, used in certificate links.
    pub public_base_url: String,
    /// The web application's URL: e-mailed links open its pages (`/verify-email`,
    /// `/reset-password`), which post the token to the API.
    pub app_base_url: String,
    /// The Calendly integration, when it is configured (`CALENDLY_CLIENT_ID` and
    /// `CALENDLY_CLIENT_SECRET`); its routes answer 503 `calendly_not_configured` otherwise.
    pub calendly: Option<crate::calendly::Calendly>,
    /// The Stripe gateway, when `STRIPE_SECRET_KEY` is set; the payment routes answer 503
    /// `payments_unavailable` otherwise.
    pub payments: Option<crate::payments::Gateway>,
}
