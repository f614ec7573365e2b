//! Notifications: what the platform tells a user, in their language, on the channels they chose.
//!
//! - Domain events create them: a subscriber job per event ([`events`]) calls [`notify`] with a
//!   bilingual [`Notice`]. [`notify`] composes into the caller's transaction: the in-app row, the
//!   `notification` event of the user's real-time stream, and the e-mail and push jobs commit
//!   together.
//! - Channels follow the user's [`preferences`]: a category's in-app, e-mail and push switches
//!   and the e-mail and push master switches. During quiet hours (the user's time zone) e-mail
//!   and push wait: their jobs are queued for the end of the quiet hours, and re-check the
//!   preferences when they run. In-app notifications never wait.
//! - E-mail goes through the mailer, push through [`push`] (one job per subscription, retried;
//!   a subscription whose push service answers 404 or 410 is deactivated).

pub mod events;
pub mod preferences;
pub mod push;

use entity::enums::{Language, UserStatus};
use entity::notifications::notifications;
use entity::users::users;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub use preferences::{Category, Preferences};

use crate::Result;
use crate::auth::actor::Actor;
use crate::jobs::{self, Context, Job};
use crate::mail::Mail;
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::NOT_FOUND;
use crate::realtime::{self, Hub};

/// Longest title kept (the column's length).
pub const MAX_TITLE: usize = 255;

/// A text in both official languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    pub en: String,
    pub fr: String,
}

impl Bilingual {
    /// The text in `language`.
    pub fn in_language(&self, language: Language) -> &str {
        match language {
            Language::En => &self.en,
            Language::Fr => &self.fr,
        }
    }
}

/// What to tell a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub category: Category,
    /// The notification's `type`: the event it tells of (`certificate.issued`, ...).
    pub kind: String,
    pub title: Bilingual,
    pub message: Bilingual,
    /// Ids a client needs to open what the notification is about.
    pub data: serde_json::Value,
    /// What this notice is for, unique per user (e.g. `job:<id>`, the job telling it): told again
    /// with the same key, nothing happens.
    #[serde(default)]
    pub dedupe_key: Option<String>,
}

/// Tells `user_id` of `notice` on the channels their preferences allow; returns the in-app
/// notification when one was created. Nothing for accounts that are not active. Composes into
/// the caller's transaction; the caller wakes the user's streams after commit.
pub async fn notify(
    db: &impl ConnectionTrait,
    user_id: i64,
    notice: &Notice,
) -> Result<Option<notifications::Model>> {
    let Some(user) = active_user(db, user_id).await? else {
        return Ok(None);
    };
    if let Some(key) = &notice.dedupe_key {
        let told = notifications::Entity::find()
            .filter(notifications::Column::UserId.eq(user_id))
            .filter(notifications::Column::DedupeKey.eq(key.as_str()))
            .count(db)
            .await?;
        if told > 0 {
            return Ok(None);
        }
    }
    let prefs = preferences::load(db, user_id).await?;
    let in_app = prefs.categories.of(notice.category).in_app;
    // Numbered before the insert: see `realtime::reserve`.
    let numbers = if in_app {
        realtime::reserve(db, &[user_id]).await?
    } else {
        realtime::Numbers::default()
    };
    let now = crate::now();
    let title: String = notice
        .title
        .in_language(user.language)
        .chars()
        .take(MAX_TITLE)
        .collect();
    let message = notice.message.in_language(user.language).to_owned();
    let mut created = None;
    if in_app {
        let row = notifications::Model {
            id: 0,
            user_id,
            r#type: notice.kind.clone(),
            title: title.clone(),
            message: message.clone(),
            read: false,
            data: Some(notice.data.clone()),
            read_at: None,
            created_at: now,
            dedupe_key: notice.dedupe_key.clone(),
        };
        let mut active: notifications::ActiveModel = row.clone().into();
        active.id = NotSet;
        let id = notifications::Entity::insert(active)
            .exec(db)
            .await?
            .last_insert_id;
        let row = notifications::Model { id, ..row };
        realtime::write(db, &numbers, realtime::NOTIFICATION, event_data(&row)).await?;
        created = Some(row);
    }
    let deliver_at = prefs.quiet_until(now).unwrap_or(now);
    let delivery = Deliver {
        user_id,
        category: notice.category,
        title,
        message,
        r#type: notice.kind.clone(),
        data: json!({"notificationId": created.as_ref().map(|n| n.id), "details": notice.data}),
    };
    if prefs.wants_email(notice.category) {
        let job = EmailNotification(delivery.clone());
        queue(db, &job, deliver_at, notice, user_id, "email").await?;
    }
    if prefs.wants_push(notice.category) {
        queue(
            db,
            &PushNotification(delivery),
            deliver_at,
            notice,
            user_id,
            "push",
        )
        .await?;
    }
    Ok(created)
}

