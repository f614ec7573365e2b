//! Real time: the per-user event log that `GET /events` streams, and the [`Hub`] that wakes open
//! streams.
//!
//! - **The log is the truth.** What a user must be told (a chat message in one of their rooms, a
//!   read marker, a notification) is a `userEvents` row written by [`emit`] in the transaction of
//!   the change, numbered by the recipient's `users.eventSeq`. [`emit`] increments the counters of
//!   all recipients in one `UPDATE` (which also locks those rows until commit), so a user's events
//!   commit in the order of their numbers on SQLite, MariaDB and TiDB alike: a stream that read
//!   up to number *n* has missed nothing below *n*, and resumes after `Last-Event-ID: n` on any
//!   instance. No auto-increment order is relied upon.
//! - **Wake-ups are hints.** A stream sleeps until its [`Hub`] says something may have changed:
//!   the instance that committed the change wakes its own streams at once ([`Hub::wake`]), and
//!   every instance polls the database ([`Hub::poll`], one indexed query for all the users it
//!   streams to) to learn of changes committed elsewhere. So N replicas on one database need no
//!   configuration and no broker.
//! - **Authorisation is re-checked on delivery.** Chat events are delivered only while the user is
//!   still a member of their room ([`read_visible`]); a poll that sees the account's credentials
//!   end (`credentialVersion` moved on, or the account is no longer active) ends the stream.
//! - Events older than [`RETENTION_DAYS`] are purged daily; a stream resuming before the oldest
//!   kept event is told to `resync` (reload its state through the REST API).

pub mod hub;

use std::collections::BTreeSet;

use chrono::Duration;
use entity::chat::chat_room_members;
use entity::enums::UserStatus;
use entity::realtime::user_events;
use entity::users::users;
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

pub use hub::{Hub, Signal, Subscription};

use crate::auth::actor::Actor;
use crate::jobs::recurring::{RecurringJob, Schedule};
use crate::jobs::{Context, Job};
use crate::{Error, Result};

crate::problems! {
    pub TOO_MANY_STREAMS: RateLimited = "too_many_streams",
        "You already have as many live streams open as allowed; close one first.",
        "Vous avez déjà le nombre maximal de flux en direct ouverts ; fermez-en un d'abord.";
    pub INVALID_LAST_EVENT_ID: BadRequest = "invalid_last_event_id",
        "Last-Event-ID must be the id of an event this stream sent (a whole number).",
        "Last-Event-ID doit être l'identifiant d'un événement envoyé par ce flux (un nombre entier).";
}

/// A new chat message in one of the user's rooms.
pub const CHAT_MESSAGE: &str = "chat.message";
/// A message was edited.
pub const CHAT_MESSAGE_EDITED: &str = "chat.message_edited";
/// A message was deleted.
pub const CHAT_MESSAGE_DELETED: &str = "chat.message_deleted";
/// A member moved their read marker.
pub const CHAT_READ: &str = "chat.read";
/// Someone joined or left a room (sent to the room's members and to the one who left).
pub const CHAT_MEMBERSHIP: &str = "chat.membership";
/// A new notification.
pub const NOTIFICATION: &str = "notification";
/// Notifications were marked read (on another device).
pub const NOTIFICATION_READ: &str = "notification.read";

/// Events read from the log at a time.
pub const BATCH: u64 = 100;
/// Events deleted per statement by the daily purge.
const PURGE_BATCH: u64 = 5000;
/// Days an event stays in the log.
pub const RETENTION_DAYS: i64 = 7;

/// Appends an event of type `kind` to the log of every user in `recipients` (duplicates
/// ignored): [`reserve`] then [`write`], three statements whatever the number of recipients.
/// Call it in the transaction of the change it tells of; the caller wakes the recipients'
/// streams after commit ([`Hub::wake`]), or lets the poll find them.
pub async fn emit(
    db: &impl ConnectionTrait,
    recipients: &[i64],
    kind: &str,
    data: serde_json::Value,
) -> Result<()> {
    let numbers = reserve(db, recipients).await?;
    write(db, &numbers, kind, data).await
}

/// Event numbers taken for some users by [`reserve`], to be used by [`write`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Numbers(Vec<(i64, i64)>);

