//! Web Push: the server's VAPID key, the caller's subscriptions, and delivery to push services
//! (RFC 8030 requests, RFC 8291 `aes128gcm` payloads, RFC 8292 VAPID, via the `webpush` crate).

use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use entity::notifications::push_subscriptions;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use crate::auth::actor::Actor;
use crate::jobs::{Context, Job};
use crate::problem::NOT_FOUND;
use crate::{Error, Result};

/// Longest endpoint URL (the column's length).
pub const MAX_ENDPOINT: usize = 512;
/// Longest `p256dh` key (base64url of 65 bytes is 87 characters; padding tolerated).
pub const MAX_P256DH: usize = 100;
/// Longest `auth` secret (base64url of 16 bytes is 22 characters; padding tolerated).
pub const MAX_AUTH: usize = 32;
/// Subscriptions one account keeps (its devices and browsers); a new one beyond drops the oldest.
pub const MAX_PER_USER: usize = 10;
/// Failed deliveries in a row after which a subscription is deactivated.
pub const MAX_FAILURES: i32 = 10;
/// Longest user agent kept.
pub const MAX_USER_AGENT: usize = 512;
/// File of the generated VAPID key in `DATA_DIR`.
const KEY_FILE: &str = "vapid-private-key";
/// How long a push service keeps an undelivered message (seconds).
const TTL_SECONDS: u32 = 24 * 3600;

/// Sends Web Push messages: the VAPID key, its contact, and an HTTP client that follows no
/// redirects and gives up after 10 seconds.
#[derive(Clone, Debug)]
pub struct Push {
    vapid: webpush::VapidKey,
    subject: String,
    http: reqwest::Client,
    /// `PUSH_ALLOW_LOCAL_ENDPOINTS` (off by default, for tests and local development):
    /// `http://` endpoints and addresses on this machine or network are accepted.
    allow_local_endpoints: bool,
}

impl Push {
    /// The key from `configured` (`VAPID_PRIVATE_KEY`, base64url of the P-256 scalar), else the
    /// one generated earlier into `data_dir`, else a new one written there (0600).
    pub fn load_or_generate(
        data_dir: &Path,
        configured: Option<&str>,
        subject: String,
        allow_local_endpoints: bool,
    ) -> Result<Self> {
        let invalid = |e: webpush::Error| Error::Internal(format!("VAPID key: {e}"));
        let vapid = match configured {
            Some(key) => webpush::VapidKey::from_base64url(key.trim()).map_err(invalid)?,
            None => {
                let path = data_dir.join(KEY_FILE);
                match std::fs::read_to_string(&path) {
                    Ok(key) => webpush::VapidKey::from_base64url(key.trim()).map_err(invalid)?,
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                        let key = webpush::VapidKey::generate();
                        crate::files::create_private_dir(data_dir)
                            .map_err(|e| Error::Internal(format!("{}: {e}", data_dir.display())))?;
                        crate::files::write_new_private(&path, key.private_base64url().as_bytes())
                            .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))?;
                        key
                    }
                    Err(err) => return Err(Error::Internal(format!("{}: {err}", path.display()))),
                }
            }
        };
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| Error::Internal(format!("push client: {e}")))?;
        Ok(Self {
            vapid,
            subject,
            http,
            allow_local_endpoints,
        })
    }

    /// The public key browsers pass to `pushManager.subscribe` as `applicationServerKey`.
    pub fn public_key(&self) -> String {
        self.vapid.public_key()
    }

    /// Whether the server would send to `endpoint`: an absolute `https` URL of a public host
    /// (in development also `http` and local addresses).
    pub fn accepts_endpoint(&self, endpoint: &str) -> bool {
        let Ok(url) = reqwest::Url::parse(endpoint) else {
            return false;
        };
        if !url.username().is_empty() || url.password().is_some() {
            return false;
        }
        let Some(host) = url.host_str().map(|h| h.trim_end_matches('.')) else {
            return false;
        };
        if self.allow_local_endpoints {
            return matches!(url.scheme(), "https" | "http");
        }
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        url.scheme() == "https"
            && literal.parse::<IpAddr>().is_err()
            && !host.eq_ignore_ascii_case("localhost")
            && !host.ends_with(".localhost")
            && !host.ends_with(".local")
            && host.contains('.')
    }
}

/// A browser's or device's subscription, as `PushSubscription.toJSON()` gives it.
#[derive(Debug, Clone)]
pub struct NewSubscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub user_agent: Option<String>,
}