/// Queues a channel's delivery job; with a dedupe key, once for the notice (even when in-app is
/// off, so that no notification row records it).
async fn queue<J: Job>(
    db: &impl ConnectionTrait,
    job: &J,
    at: chrono::DateTime<chrono::Utc>,
    notice: &Notice,
    user_id: i64,
    channel: &str,
) -> Result<()> {
    match &notice.dedupe_key {
        Some(key) => {
            let key = format!("notify:{user_id}:{key}:{channel}");
            jobs::enqueue_once(db, job, at, &key).await.map(drop)
        }
        None => jobs::enqueue_at(db, job, at).await,
    }
}

/// The account `user_id` if it is active (only active accounts are notified).
async fn active_user(db: &impl ConnectionTrait, user_id: i64) -> Result<Option<users::Model>> {
    Ok(users::Entity::find_by_id(user_id)
        .filter(users::Column::Status.eq(UserStatus::Active))
        .one(db)
        .await?)
}

/// Deletes a deleted account's notifications and event log (in the deletion's transaction; its
/// preferences and push subscriptions are deleted with the profile).
pub async fn erase(db: &impl ConnectionTrait, user_id: i64) -> Result<()> {
    notifications::Entity::delete_many()
        .filter(notifications::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    entity::realtime::user_events::Entity::delete_many()
        .filter(entity::realtime::user_events::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// [`notify`] in its own transaction, then wakes the user's streams on this instance.
pub async fn notify_now(
    db: &sea_orm::DatabaseConnection,
    hub: &Hub,
    user_id: i64,
    notice: &Notice,
) -> Result<()> {
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        notify(&txn, user_id, notice).await?;
        txn.commit().await?;
        Ok(())
    })
    .await?;
    hub.wake(&[user_id]);
    Ok(())
}

/// What a stream is told of a notification.
pub fn event_data(row: &notifications::Model) -> serde_json::Value {
    json!({
        "notification": {
            "id": row.id,
            "type": row.r#type,
            "title": row.title,
            "message": row.message,
            "read": row.read,
            "data": row.data,
            "readAt": row.read_at,
            "createdAt": row.created_at,
        }
    })
}

/// The caller's notifications, newest first; only unread ones with `unread_only`.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    unread_only: bool,
    page: PageRequest,
) -> Result<Page<notifications::Model>> {
    actor.require_session()?;
    let mut query =
        notifications::Entity::find().filter(notifications::Column::UserId.eq(actor.user_id));
    if unread_only {
        query = query.filter(notifications::Column::Read.eq(false));
    }
    let rows = pagination::keyset(
        query,
        notifications::Column::CreatedAt,
        notifications::Column::Id,
        &page,
    )
    .all(db)
    .await?;
    Ok(pagination::finish(rows, &page, |n| Cursor {
        at: n.created_at,
        id: n.id,
    }))
}

/// How many of the caller's notifications are unread (the `(userId, read)` index).
pub async fn unread_count(db: &impl ConnectionTrait, actor: &Actor) -> Result<u64> {
    actor.require_session()?;
    Ok(notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(actor.user_id))
        .filter(notifications::Column::Read.eq(false))
        .count(db)
        .await?)
}

/// Marks one of the caller's notifications read (again: no change); 404 for anyone else's.
pub async fn mark_read(
    db: &impl crate::db::Db,
    hub: &Hub,
    actor: &Actor,
    id: i64,
) -> Result<notifications::Model> {
    actor.require_session()?;
    let changed = read_where(db, actor, Some(id)).await?;
    if changed {
        hub.wake(&[actor.user_id]);
    }
    notifications::Entity::find_by_id(id)
        .filter(notifications::Column::UserId.eq(actor.user_id))
        .one(db)
        .await?
        .ok_or(NOT_FOUND.into())
}

/// Marks all the caller's notifications read; returns how many changed.
pub async fn mark_all_read(db: &impl crate::db::Db, hub: &Hub, actor: &Actor) -> Result<()> {
    actor.require_session()?;
    if read_where(db, actor, None).await? {
        hub.wake(&[actor.user_id]);
    }
    Ok(())
}

