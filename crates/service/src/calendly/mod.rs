//! Calendly: a coach connects their Calendly account (OAuth), and the bookings learners make on
//! Calendly become confirmed coaching sessions (webhooks).
//!
//! Rules:
//! - Only a person with a `coachProfiles` row connects (`calendly_coach_required`), for that
//!   profile. The OAuth `state` is signed (HMAC-SHA256 under a key derived from the encryption
//!   key), names the coach profile and the user, and expires after [`STATE_TTL`] ([`state`]).
//! - Completing is bound to the signed-in user: Calendly's redirect ([`check_callback`]) only
//!   checks the state's signature and expiry and hands the code back to the web application;
//!   the code is exchanged by [`complete`], called by the signed-in person whose user id the
//!   state names (anyone else, or a state whose profile is no longer that active user's, is
//!   refused as `calendly_state_invalid` before anything is sent to Calendly). So a coach who
//!   sends their authorize link to someone else cannot connect that person's Calendly account.
//! - Tokens are stored AES-256-GCM encrypted ([`crate::crypto`]), bound to their row and column
//!   (`coachCalendlyIntegrations:<coachId>:access|refresh`); the plaintext exists only in memory.
//!   A token is refreshed under the integration's row lock ([`access_token`]): concurrent callers
//!   for one coach refresh once and all get the new token.
//! - A Calendly account is connected to one coach at a time (unique `calendlyUserUri`,
//!   `calendly_account_in_use`).
//! - Disconnecting ([`disconnect`], [`erase`]) deletes the row and queues, in the same
//!   transaction, [`Disconnected`]: the job deletes the webhook subscription and revokes the
//!   tokens at Calendly.
//! - Webhooks ([`webhook`]) are verified (`Calendly-Webhook-Signature`, 300 s tolerance) before
//!   anything else, recorded once in the ledger ([`crate::webhooks`]), and processed once:
//!   `invitee.created` books a confirmed session for the coach whose Calendly user hosts the event
//!   and the active learner whose **verified** e-mail is the invitee's; `invitee.canceled` cancels
//!   it. Both lock the host coach's profile row before reading, so a creation and a cancellation
//!   of one invitee are serialised. An unknown coach or learner is recorded as processed with a
//!   note, not failed.

pub mod client;
pub mod state;
pub mod webhook;

use std::time::Duration;

use entity::calendly::coach_calendly_integrations as integrations;
use entity::coaching::coach_profiles;
use entity::enums::UserStatus;
use entity::users::users;
use sea_orm::TransactionSession as _;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    Set,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

pub use client::Client;

use crate::auth::actor::Actor;
use crate::crypto::Cipher;
use crate::db::{self, Db};
use crate::jobs::{self, Context, Job};
use crate::problem::NOT_FOUND;
use crate::{Error, Result};

/// How long an OAuth `state` (the authorize URL) stays valid.
pub const STATE_TTL: Duration = Duration::from_secs(10 * 60);
/// A token expiring sooner than this is refreshed before use.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// Longest authorization code accepted at the callback.
pub const MAX_CODE: usize = 512;
/// Longest `state` accepted at the callback.
pub const MAX_STATE: usize = 512;
/// Longest OAuth `error` accepted at the callback.
pub const MAX_ERROR: usize = 128;
/// Where the callback sends the browser back to, under `APP_BASE_URL`.
pub const RETURN_PATH: &str = "/coach/integrations";
/// The callback's path under the public URL (the OAuth `redirect_uri`).
pub const CALLBACK_PATH: &str = "/api/v1/integrations/calendly/callback";
/// The webhook's path under the public URL.
pub const WEBHOOK_PATH: &str = "/api/v1/webhooks/calendly";