/// Saves a subscription of the caller's (again: its keys are replaced and it is active again).
/// Returns it and whether it is new. An endpoint names one browser or device install: one that
/// another account saved before (someone else signed in there earlier) is moved to the caller,
/// so pushes never reach the previous account's device. Beyond [`MAX_PER_USER`] subscriptions,
/// the caller's oldest one is dropped.
pub async fn subscribe(
    db: &impl ConnectionTrait,
    push: &Push,
    actor: &Actor,
    new: NewSubscription,
) -> Result<(push_subscriptions::Model, bool)> {
    actor.require_session()?;
    if !push.accepts_endpoint(&new.endpoint) {
        return Err(Error::field(
            "endpoint",
            "invalid_push_endpoint",
            "must be the https URL of a push service",
        ));
    }
    if !webpush::valid_subscription_keys(&new.p256dh, &new.auth) {
        return Err(Error::field(
            "keys",
            "invalid_push_keys",
            "p256dh must be a P-256 public key and auth a 16-byte secret, base64url",
        ));
    }
    let mine = || {
        push_subscriptions::Entity::find()
            .filter(push_subscriptions::Column::UserId.eq(actor.user_id))
            .filter(push_subscriptions::Column::Endpoint.eq(new.endpoint.as_str()))
            .one(db)
    };
    push_subscriptions::Entity::delete_many()
        .filter(push_subscriptions::Column::Endpoint.eq(new.endpoint.as_str()))
        .filter(push_subscriptions::Column::UserId.ne(actor.user_id))
        .exec(db)
        .await?;
    let now = crate::now();
    let row = push_subscriptions::ActiveModel {
        id: NotSet,
        user_id: Set(actor.user_id),
        endpoint: Set(new.endpoint.clone()),
        p256dh: Set(new.p256dh.clone()),
        auth: Set(new.auth.clone().into()),
        user_agent: Set(new.user_agent.clone()),
        last_success_at: Set(None),
        failure_count: Set(0),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    };
    // Insert, or on the unique (userId, endpoint) refresh the saved one; should that one be
    // deleted meanwhile, insert again.
    let mut created = false;
    for _ in 0..2 {
        match push_subscriptions::Entity::insert(row.clone())
            .exec_without_returning(db)
            .await
        {
            Ok(_) => {
                created = true;
                break;
            }
            Err(err) if Error::is_unique_violation(&err) => {
                let refreshed = push_subscriptions::Entity::update_many()
                    .col_expr(
                        push_subscriptions::Column::P256dh,
                        Expr::value(new.p256dh.clone()),
                    )
                    .col_expr(
                        push_subscriptions::Column::Auth,
                        Expr::value(new.auth.clone()),
                    )
                    .col_expr(
                        push_subscriptions::Column::UserAgent,
                        Expr::value(new.user_agent.clone()),
                    )
                    .col_expr(push_subscriptions::Column::FailureCount, Expr::value(0))
                    .col_expr(push_subscriptions::Column::Active, Expr::value(true))
                    .col_expr(push_subscriptions::Column::UpdatedAt, Expr::value(now))
                    .filter(push_subscriptions::Column::UserId.eq(actor.user_id))
                    .filter(push_subscriptions::Column::Endpoint.eq(new.endpoint.as_str()))
                    .exec(db)
                    .await?;
                if refreshed.rows_affected > 0 {
                    break;
                }
            }
            Err(err) => return Err(err.into()),
        }
    }
    if created {
        // A handful per account: read them all, drop all but the newest.
        let kept: Vec<i64> = push_subscriptions::Entity::find()
            .select_only()
            .column(push_subscriptions::Column::Id)
            .filter(push_subscriptions::Column::UserId.eq(actor.user_id))
            .order_by_desc(push_subscriptions::Column::CreatedAt)
            .order_by_desc(push_subscriptions::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        let oldest: Vec<i64> = kept.into_iter().skip(MAX_PER_USER).collect();
        if !oldest.is_empty() {
            push_subscriptions::Entity::delete_many()
                .filter(push_subscriptions::Column::Id.is_in(oldest))
                .exec(db)
                .await?;
        }
    }
    let saved = mine().await?.ok_or(NOT_FOUND)?;
    Ok((saved, created))
}

/// Deletes the caller's subscription of `endpoint` (404 when there is none).
pub async fn unsubscribe(db: &impl ConnectionTrait, actor: &Actor, endpoint: &str) -> Result<()> {
    actor.require_session()?;
    let done = push_subscriptions::Entity::delete_many()
        .filter(push_subscriptions::Column::UserId.eq(actor.user_id))
        .filter(push_subscriptions::Column::Endpoint.eq(endpoint))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(NOT_FOUND.into());
    }
    Ok(())
}