/// Takes the next event number of every user in `recipients`: one `UPDATE` (which also locks
/// their rows until commit) and one read. A writer that will also insert rows referencing these
/// users (a message, a notification) reserves first: the foreign-key check of its insert would
/// otherwise take a shared lock that the `UPDATE` must then upgrade, and two such writers
/// deadlock on MariaDB.
pub async fn reserve(db: &impl ConnectionTrait, recipients: &[i64]) -> Result<Numbers> {
    let ids: BTreeSet<i64> = recipients.iter().copied().collect();
    if ids.is_empty() {
        return Ok(Numbers::default());
    }
    users::Entity::update_many()
        .col_expr(
            users::Column::EventSeq,
            Expr::col(users::Column::EventSeq).add(1),
        )
        .filter(users::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
    let numbered: Vec<(i64, i64)> = users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .column(users::Column::EventSeq)
        .filter(users::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(Numbers(numbered))
}

/// Writes one event of type `kind` under each number of `numbers` (one `INSERT`).
pub async fn write(
    db: &impl ConnectionTrait,
    numbers: &Numbers,
    kind: &str,
    data: serde_json::Value,
) -> Result<()> {
    if numbers.0.is_empty() {
        return Ok(());
    }
    let now = crate::now();
    let rows = numbers
        .0
        .iter()
        .map(|(user_id, seq)| user_events::ActiveModel {
            id: NotSet,
            user_id: Set(*user_id),
            seq: Set(*seq),
            r#type: Set(kind.to_owned()),
            data: Set(data.clone()),
            created_at: Set(now),
        });
    user_events::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// What a user's stream starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start {
    /// Deliver events numbered above this.
    pub after: i64,
    /// Events the client asked to resume after were purged: it must reload its state.
    pub resync: bool,
    /// The account's state when the stream opened.
    pub signal: Signal,
}

/// Where the caller's stream starts: after `last_event_id` (the `Last-Event-ID` a reconnecting
/// client sends), or after the latest event for a new stream. Refuses API keys: the stream is a
/// person's.
pub async fn open(
    db: &impl ConnectionTrait,
    actor: &Actor,
    last_event_id: Option<&str>,
) -> Result<Start> {
    actor.require_session()?;
    let resume = last_event_id
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or(INVALID_LAST_EVENT_ID)
        })
        .transpose()?;
    let signal = signal_of(db, actor.user_id)
        .await?
        .ok_or(crate::problem::NOT_FOUND)?;
    let Some(resume) = resume else {
        return Ok(Start {
            after: signal.seq,
            resync: false,
            signal,
        });
    };
    // An id from the future (another account's stream, a forged header) resumes from now.
    if resume >= signal.seq {
        return Ok(Start {
            after: signal.seq,
            resync: resume > signal.seq,
            signal,
        });
    }
    let oldest: Option<i64> = user_events::Entity::find()
        .select_only()
        .column(user_events::Column::Seq)
        .filter(user_events::Column::UserId.eq(actor.user_id))
        .order_by_asc(user_events::Column::Seq)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    let purged = oldest.is_none_or(|oldest| oldest > resume + 1);
    Ok(Start {
        after: if purged { signal.seq } else { resume },
        resync: purged,
        signal,
    })
}

/// The account's event counter and credential state, as streams watch it.
pub async fn signal_of(db: &impl ConnectionTrait, user_id: i64) -> Result<Option<Signal>> {
    Ok(signals(db, &[user_id])
        .await?
        .into_iter()
        .next()
        .map(|(_, s)| s))
}

/// [`Signal`]s of several accounts in one query (missing accounts are left out).
pub async fn signals(db: &impl ConnectionTrait, user_ids: &[i64]) -> Result<Vec<(i64, Signal)>> {
    let rows: Vec<(i64, i64, i32, UserStatus)> = users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .column(users::Column::EventSeq)
        .column(users::Column::CredentialVersion)
        .column(users::Column::Status)
        .filter(users::Column::Id.is_in(user_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, seq, version, status)| {
            (
                id,
                Signal {
                    seq,
                    credential_version: version,
                    active: status == UserStatus::Active,
                },
            )
        })
        .collect())
}

/// A batch of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// The events to deliver, in order.
    pub events: Vec<user_events::Model>,
    /// The number of the last event read (delivered or not): the next batch starts after it.
    pub last: i64,
    /// Whether more events may follow at once.
    pub more: bool,
}