crate::problems! {
    /// Calendly settings (`CALENDLY_CLIENT_ID`, `CALENDLY_CLIENT_SECRET`) are missing.
    pub NOT_CONFIGURED: Unavailable = "calendly_not_configured",
        "The Calendly integration is not configured on this server.",
        "L'intégration Calendly n'est pas configurée sur ce serveur.";
    pub COACH_REQUIRED: Forbidden = "calendly_coach_required",
        "Only coaches can connect a Calendly account.",
        "Seuls les coachs peuvent connecter un compte Calendly.";
    pub STATE_INVALID: BadRequest = "calendly_state_invalid",
        "The Calendly connection request is invalid; start again from the application.",
        "La demande de connexion à Calendly est invalide ; recommencez depuis l'application.";
    pub STATE_EXPIRED: BadRequest = "calendly_state_expired",
        "The Calendly connection request expired; start again from the application.",
        "La demande de connexion à Calendly a expiré ; recommencez depuis l'application.";
    /// The coach declined access on Calendly's page.
    pub ACCESS_DENIED: BadRequest = "calendly_access_denied",
        "Access to the Calendly account was not granted.",
        "L'accès au compte Calendly n'a pas été accordé.";
    /// Calendly refused the code or the token (used, expired or revoked).
    pub AUTHORIZATION_REFUSED: BadRequest = "calendly_authorization_refused",
        "Calendly refused the authorization; connect the account again.",
        "Calendly a refusé l'autorisation ; connectez le compte de nouveau.";
    pub ACCOUNT_IN_USE: Conflict = "calendly_account_in_use",
        "This Calendly account is already connected to another coach.",
        "Ce compte Calendly est déjà connecté à un autre coach.";
}

/// How to reach Calendly, from the settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub client_id: String,
    pub client_secret: SecretString,
    /// `CALENDLY_API_BASE` (default `https://api.calendly.com`).
    pub api_base: String,
    /// `CALENDLY_AUTH_BASE` (default `https://auth.calendly.com`).
    pub auth_base: String,
    /// `CALENDLY_WEBHOOK_SIGNING_KEY`; when absent, one derived from the encryption key.
    pub webhook_signing_key: Option<SecretString>,
    /// `PUBLIC_BASE_URL`: the callback and the webhook are under it.
    pub public_base_url: String,
}

/// The configured integration: the client, the cipher of the tokens, and the keys of the
/// `state` and of webhook signatures. `Debug` shows no secret.
#[derive(Clone)]
pub struct Calendly {
    pub client: Client,
    cipher: Cipher,
    state_key: [u8; 32],
    webhook_signing_key: SecretString,
    redirect_uri: String,
    webhook_url: String,
}

impl std::fmt::Debug for Calendly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Calendly")
            .field("client", &self.client)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl Calendly {
    /// The integration from its settings and the cipher of the tokens.
    pub fn new(settings: Settings, cipher: Cipher) -> Result<Self> {
        let client = Client::new(
            settings.client_id,
            settings.client_secret,
            &settings.api_base,
            &settings.auth_base,
        )?;
        let webhook_signing_key = settings
            .webhook_signing_key
            .unwrap_or_else(|| hex::encode(cipher.derive("calendly.webhook-signing-key")).into());
        let base = settings.public_base_url.trim_end_matches('/');
        Ok(Self {
            client,
            state_key: cipher.derive("calendly.oauth-state"),
            cipher,
            webhook_signing_key,
            redirect_uri: format!("{base}{CALLBACK_PATH}"),
            webhook_url: format!("{base}{WEBHOOK_PATH}"),
        })
    }

    /// The key Calendly signs webhooks with (sent when subscribing).
    pub fn webhook_signing_key(&self) -> &SecretString {
        &self.webhook_signing_key
    }

    /// The cipher of the stored tokens.
    pub fn cipher(&self) -> &Cipher {
        &self.cipher
    }
}

/// The associated data of a stored token: its table, row (coach) and column.
pub fn token_aad(coach_id: i64, column: &str) -> String {
    format!("coachCalendlyIntegrations:{coach_id}:{column}")
}

/// The configured integration, or `calendly_not_configured` (503).
pub fn configured(calendly: Option<&Calendly>) -> Result<&Calendly> {
    calendly.ok_or(NOT_CONFIGURED.into())
}

/// The coach profile of the caller (a signed-in person, not an API key), or
/// `calendly_coach_required`.
async fn own_profile(db: &impl ConnectionTrait, actor: &Actor) -> Result<coach_profiles::Model> {
    actor.require_session()?;
    // A coach demoted by an administrator no longer connects anything as a coach.
    if !crate::coaching::coaches(actor.role) {
        return Err(COACH_REQUIRED.into());
    }
    coach_profiles::Entity::find()
        .filter(coach_profiles::Column::UserId.eq(actor.user_id))
        .one(db)
        .await?
        .ok_or(COACH_REQUIRED.into())
}