/// What a push message carries (the service worker shows `title` and `body`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushMessage {
    pub title: String,
    pub body: String,
    /// `notification`, `chat.message`, ...
    pub r#type: String,
    pub data: serde_json::Value,
}

/// Delivers one message to one subscription. 2xx: delivered; 404 or 410: the subscription is
/// gone and is deactivated; anything else fails the attempt (retried with backoff).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushToSubscription {
    pub subscription_id: i64,
    pub message: PushMessage,
}

impl Job for PushToSubscription {
    const KIND: &'static str = "notifications.push_to_subscription";
    const MAX_ATTEMPTS: i32 = 6;

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let Some(sub) = push_subscriptions::Entity::find_by_id(self.subscription_id)
            .filter(push_subscriptions::Column::Active.eq(true))
            .one(ctx.db)
            .await?
        else {
            return Ok(());
        };
        let push = &ctx.deps.push;
        let failed = |message: String| Error::Dependency {
            dependency: "web push",
            message,
        };
        let body = serde_json::to_vec(&self.message)
            .map_err(|e| Error::Internal(format!("push payload: {e}")))?;
        let body = webpush::encrypt(&body, &sub.p256dh, sub.auth.expose())
            .map_err(|e| failed(e.to_string()))?;
        let expires = ctx.now.timestamp() + 12 * 3600;
        let authorization = push
            .vapid
            .authorization(&sub.endpoint, &push.subject, expires)
            .map_err(|e| failed(e.to_string()))?;
        let response = push
            .http
            .post(&sub.endpoint)
            .header("TTL", TTL_SECONDS.to_string())
            .header("Content-Encoding", "aes128gcm")
            .header("Content-Type", "application/octet-stream")
            .header("Urgency", "normal")
            .header("Authorization", authorization)
            .body(body)
            .send()
            .await;
        let status = match response {
            Ok(response) => response.status(),
            Err(err) => {
                record_failure(ctx, sub.id).await?;
                return Err(failed(format!("request failed: {}", err.without_url())));
            }
        };
        if status.is_success() {
            push_subscriptions::Entity::update_many()
                .col_expr(
                    push_subscriptions::Column::LastSuccessAt,
                    Expr::value(Some(ctx.now)),
                )
                .col_expr(push_subscriptions::Column::FailureCount, Expr::value(0))
                .col_expr(
                    push_subscriptions::Column::UpdatedAt,
                    Expr::value(crate::now()),
                )
                .filter(push_subscriptions::Column::Id.eq(sub.id))
                .exec(ctx.db)
                .await?;
            return Ok(());
        }
        if matches!(status.as_u16(), 404 | 410) {
            push_subscriptions::Entity::update_many()
                .col_expr(push_subscriptions::Column::Active, Expr::value(false))
                .col_expr(
                    push_subscriptions::Column::UpdatedAt,
                    Expr::value(crate::now()),
                )
                .filter(push_subscriptions::Column::Id.eq(sub.id))
                .exec(ctx.db)
                .await?;
            return Ok(());
        }
        record_failure(ctx, sub.id).await?;
        Err(failed(format!("push service answered {status}")))
    }
}

crate::register_job!(PushToSubscription);

/// Counts a failed delivery; the [`MAX_FAILURES`]th in a row deactivates the subscription.
async fn record_failure(ctx: &Context<'_>, id: i64) -> Result<()> {
    use sea_orm::sea_query::ExprTrait as _;
    let count = Expr::col(push_subscriptions::Column::FailureCount);
    // `active` first: MySQL evaluates assignments in order, each seeing the ones before.
    push_subscriptions::Entity::update_many()
        .col_expr(
            push_subscriptions::Column::Active,
            count.clone().lt(MAX_FAILURES - 1),
        )
        .col_expr(push_subscriptions::Column::FailureCount, count.add(1))
        .col_expr(
            push_subscriptions::Column::UpdatedAt,
            Expr::value(crate::now()),
        )
        .filter(push_subscriptions::Column::Id.eq(id))
        .exec(ctx.db)
        .await?;
    Ok(())
}

/// The caller's active subscriptions' ids.
pub(crate) async fn active_ids(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<i64>> {
    Ok(push_subscriptions::Entity::find()
        .select_only()
        .column(push_subscriptions::Column::Id)
        .filter(push_subscriptions::Column::UserId.eq(user_id))
        .filter(push_subscriptions::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await?)
}