/// The user's events numbered above `after`, at most [`BATCH`], without the chat events of rooms
/// the user is no longer a member of (membership changes themselves are always delivered).
pub async fn read_visible(db: &impl ConnectionTrait, user_id: i64, after: i64) -> Result<Batch> {
    let events = user_events::Entity::find()
        .filter(user_events::Column::UserId.eq(user_id))
        .filter(user_events::Column::Seq.gt(after))
        .order_by_asc(user_events::Column::Seq)
        .limit(BATCH)
        .all(db)
        .await?;
    let more = events.len() as u64 == BATCH;
    let last = events.last().map_or(after, |e| e.seq);
    let rooms: BTreeSet<i64> = events
        .iter()
        .filter(|e| e.r#type.starts_with("chat.") && e.r#type != CHAT_MEMBERSHIP)
        .filter_map(room_of)
        .collect();
    let member_of: BTreeSet<i64> = if rooms.is_empty() {
        BTreeSet::new()
    } else {
        chat_room_members::Entity::find()
            .select_only()
            .column(chat_room_members::Column::RoomId)
            .filter(chat_room_members::Column::UserId.eq(user_id))
            .filter(chat_room_members::Column::RoomId.is_in(rooms))
            .into_tuple::<i64>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let mut events: Vec<user_events::Model> = events
        .into_iter()
        .filter(|e| {
            !e.r#type.starts_with("chat.")
                || e.r#type == CHAT_MEMBERSHIP
                || room_of(e).is_some_and(|room| member_of.contains(&room))
        })
        .collect();
    current_messages(db, &mut events).await?;
    Ok(Batch { events, last, more })
}

/// Shows messages as they are now, not as they were sent: an event of a message deleted (or
/// edited) since carries its tombstone (or its new text), so a stream resumed later never
/// delivers what a moderator removed. One query for the batch.
async fn current_messages(
    db: &impl ConnectionTrait,
    events: &mut [user_events::Model],
) -> Result<()> {
    use entity::chat::chat_messages;
    let id_of = |e: &user_events::Model| {
        e.data
            .pointer("/message/id")
            .and_then(serde_json::Value::as_i64)
    };
    let ids: BTreeSet<i64> = events
        .iter()
        .filter(|e| e.r#type == CHAT_MESSAGE || e.r#type == CHAT_MESSAGE_EDITED)
        .filter_map(id_of)
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let now: Vec<chat_messages::Model> = chat_messages::Entity::find()
        .filter(chat_messages::Column::Id.is_in(ids))
        .all(db)
        .await?;
    for event in events.iter_mut() {
        let Some(id) = id_of(event) else {
            continue;
        };
        if let Some(message) = now.iter().find(|m| m.id == id)
            && let Some(shown) = event.data.get_mut("message")
        {
            shown["content"] = message.content.clone().into();
            shown["editedAt"] = serde_json::to_value(message.edited_at).unwrap_or_default();
            shown["deletedAt"] = serde_json::to_value(message.deleted_at).unwrap_or_default();
            shown["senderId"] = serde_json::to_value(message.sender_id).unwrap_or_default();
        }
    }
    Ok(())
}

fn room_of(event: &user_events::Model) -> Option<i64> {
    event.data.get("roomId").and_then(serde_json::Value::as_i64)
}

/// Deletes events older than [`RETENTION_DAYS`], daily.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurgeEvents {
    pub occurrence: chrono::DateTime<chrono::Utc>,
}

impl Job for PurgeEvents {
    const KIND: &'static str = "realtime.purge_events";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        // In batches: one delete of a week of events could pass TiDB's transaction size limit.
        let before = ctx.now - Duration::days(RETENTION_DAYS);
        loop {
            let ids: Vec<i64> = user_events::Entity::find()
                .select_only()
                .column(user_events::Column::Id)
                .filter(user_events::Column::CreatedAt.lt(before))
                .limit(PURGE_BATCH)
                .into_tuple()
                .all(ctx.db)
                .await?;
            if ids.is_empty() {
                return Ok(());
            }
            let done = ids.len() as u64;
            user_events::Entity::delete_many()
                .filter(user_events::Column::Id.is_in(ids))
                .exec(ctx.db)
                .await
                .map_err(Error::from)?;
            if done < PURGE_BATCH {
                return Ok(());
            }
        }
    }
}

impl RecurringJob for PurgeEvents {
    const SCHEDULE: Schedule = Schedule::DailyAt {
        hour: 3,
        minute: 40,
    };

    fn occurrence(at: chrono::DateTime<chrono::Utc>) -> Self {
        Self { occurrence: at }
    }
}

crate::register_recurring_job!(PurgeEvents);