/// Where the coach's browser goes to grant access: Calendly's authorize page with a signed
/// `state` for the caller's coach profile, valid [`STATE_TTL`]. Returns the URL and its expiry.
pub async fn authorize(
    db: &impl ConnectionTrait,
    calendly: Option<&Calendly>,
    actor: &Actor,
) -> Result<(String, chrono::DateTime<chrono::Utc>)> {
    let profile = own_profile(db, actor).await?;
    let calendly = configured(calendly)?;
    let now = crate::now();
    let (state, expires_at) = state::sign(&calendly.state_key, profile.id, actor.user_id, now);
    let url = calendly
        .client
        .authorize_url(&calendly.redirect_uri, &state)?;
    Ok((url, expires_at))
}

/// What Calendly's redirect brings back to the callback.
#[derive(Debug, Clone)]
pub struct Callback {
    pub code: Option<String>,
    pub state: String,
    /// Set when the coach declined (`access_denied`) or Calendly failed.
    pub error: Option<String>,
}

/// Checks Calendly's redirect, without the database and without exchanging anything: the
/// state's signature and expiry, a declined grant (`calendly_access_denied`), a code present.
/// The browser then brings the code and the state to the web application, which completes the
/// connection as the signed-in coach ([`complete`]).
pub fn check_callback(calendly: Option<&Calendly>, callback: &Callback) -> Result<()> {
    let calendly = configured(calendly)?;
    state::verify(&calendly.state_key, &callback.state, crate::now())?;
    if callback.error.is_some() {
        return Err(ACCESS_DENIED.into());
    }
    if callback.code.is_none() {
        return Err(STATE_INVALID.into());
    }
    Ok(())
}

/// A completed connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connected {
    /// `coachProfiles.id`.
    pub coach_id: i64,
    /// The Calendly user now connected.
    pub calendly_user_uri: String,
}

