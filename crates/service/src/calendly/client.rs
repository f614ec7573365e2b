//! Calendly's HTTP API, as this service uses it: the OAuth token endpoint (code exchange,
//! refresh, revocation), the current user, and webhook subscriptions. Requests follow no
//! redirects and give up after 10 seconds; tokens travel as [`SecretString`]s and are never logged.

use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::{Error, Result};

/// The Calendly OAuth application and API locations.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    client_id: String,
    client_secret: SecretString,
    /// `https://api.calendly.com` (`CALENDLY_API_BASE`).
    api_base: String,
    /// `https://auth.calendly.com` (`CALENDLY_AUTH_BASE`).
    auth_base: String,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("calendly::Client")
            .field("client_id", &self.client_id)
            .field("api_base", &self.api_base)
            .field("auth_base", &self.auth_base)
            .finish_non_exhaustive()
    }
}

/// A token pair as the token endpoint hands it out.
pub struct Tokens {
    pub access_token: SecretString,
    pub refresh_token: Option<SecretString>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// The connected Calendly user.
#[derive(Debug, Clone)]
pub struct User {
    pub uri: String,
    pub organization: String,
}

/// How a call to Calendly failed.
#[derive(Debug)]
pub enum Failure {
    /// Calendly refused the grant or the token (400 `invalid_grant`, 401): the connection must
    /// be made again.
    Refused(String),
    /// The resource does not exist (404).
    Gone,
    /// The resource exists already (409).
    Exists,
    /// Calendly could not be reached or failed (network, 5xx, unexpected answer).
    Unavailable(String),
}

impl From<Failure> for Error {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Refused(why) => {
                tracing::info!(%why, "Calendly refused the authorization");
                super::AUTHORIZATION_REFUSED.into()
            }
            Failure::Gone => Error::Dependency {
                dependency: "calendly",
                message: "not found".to_owned(),
            },
            Failure::Exists => Error::Dependency {
                dependency: "calendly",
                message: "already exists".to_owned(),
            },
            Failure::Unavailable(message) => Error::Dependency {
                dependency: "calendly",
                message,
            },
        }
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: Option<i64>,
}

#[derive(Deserialize)]
struct Resource<T> {
    resource: T,
}

#[derive(Deserialize)]
struct UserAnswer {
    uri: String,
    current_organization: String,
}

#[derive(Deserialize)]
struct SubscriptionAnswer {
    uri: String,
    #[serde(default)]
    callback_url: Option<String>,
}

#[derive(Deserialize)]
struct Collection<T> {
    collection: Vec<T>,
}

