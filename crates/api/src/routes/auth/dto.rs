//! Request and response types of the auth domain: sessions, password recovery and API keys.

use chrono::{DateTime, Utc};
use entity::auth::api_keys;
use entity::enums::Language;
use serde::{Deserialize, Serialize};
use service::auth::actor::SCOPES;
use service::auth::api_keys::{CreatedKey, MAX_NAME as MAX_KEY_NAME, NewKey};
use service::auth::policy;
use service::auth::sessions::{Registration, Session};
use utoipa::ToSchema;
use validator::Validate;

use crate::bounded::{Instant, List, Text, checked_text, one_of};
use crate::dto::UserDto;

checked_text! {
    /// A plain e-mail address (`local@domain.tld`, no display name, no quoted local part);
    /// lower-cased when stored.
    Email: 3, policy::MAX_EMAIL,
    check = policy::is_plain_address,
    pattern = policy::EMAIL_PATTERN,
    format = Some(utoipa::openapi::schema::KnownFormat::Email),
    code = "invalid_email",
    message = "must be a plain e-mail address such as marie.tremblay@canada.ca"
}
/// A new password (the service also refuses common ones).
pub type Password = Text<{ policy::MIN_PASSWORD }, { policy::MAX_PASSWORD }>;
checked_text! {
    /// A first or last name: not blank, no control characters.
    PersonName: 1, policy::MAX_NAME,
    check = |name| !name.chars().any(char::is_control),
    pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$",
    format = None,
    code = "invalid_name",
    message = "must not be blank nor hold control characters"
}
/// An opaque token from a mail or a sign-in.
pub type Token = Text<1, 256>;

one_of! {
    /// One scope an API key can be given.
    Scope = SCOPES
}

// ---------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------

/// A new account. Everyone registers as a learner: there is no role field.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"email": "marie.tremblay@canada.ca", "password": "Oral-Interaction-B-2027", "firstName": "Marie", "lastName": "Tremblay", "language": "fr"}))]
pub struct RegisterRequest {
    pub email: Email,
    /// Not a common password.
    pub password: Password,
    pub first_name: PersonName,
    pub last_name: PersonName,
    /// Language of the interface and e-mails (default `en`).
    pub language: Option<Language>,
}

impl From<RegisterRequest> for Registration {
    fn from(r: RegisterRequest) -> Self {
        Self {
            email: r.email.into(),
            password: r.password.into(),
            first_name: r.first_name.into(),
            last_name: r.last_name.into(),
            language: r.language,
        }
    }
}

/// Credentials.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"email": "marie.tremblay@canada.ca", "password": "Oral-Interaction-B-2027"}))]
pub struct LoginRequest {
    pub email: Text<1, { policy::MAX_EMAIL }>,
    pub password: Text<1, { policy::MAX_PASSWORD }>,
}

/// A refresh token.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"refreshToken": "rt_4Jx9Qw2LmZ8vT1sR6yB3nK7pD0cF5hG"}))]
pub struct RefreshRequest {
    pub refresh_token: Token,
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

// ---------------------------------------------------------------------------------------------
// Recovery
// ---------------------------------------------------------------------------------------------

/// An e-mail address to send a reset link to.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"email": "marie.tremblay@canada.ca"}))]
pub struct PasswordResetRequest {
    pub email: Email,
}

/// The token from the e-mail and the new password.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"token": "Yb7c2e0a42f1d4c559a8e0d8f6b2a1c11", "newPassword": "Written-Expression-C-2027"}))]
pub struct PasswordResetConfirm {
    pub token: Token,
    /// Not a common password.
    pub new_password: Password,
}

/// The token from the verification e-mail.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"token": "Yb7c2e0a42f1d4c559a8e0d8f6b2a1c11"}))]
pub struct VerifyEmailRequest {
    pub token: Token,
}

// ---------------------------------------------------------------------------------------------
// API keys
// ---------------------------------------------------------------------------------------------

/// A key to create.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"name": "HR reporting export", "scopes": ["users:read"], "expiresAt": "2027-06-30T23:59:59Z"}))]
pub struct CreateApiKey {
    pub name: Text<1, { MAX_KEY_NAME }>,
    /// What the key may do.
    pub scopes: List<Scope, 1, { SCOPES.len() }>,
    /// When the key stops working (in the future); never when omitted.
    pub expires_at: Option<Instant>,
}

impl From<CreateApiKey> for NewKey {
    fn from(r: CreateApiKey) -> Self {
        Self {
            name: r.name.into(),
            scopes: r.scopes.into_inner().into_iter().map(|s| s.0).collect(),
            expires_at: r.expires_at.map(Into::into),
        }
    }
}

/// A key, without its secret.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyDto {
    pub id: i64,
    pub name: String,
    /// Visible start of the key, to recognise it.
    #[schema(example = "ra_3f9a1c07d2")]
    pub key_prefix: String,
    pub scopes: Vec<String>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<api_keys::Model> for ApiKeyDto {
    fn from(k: api_keys::Model) -> Self {
        Self {
            id: k.id,
            name: k.name,
            key_prefix: k.key_prefix,
            scopes: serde_json::from_value(k.scopes).unwrap_or_default(),
            last_used_at: k.last_used_at,
            expires_at: k.expires_at,
            revoked_at: k.revoked_at,
            created_at: k.created_at,
        }
    }
}

/// A new key with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedApiKeyDto {
    #[serde(flatten)]
    pub api_key: ApiKeyDto,
    /// The key: send it as `Authorization: ApiKey <key>`. It cannot be shown again.
    pub key: String,
}

impl From<CreatedKey> for CreatedApiKeyDto {
    fn from(created: CreatedKey) -> Self {
        Self {
            api_key: created.key.into(),
            key: created.secret,
        }
    }
}