/// Marks unread notifications of the caller read (one, or all) and tells the caller's other
/// devices, in one transaction; whether anything changed.
async fn read_where(db: &impl crate::db::Db, actor: &Actor, id: Option<i64>) -> Result<bool> {
    use sea_orm::TransactionSession as _;
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        let now = crate::now();
        let mut update = notifications::Entity::update_many()
            .col_expr(notifications::Column::Read, Expr::value(true))
            .col_expr(notifications::Column::ReadAt, Expr::value(Some(now)))
            .filter(notifications::Column::UserId.eq(actor.user_id))
            .filter(notifications::Column::Read.eq(false));
        if let Some(id) = id {
            update = update.filter(notifications::Column::Id.eq(id));
        }
        let done = update.exec(&txn).await?;
        if done.rows_affected == 0 {
            return Ok(false);
        }
        realtime::emit(
            &txn,
            &[actor.user_id],
            realtime::NOTIFICATION_READ,
            json!({"notificationId": id, "all": id.is_none(), "readAt": now}),
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    })
    .await
}

/// One notification on its way to an e-mail or push channel.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deliver {
    pub user_id: i64,
    pub category: Category,
    /// In the user's language.
    pub title: String,
    pub message: String,
    pub r#type: String,
    pub data: serde_json::Value,
}

impl Deliver {
    /// The user (when active) and their preferences, or `None` when the channel is now off or
    /// the quiet hours moved: in that case a later job was queued if it must still go.
    async fn ready<J: Job>(
        &self,
        ctx: &Context<'_>,
        wanted: impl Fn(&Preferences) -> bool,
        later: impl Fn(Self) -> J,
    ) -> Result<Option<users::Model>> {
        let Some(user) = active_user(ctx.db, self.user_id).await? else {
            return Ok(None);
        };
        let prefs = preferences::load(ctx.db, self.user_id).await?;
        if !wanted(&prefs) || !self.still_relevant(ctx).await? {
            return Ok(None);
        }
        if let Some(until) = prefs.quiet_until(ctx.now) {
            // Once per run of this job, however often it runs.
            let key = format!("{}:deferred:{}", J::KIND, ctx.job.id);
            jobs::enqueue_once(ctx.db, &later(self.clone()), until, &key).await?;
            return Ok(None);
        }
        Ok(Some(user))
    }

    /// A chat message's notification that waited (quiet hours) goes only if the message is
    /// still there and the user still in its room.
    async fn still_relevant(&self, ctx: &Context<'_>) -> Result<bool> {
        match self
            .data
            .pointer("/details/messageId")
            .and_then(serde_json::Value::as_i64)
        {
            Some(message_id) => Ok(crate::chat::deliverable(ctx.db, message_id, self.user_id)
                .await?
                .is_some()),
            None => Ok(true),
        }
    }
}

/// Mails a notification (after the quiet hours).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EmailNotification(pub Deliver);

impl Job for EmailNotification {
    const KIND: &'static str = "notifications.email";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let category = self.0.category;
        let Some(user) = self
            .0
            .ready(ctx, |p| p.wants_email(category), EmailNotification)
            .await?
        else {
            return Ok(());
        };
        let settings = format!("{}/settings/notifications", ctx.deps.app_base_url);
        let footer = match user.language {
            Language::En => format!("Choose which notifications you receive: {settings}"),
            Language::Fr => {
                format!("Choisissez les notifications que vous recevez\u{a0}: {settings}")
            }
        };
        ctx.deps
            .mailer
            .send(&Mail {
                to: user.email,
                subject: self.0.title.clone(),
                text: format!("{}\n\n{}\n\n-- \n{footer}\n", self.0.title, self.0.message),
            })
            .await
    }
}

crate::register_job!(EmailNotification);

/// Pushes a notification to each of the user's active subscriptions (after the quiet hours):
/// one [`push::PushToSubscription`] job per subscription, queued once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PushNotification(pub Deliver);

impl Job for PushNotification {
    const KIND: &'static str = "notifications.push";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let category = self.0.category;
        if self
            .0
            .ready(ctx, |p| p.wants_push(category), PushNotification)
            .await?
            .is_none()
        {
            return Ok(());
        }
        let message = push::PushMessage {
            title: self.0.title.clone(),
            body: self.0.message.chars().take(1000).collect(),
            r#type: self.0.r#type.clone(),
            data: self.0.data.clone(),
        };
        for subscription_id in push::active_ids(ctx.db, self.0.user_id).await? {
            jobs::enqueue_once(
                ctx.db,
                &push::PushToSubscription {
                    subscription_id,
                    message: message.clone(),
                },
                ctx.now,
                &format!("push:{}:{subscription_id}", ctx.job.id),
            )
            .await?;
        }
        Ok(())
    }
}

crate::register_job!(PushNotification);
