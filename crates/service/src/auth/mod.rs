//! Identity and credentials: password hashing and policy, access and refresh tokens, password
//! recovery and e-mail verification, API keys, and the request rate limiter.

pub mod actor;
pub mod api_keys;
pub mod cleanup;
pub mod credentials;
pub mod password;
pub mod policy;
pub mod rate_limit;
pub mod recovery;
pub mod sessions;
pub mod tokens;

use std::time::Duration;

use password::Passwords;
use tokens::JwtKeys;

crate::problems! {
    pub INVALID_CREDENTIALS: Unauthenticated = "invalid_credentials",
        "The e-mail address or password is incorrect.",
        "L'adresse courriel ou le mot de passe est incorrect.";
    pub EMAIL_TAKEN: Conflict = "email_taken",
        "An account already uses this e-mail address.",
        "Un compte utilise déjà cette adresse courriel.";
    pub ACCOUNT_SUSPENDED: Forbidden = "account_suspended",
        "This account is suspended.",
        "Ce compte est suspendu.";
    pub ACCOUNT_INACTIVE: Unauthenticated = "account_inactive",
        "This account is no longer active.",
        "Ce compte n'est plus actif.";
    pub INVALID_TOKEN: Unauthenticated = "invalid_token",
        "The access token is invalid.",
        "Le jeton d'accès est invalide.";
    pub TOKEN_EXPIRED: Unauthenticated = "token_expired",
        "The access token has expired; refresh it.",
        "Le jeton d'accès a expiré ; renouvelez-le.";
    pub INVALID_REFRESH_TOKEN: Unauthenticated = "invalid_refresh_token",
        "The refresh token is invalid or expired; sign in again.",
        "Le jeton de renouvellement est invalide ou expiré ; reconnectez-vous.";
    pub REFRESH_TOKEN_REUSED: Unauthenticated = "refresh_token_reused",
        "This refresh token was already used; every session of this sign-in was closed.",
        "Ce jeton de renouvellement a déjà servi ; toutes les sessions de cette connexion ont été fermées.";
    pub INVALID_API_KEY: Unauthenticated = "invalid_api_key",
        "The API key is invalid, expired or revoked.",
        "La clé d'API est invalide, expirée ou révoquée.";
    pub UNSUPPORTED_AUTHORIZATION_SCHEME: Unauthenticated = "unsupported_authorization_scheme",
        "Use Authorization: Bearer <token> or ApiKey <key>.",
        "Utilisez Authorization: Bearer <jeton> ou ApiKey <clé>.";
    pub INSUFFICIENT_SCOPE: Forbidden = "insufficient_scope",
        "The API key's scopes do not allow this.",
        "Les portées de la clé d'API ne permettent pas cette action.";
}

/// The credential machinery, built once at start-up.
#[derive(Clone, Debug)]
pub struct Auth {
    pub jwt: JwtKeys,
    pub passwords: Passwords,
    /// Lifetime of a refresh token.
    pub refresh_ttl: Duration,
}