impl Client {
    /// A client of the OAuth application `client_id` talking to `api_base` and `auth_base`.
    pub fn new(
        client_id: String,
        client_secret: SecretString,
        api_base: &str,
        auth_base: &str,
    ) -> Result<Self> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| Error::Internal(format!("calendly client: {e}")))?;
        Ok(Self {
            http,
            client_id,
            client_secret,
            api_base: api_base.trim_end_matches('/').to_owned(),
            auth_base: auth_base.trim_end_matches('/').to_owned(),
        })
    }

    /// The OAuth application's client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Where the browser is sent to grant access (`state` comes back to the callback).
    pub fn authorize_url(&self, redirect_uri: &str, state: &str) -> Result<String> {
        let url = reqwest::Url::parse_with_params(
            &format!("{}/oauth/authorize", self.auth_base),
            &[
                ("client_id", self.client_id.as_str()),
                ("response_type", "code"),
                ("redirect_uri", redirect_uri),
                ("state", state),
            ],
        )
        .map_err(|e| Error::Internal(format!("CALENDLY_AUTH_BASE: {e}")))?;
        Ok(url.into())
    }

    async fn token(&self, form: &[(&str, &str)]) -> Result<Tokens, Failure> {
        let mut form = form.to_vec();
        form.push(("client_id", &self.client_id));
        form.push(("client_secret", self.client_secret.expose_secret()));
        let response = self
            .http
            .post(format!("{}/oauth/token", self.auth_base))
            .form(&form)
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status();
        if status.is_client_error() {
            return Err(Failure::Refused(format!(
                "token endpoint answered {status}"
            )));
        }
        let answer: TokenAnswer = json_of(response).await?;
        Ok(Tokens {
            access_token: answer.access_token.into(),
            refresh_token: answer.refresh_token.map(Into::into),
            expires_at: answer
                .expires_in
                .map(|s| crate::now() + chrono::Duration::seconds(s)),
        })
    }

    /// Exchanges an authorization code for tokens.
    pub async fn exchange_code(&self, code: &str, redirect_uri: &str) -> Result<Tokens, Failure> {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
        ])
        .await
    }

    /// A new token pair for a refresh token (Calendly rotates the refresh token).
    pub async fn refresh(&self, refresh_token: &SecretString) -> Result<Tokens, Failure> {
        self.token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose_secret()),
        ])
        .await
    }

    /// Revokes a token (404 or 400 for one already revoked counts as done).
    pub async fn revoke(&self, token: &SecretString) -> Result<(), Failure> {
        let response = self
            .http
            .post(format!("{}/oauth/revoke", self.auth_base))
            .form(&[
                ("client_id", self.client_id.as_str()),
                ("client_secret", self.client_secret.expose_secret()),
                ("token", token.expose_secret()),
            ])
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status();
        if status.is_success() || status.is_client_error() {
            Ok(())
        } else {
            Err(Failure::Unavailable(format!("revoke answered {status}")))
        }
    }

    /// The user the token belongs to.
    pub async fn current_user(&self, token: &SecretString) -> Result<User, Failure> {
        let response = self
            .http
            .get(format!("{}/users/me", self.api_base))
            .bearer_auth(token.expose_secret())
            .send()
            .await
            .map_err(unreachable)?;
        let answer: Resource<UserAnswer> = checked(response).await?;
        Ok(User {
            uri: answer.resource.uri,
            organization: answer.resource.current_organization,
        })
    }

    /// Subscribes `callback_url` to the user's `invitee.created` and `invitee.canceled` events,
    /// signed with `signing_key`; returns the subscription's URI. One that exists already for this
    /// URL and user (a reconnection) is found and returned.
    pub async fn subscribe(
        &self,
        token: &SecretString,
        user: &User,
        callback_url: &str,
        signing_key: &SecretString,
    ) -> Result<String, Failure> {
        let response = self
            .http
            .post(format!("{}/webhook_subscriptions", self.api_base))
            .bearer_auth(token.expose_secret())
            .json(&serde_json::json!({
                "url": callback_url,
                "events": ["invitee.created", "invitee.canceled"],
                "organization": user.organization,
                "user": user.uri,
                "scope": "user",
                "signing_key": signing_key.expose_secret(),
            }))
            .send()
            .await
            .map_err(unreachable)?;
        match checked::<Resource<SubscriptionAnswer>>(response).await {
            Ok(answer) => Ok(answer.resource.uri),
            Err(Failure::Exists) => {
                let response = self
                    .http
                    .get(format!("{}/webhook_subscriptions", self.api_base))
                    .query(&[
                        ("organization", user.organization.as_str()),
                        ("user", user.uri.as_str()),
                        ("scope", "user"),
                    ])
                    .bearer_auth(token.expose_secret())
                    .send()
                    .await
                    .map_err(unreachable)?;
                let list: Collection<SubscriptionAnswer> = checked(response).await?;
                list.collection
                    .into_iter()
                    .find(|s| s.callback_url.as_deref() == Some(callback_url))
                    .map(|s| s.uri)
                    .ok_or(Failure::Exists)
            }
            Err(other) => Err(other),
        }
    }

    /// Deletes a webhook subscription (one already gone counts as deleted). Only its id is taken
    /// from the stored URI: the request always goes to the configured API.
    pub async fn unsubscribe(
        &self,
        token: &SecretString,
        subscription_uri: &str,
    ) -> Result<(), Failure> {
        let id = subscription_uri
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .filter(|id| {
                !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            })
            .ok_or_else(|| Failure::Unavailable("malformed subscription URI".to_owned()))?;
        let response = self
            .http
            .delete(format!("{}/webhook_subscriptions/{id}", self.api_base))
            .bearer_auth(token.expose_secret())
            .send()
            .await
            .map_err(unreachable)?;
        match response.status() {
            s if s.is_success() => Ok(()),
            reqwest::StatusCode::NOT_FOUND => Ok(()),
            reqwest::StatusCode::UNAUTHORIZED => Err(Failure::Refused("token refused".to_owned())),
            s => Err(Failure::Unavailable(format!("unsubscribe answered {s}"))),
        }
    }
}

fn unreachable(err: reqwest::Error) -> Failure {
    // Without the URL: it may carry query parameters.
    Failure::Unavailable(err.without_url().to_string())
}

async fn json_of<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, Failure> {
    let status = response.status();
    if !status.is_success() {
        return Err(Failure::Unavailable(format!("answered {status}")));
    }
    response
        .json()
        .await
        .map_err(|e| Failure::Unavailable(format!("unexpected answer: {}", e.without_url())))
}

async fn checked<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, Failure> {
    match response.status() {
        reqwest::StatusCode::UNAUTHORIZED | reqwest::StatusCode::FORBIDDEN => {
            Err(Failure::Refused(format!("answered {}", response.status())))
        }
        reqwest::StatusCode::NOT_FOUND => Err(Failure::Gone),
        reqwest::StatusCode::CONFLICT => Err(Failure::Exists),
        _ => json_of(response).await,
    }
}