/// Completes a connection as the signed-in `actor` (not an API key): checks the `state`
/// (signature, expiry, **its user is the caller**, the coach profile still that active user's),
/// exchanges the code, reads the Calendly user, subscribes the webhook, and stores the
/// integration with its tokens encrypted (replacing an earlier one of the coach, whose clean-up
/// is queued). A state of someone else is `calendly_state_invalid`, and nothing is sent to
/// Calendly.
pub async fn complete(
    db: &impl Db,
    calendly: Option<&Calendly>,
    actor: &Actor,
    code: &str,
    state: &str,
) -> Result<Connected> {
    actor.require_session()?;
    let calendly = configured(calendly)?;
    let now = crate::now();
    let claims = state::verify(&calendly.state_key, state, now)?;
    if claims.user_id != actor.user_id || !bound(db, &claims).await? {
        return Err(STATE_INVALID.into());
    }
    if code.is_empty() {
        return Err(STATE_INVALID.into());
    }

    let tokens = calendly
        .client
        .exchange_code(code, &calendly.redirect_uri)
        .await?;
    let refresh_token = tokens.refresh_token.ok_or_else(|| Error::Dependency {
        dependency: "calendly",
        message: "no refresh token in the token answer".to_owned(),
    })?;
    let user = calendly.client.current_user(&tokens.access_token).await?;
    let taken = integrations::Entity::find()
        .filter(integrations::Column::CalendlyUserUri.eq(user.uri.as_str()))
        .filter(integrations::Column::CoachId.ne(claims.coach_id))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(ACCOUNT_IN_USE.into());
    }
    let subscription = calendly
        .client
        .subscribe(
            &tokens.access_token,
            &user,
            &calendly.webhook_url,
            &calendly.webhook_signing_key,
        )
        .await?;

    let coach_id = claims.coach_id;
    let access = calendly.cipher.encrypt(
        tokens.access_token.expose_secret(),
        &token_aad(coach_id, "access"),
    )?;
    let refresh = calendly.cipher.encrypt(
        refresh_token.expose_secret(),
        &token_aad(coach_id, "refresh"),
    )?;
    db::retrying(|| async {
        let tx = db::begin(db).await?;
        db::lock::<coach_profiles::Entity>(&tx, coach_profiles::Column::Id, coach_id).await?;
        if !bound(&tx, &claims).await? {
            return Err(STATE_INVALID.into());
        }
        let now = crate::now();
        let existing = integrations::Entity::find()
            .filter(integrations::Column::CoachId.eq(coach_id))
            .one(&tx)
            .await?;
        let saved = match existing {
            Some(old) => {
                jobs::enqueue(&tx, &Disconnected::of(&old, Some(subscription.as_str()))).await?;
                let mut row: integrations::ActiveModel = old.into();
                row.access_token = Set(access.clone().into());
                row.refresh_token = Set(refresh.clone().into());
                row.token_expires_at = Set(tokens.expires_at);
                row.calendly_user_uri = Set(Some(user.uri.clone()));
                row.webhook_subscription_uri = Set(Some(subscription.clone()));
                row.active = Set(true);
                row.updated_at = Set(now);
                row.update(&tx).await
            }
            None => {
                integrations::ActiveModel {
                    id: NotSet,
                    coach_id: Set(coach_id),
                    access_token: Set(access.clone().into()),
                    refresh_token: Set(refresh.clone().into()),
                    token_expires_at: Set(tokens.expires_at),
                    calendly_user_uri: Set(Some(user.uri.clone())),
                    event_type_uri: Set(None),
                    webhook_subscription_uri: Set(Some(subscription.clone())),
                    active: Set(true),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(&tx)
                .await
            }
        };
        match saved {
            Ok(_) => {}
            // Another coach took the account meanwhile, or a concurrent callback of this coach
            // inserted first (retried: it updates then).
            Err(err) if Error::is_unique_violation(&err) => {
                let other = integrations::Entity::find()
                    .filter(integrations::Column::CalendlyUserUri.eq(user.uri.as_str()))
                    .filter(integrations::Column::CoachId.ne(coach_id))
                    .one(&tx)
                    .await?;
                return Err(if other.is_some() {
                    ACCOUNT_IN_USE.into()
                } else {
                    Error::Busy(err.to_string())
                });
            }
            Err(err) => return Err(err.into()),
        }
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(Connected {
        coach_id,
        calendly_user_uri: user.uri,
    })
}

/// Whether the state's coach profile still belongs to its user, and that user is active.
async fn bound(db: &impl ConnectionTrait, claims: &state::Claims) -> Result<bool> {
    let profile = coach_profiles::Entity::find_by_id(claims.coach_id)
        .one(db)
        .await?
        .filter(|p| p.user_id == claims.user_id);
    let active = users::Entity::find_by_id(claims.user_id)
        .filter(users::Column::Status.eq(UserStatus::Active))
        .one(db)
        .await?
        .is_some();
    Ok(profile.is_some() && active)
}

/// The caller disconnects their Calendly account: the integration is deleted and the clean-up at
/// Calendly queued, atomically. 404 when none is connected.
pub async fn disconnect(db: &impl Db, actor: &Actor) -> Result<()> {
    let profile = own_profile(db, actor).await?;
    db::retrying(|| async {
        let tx = db::begin(db).await?;
        db::lock::<coach_profiles::Entity>(&tx, coach_profiles::Column::Id, profile.id).await?;
        if !remove(&tx, profile.id).await? {
            return Err(NOT_FOUND.into());
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Removes the coach profile's Calendly integration, if any, and queues its clean-up at
/// Calendly ([`Disconnected`]), on the caller's transaction (account erasure composes it).
pub async fn erase(db: &impl ConnectionTrait, coach_profile_id: i64) -> Result<()> {
    remove(db, coach_profile_id).await.map(|_| ())
}

/// [`erase`], saying whether there was an integration.
async fn remove(db: &impl ConnectionTrait, coach_profile_id: i64) -> Result<bool> {
    let Some(row) = integrations::Entity::find()
        .filter(integrations::Column::CoachId.eq(coach_profile_id))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    let deleted = integrations::Entity::delete_by_id(row.id).exec(db).await?;
    if deleted.rows_affected == 1 {
        jobs::enqueue(db, &Disconnected::of(&row, None)).await?;
    }
    Ok(deleted.rows_affected == 1)
}

/// A valid access token of the coach's integration: refreshed first when it expires within
/// [`REFRESH_MARGIN`]. Runs under the integration's row lock (its own transaction), so concurrent
/// callers for one coach refresh once: the others wait, then read the new token.
pub async fn access_token(
    db: &impl Db,
    calendly: &Calendly,
    coach_id: i64,
) -> Result<SecretString> {
    db::retrying(|| async {
        let tx = db::begin(db).await?;
        db::lock::<integrations::Entity>(&tx, integrations::Column::CoachId, coach_id).await?;
        let row = integrations::Entity::find()
            .filter(integrations::Column::CoachId.eq(coach_id))
            .one(&tx)
            .await?
            .ok_or(NOT_FOUND)?;
        let margin = chrono::Duration::from_std(REFRESH_MARGIN).unwrap_or_default();
        let fresh = row
            .token_expires_at
            .is_none_or(|at| at > crate::now() + margin);
        let cipher = &calendly.cipher;
        if fresh {
            return cipher.decrypt(row.access_token.expose(), &token_aad(coach_id, "access"));
        }
        let refresh_token =
            cipher.decrypt(row.refresh_token.expose(), &token_aad(coach_id, "refresh"))?;
        let tokens = calendly.client.refresh(&refresh_token).await?;
        let refresh_token = tokens.refresh_token.unwrap_or(refresh_token);
        let mut update: integrations::ActiveModel = row.into();
        update.access_token = Set(cipher
            .encrypt(
                tokens.access_token.expose_secret(),
                &token_aad(coach_id, "access"),
            )?
            .into());
        update.refresh_token = Set(cipher
            .encrypt(
                refresh_token.expose_secret(),
                &token_aad(coach_id, "refresh"),
            )?
            .into());
        update.token_expires_at = Set(tokens.expires_at);
        update.updated_at = Set(crate::now());
        update.update(&tx).await?;
        tx.commit().await?;
        Ok(tokens.access_token)
    })
    .await
}

/// Clean-up at Calendly of an integration that was removed or replaced: deletes its webhook
/// subscription (unless the new connection reuses it) and revokes its tokens. The payload holds
/// the tokens as they were stored (encrypted, bound to the coach's row), never in plaintext.
#[derive(Debug, Serialize, Deserialize)]
pub struct Disconnected {
    pub coach_id: i64,
    pub access_token: String,
    pub refresh_token: String,
    pub webhook_subscription_uri: Option<String>,
}

impl Disconnected {
    fn of(row: &integrations::Model, kept_subscription: Option<&str>) -> Self {
        Self {
            coach_id: row.coach_id,
            access_token: row.access_token.expose().to_owned(),
            refresh_token: row.refresh_token.expose().to_owned(),
            webhook_subscription_uri: row
                .webhook_subscription_uri
                .clone()
                .filter(|uri| Some(uri.as_str()) != kept_subscription),
        }
    }
}

impl Job for Disconnected {
    const KIND: &'static str = "calendly.disconnected";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let calendly = configured(ctx.deps.calendly.as_ref())?;
        let cipher = &calendly.cipher;
        let mut access = cipher.decrypt(&self.access_token, &token_aad(self.coach_id, "access"))?;
        let mut refresh =
            cipher.decrypt(&self.refresh_token, &token_aad(self.coach_id, "refresh"))?;
        if let Some(uri) = &self.webhook_subscription_uri {
            match calendly.client.unsubscribe(&access, uri).await {
                Ok(()) => {}
                // The access token expired: a fresh one for the deletion.
                Err(client::Failure::Refused(_)) => match calendly.client.refresh(&refresh).await {
                    Ok(tokens) => {
                        access = tokens.access_token;
                        if let Some(rotated) = tokens.refresh_token {
                            refresh = rotated;
                        }
                        calendly.client.unsubscribe(&access, uri).await?;
                    }
                    Err(client::Failure::Refused(_)) => {
                        // The grant is gone (revoked by the coach, or by an earlier run): Calendly
                        // stops delivering to a subscription whose grant is revoked.
                        tracing::info!(coach_id = self.coach_id, "Calendly grant already revoked");
                        return Ok(());
                    }
                    Err(other) => return Err(other.into()),
                },
                Err(other) => return Err(other.into()),
            }
        }
        calendly.client.revoke(&access).await?;
        calendly.client.revoke(&refresh).await?;
        Ok(())
    }
}

crate::register_job!(Disconnected);
