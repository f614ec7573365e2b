//! Messages: send (idempotent per `clientMessageId`), page through, edit, delete.

use entity::chat::{chat_messages, chat_rooms};
use entity::enums::ChatMessageType;
use sea_orm::sea_query::{Expr, MysqlQueryBuilder};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, RuntimeErr, Select, Set,
    TransactionSession as _,
};
use serde_json::json;

use super::{
    CLIENT_MESSAGE_ID_REUSED, MESSAGE_DELETED, NOT_SENDER, deliverable, lock_room, member_ids,
    membership, moderates, tell_room,
};
use crate::auth::actor::Actor;
use crate::db::Db;
use crate::pagination::{self, Cursor, Page};
use crate::problem::NOT_FOUND;
use crate::realtime::{self, Hub};
use crate::{Error, Result};

/// A message to send.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub content: String,
    /// The client's id for this message: sending again with it returns the first one.
    pub client_message_id: Option<String>,
}

/// What [`send`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub message: chat_messages::Model,
    /// False when `clientMessageId` named a message sent before (nothing changed).
    pub created: bool,
}

/// Which page of a room's messages to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The newest messages, newest first.
    Latest,
    /// Messages older than the cursor, newest first.
    Before(Cursor),
    /// Messages newer than the cursor, oldest first.
    After(Cursor),
}

/// The position of a message in its room, as cursors encode it.
pub fn cursor_of(message: &chat_messages::Model) -> Cursor {
    Cursor {
        at: message.sent_at,
        id: message.id,
    }
}

/// Sends a message to a room of the caller's. The room row is locked first (the statement that
/// moves `lastMessageAt`), so `sentAt` follows commit order within a room and the message reaches
/// exactly the members the room has; each gets a `chat.message` event.
pub async fn send(
    db: &impl Db,
    hub: &Hub,
    actor: &Actor,
    room_id: i64,
    new: NewMessage,
) -> Result<Sent> {
    actor.require_session()?;
    if let Some(client_id) = &new.client_message_id
        && let Some(first) = by_client_id(db, actor.user_id, client_id).await?
    {
        return resent(db, actor, room_id, first).await;
    }
    let sent = crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        let locked = chat_rooms::Entity::update_many()
            .col_expr(
                chat_rooms::Column::LastMessageAt,
                Expr::value(Some(crate::now())),
            )
            .filter(chat_rooms::Column::Id.eq(room_id))
            .exec(&txn)
            .await?;
        if locked.rows_affected == 0 {
            return Err(NOT_FOUND.into());
        }
        let members = member_ids(&txn, room_id).await?;
        if !members.contains(&actor.user_id) {
            return Err(NOT_FOUND.into());
        }
        let numbers = realtime::reserve(&txn, &members).await?;
        let now = crate::now();
        let mut message = chat_messages::Model {
            id: 0,
            room_id,
            sender_id: Some(actor.user_id),
            content: new.content.clone(),
            r#type: ChatMessageType::Text,
            sent_at: now,
            edited_at: None,
            deleted_at: None,
            client_message_id: new.client_message_id.clone(),
            created_at: now,
            updated_at: now,
        };
        let mut row: chat_messages::ActiveModel = message.clone().into();
        row.id = NotSet;
        match chat_messages::Entity::insert(row).exec(&txn).await {
            Ok(done) => message.id = done.last_insert_id,
            Err(err) if Error::is_unique_violation(&err) => return Ok(None),
            Err(err) => return Err(err.into()),
        }
        realtime::write(&txn, &numbers, realtime::CHAT_MESSAGE, event_data(&message)).await?;
        crate::jobs::enqueue(
            &txn,
            &NotifyMessage {
                message_id: message.id,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(Some((message, members)))
    })
    .await?;
    match sent {
        Some((message, members)) => {
            hub.wake(&members);
            Ok(Sent {
                message,
                created: true,
            })
        }
        // A concurrent resend with the same clientMessageId committed first.
        None => {
            let client_id = new.client_message_id.as_deref().unwrap_or_default();
            let first = by_client_id(db, actor.user_id, client_id)
                .await?
                .ok_or(CLIENT_MESSAGE_ID_REUSED)?;
            resent(db, actor, room_id, first).await
        }
    }
}

async fn by_client_id(
    db: &impl ConnectionTrait,
    sender_id: i64,
    client_id: &str,
) -> Result<Option<chat_messages::Model>> {
    Ok(chat_messages::Entity::find()
        .filter(chat_messages::Column::SenderId.eq(sender_id))
        .filter(chat_messages::Column::ClientMessageId.eq(client_id))
        .one(db)
        .await?)
}

/// The answer to a resend: the first message, if it went to this room and the caller is still
/// a member there.
async fn resent(
    db: &impl ConnectionTrait,
    actor: &Actor,
    room_id: i64,
    first: chat_messages::Model,
) -> Result<Sent> {
    membership(db, room_id, actor.user_id).await?;
    if first.room_id != room_id {
        return Err(CLIENT_MESSAGE_ID_REUSED.into());
    }
    Ok(Sent {
        message: first,
        created: false,
    })
}

/// A page of a room's messages (members only; deleted ones stay as tombstones with empty
/// content). Keyset on `(sentAt, id)`: every page costs the same, however deep.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    room_id: i64,
    window: Window,
    limit: u64,
) -> Result<Page<chat_messages::Model>> {
    actor.require_session()?;
    membership(db, room_id, actor.user_id).await?;
    let sent_at = chat_messages::Column::SentAt;
    let id = chat_messages::Column::Id;
    // Two steps: the page's ids from the index `(roomId, sentAt)` alone (it holds the primary
    // key), then their rows. Asked for whole rows at once, MariaDB prefers reading the room's
    // index from its newest entry and filtering, which costs the depth of the page.
    let backend = db.get_database_backend();
    let mut ids = chat_messages::Entity::find()
        .select_only()
        .column(id)
        .filter(chat_messages::Column::RoomId.eq(room_id))
        .limit(limit + 1);
    let newest_first = !matches!(window, Window::After(_));
    ids = match window {
        Window::Latest => ids,
        Window::Before(at) => ids.filter(pagination::before(
            sent_at,
            id,
            pagination::instant(backend, at.at),
            at.id,
        )),
        Window::After(at) => ids.filter(pagination::after(
            sent_at,
            id,
            pagination::instant(backend, at.at),
            at.id,
        )),
    };
    ids = if newest_first {
        ids.order_by_desc(sent_at).order_by_desc(id)
    } else {
        ids.order_by_asc(sent_at).order_by_asc(id)
    };
    let ids = page_ids(db, ids).await?;
    let mut rows = if ids.is_empty() {
        Vec::new()
    } else {
        chat_messages::Entity::find()
            .filter(id.is_in(ids))
            .all(db)
            .await?
    };
    rows.sort_by_key(|m| (m.sent_at, m.id));
    if newest_first {
        rows.reverse();
    }
    let page = pagination::PageRequest { limit, after: None };
    Ok(pagination::finish(rows, &page, cursor_of))
}

/// The ids a page query selects. On MySQL, MariaDB and TiDB it is sent as plain text (the
/// values inlined are numbers and an instant decoded from the cursor, never client text):
/// MariaDB 10.11 runs the prepared (binary protocol) form of this query by reading every message
/// of the room between the page and the end of the range, 45 ms at 500,000 messages deep instead
/// of 0.5 ms for the same text query (measured; `bench/chat-history.sh`).
async fn page_ids(
    db: &DatabaseConnection,
    query: Select<chat_messages::Entity>,
) -> Result<Vec<i64>> {
    if db.get_database_backend() != DbBackend::MySql {
        return Ok(query.into_tuple().all(db).await?);
    }
    use sea_orm::sqlx::{self, Row as _};
    let sql = QueryTrait::into_query(query).to_string(MysqlQueryBuilder);
    let rows = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .fetch_all(db.get_mysql_connection_pool())
        .await
        .map_err(|e| DbErr::Query(RuntimeErr::SqlxError(e.into())))?;
    rows.iter()
        .map(|row| row.try_get::<i64, _>(0))
        .collect::<Result<_, _>>()
        .map_err(|e| DbErr::Query(RuntimeErr::SqlxError(e.into())).into())
}

/// Edits a message: its sender only, while it is not deleted. Members get `chat.message_edited`.
pub async fn edit(
    db: &impl Db,
    hub: &Hub,
    actor: &Actor,
    message_id: i64,
    content: String,
) -> Result<chat_messages::Model> {
    actor.require_session()?;
    let room_id = visible(db, actor, message_id).await?.room_id;
    let (message, members) = crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        // The lock first: on MariaDB and TiDB the snapshot starts at the first read, and must
        // include a delete or a membership change committed by the writer before us.
        lock_room(&txn, room_id).await?;
        let message = visible(&txn, actor, message_id).await?;
        if message.sender_id != Some(actor.user_id) {
            return Err(NOT_SENDER.into());
        }
        if message.deleted_at.is_some() {
            return Err(MESSAGE_DELETED.into());
        }
        let now = crate::now();
        let mut row: chat_messages::ActiveModel = message.into();
        row.content = Set(content.clone());
        row.edited_at = Set(Some(now));
        row.updated_at = Set(now);
        let message = sea_orm::ActiveModelTrait::update(row, &txn).await?;
        let members = tell_room(
            &txn,
            room_id,
            &[],
            realtime::CHAT_MESSAGE_EDITED,
            event_data(&message),
        )
        .await?;
        txn.commit().await?;
        Ok((message, members))
    })
    .await?;
    hub.wake(&members);
    Ok(message)
}

/// Deletes a message softly (its content is emptied, the row stays as a tombstone): its sender,
/// or an owner or moderator of the room. Deleting a deleted message changes nothing.
pub async fn delete(db: &impl Db, hub: &Hub, actor: &Actor, message_id: i64) -> Result<()> {
    actor.require_session()?;
    let room_id = visible(db, actor, message_id).await?.room_id;
    let members = crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        lock_room(&txn, room_id).await?;
        let message = visible(&txn, actor, message_id).await?;
        let mine = membership(&txn, message.room_id, actor.user_id).await?;
        if message.sender_id != Some(actor.user_id) && !moderates(mine.role) {
            return Err(NOT_SENDER.into());
        }
        let now = crate::now();
        let done = chat_messages::Entity::update_many()
            .col_expr(chat_messages::Column::Content, Expr::value(""))
            .col_expr(chat_messages::Column::DeletedAt, Expr::value(Some(now)))
            .col_expr(chat_messages::Column::UpdatedAt, Expr::value(now))
            .filter(chat_messages::Column::Id.eq(message_id))
            .filter(chat_messages::Column::DeletedAt.is_null())
            .exec(&txn)
            .await?;
        if done.rows_affected == 0 {
            return Ok(Vec::new());
        }
        let members = tell_room(
            &txn,
            room_id,
            &[],
            realtime::CHAT_MESSAGE_DELETED,
            json!({"roomId": room_id, "messageId": message_id, "deletedAt": now}),
        )
        .await?;
        txn.commit().await?;
        Ok(members)
    })
    .await?;
    hub.wake(&members);
    Ok(())
}

/// A message of a room the caller is a member of (404 otherwise).
async fn visible(
    db: &impl ConnectionTrait,
    actor: &Actor,
    message_id: i64,
) -> Result<chat_messages::Model> {
    let message = chat_messages::Entity::find_by_id(message_id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    membership(db, message.room_id, actor.user_id).await?;
    Ok(message)
}

/// What a stream is told of a message.
pub fn event_data(message: &chat_messages::Model) -> serde_json::Value {
    json!({
        "roomId": message.room_id,
        "message": {
            "id": message.id,
            "roomId": message.room_id,
            "senderId": message.sender_id,
            "content": message.content,
            "type": message.r#type,
            "sentAt": message.sent_at,
            "editedAt": message.edited_at,
            "deletedAt": message.deleted_at,
            "clientMessageId": message.client_message_id,
            "cursor": cursor_of(message).encode(),
        }
    })
}

/// Tells the other members of a new message on their notification channels (push by default;
/// the chat's own unread counts stand in for in-app notifications): one [`NotifyMember`] job per
/// member, queued once, so a retry never tells anyone twice.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyMessage {
    pub message_id: i64,
}

impl crate::jobs::Job for NotifyMessage {
    const KIND: &'static str = "chat.notify_message";

    async fn run(self, ctx: &crate::jobs::Context<'_>) -> Result<()> {
        let Some(message) = chat_messages::Entity::find_by_id(self.message_id)
            .one(ctx.db)
            .await?
        else {
            return Ok(());
        };
        for member in member_ids(ctx.db, message.room_id).await? {
            if Some(member) != message.sender_id {
                let job = NotifyMember {
                    message_id: message.id,
                    user_id: member,
                };
                let key = format!("chat.notify:{}:{member}", message.id);
                crate::jobs::enqueue_once(ctx.db, &job, ctx.now, &key).await?;
            }
        }
        Ok(())
    }
}

crate::register_job!(NotifyMessage);

/// Tells one member of a new message (nothing once it is deleted or they left the room).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyMember {
    pub message_id: i64,
    pub user_id: i64,
}

impl crate::jobs::Job for NotifyMember {
    const KIND: &'static str = "chat.notify_member";

    async fn run(self, ctx: &crate::jobs::Context<'_>) -> Result<()> {
        use crate::notifications::{Bilingual, Category, Notice, notify_now};
        let Some(message) = deliverable(ctx.db, self.message_id, self.user_id).await? else {
            return Ok(());
        };
        let sender = match message.sender_id {
            Some(id) => {
                entity::users::users::Entity::find_by_id(id)
                    .one(ctx.db)
                    .await?
            }
            None => None,
        };
        let name = sender.map_or_else(String::new, |u| format!("{} {}", u.first_name, u.last_name));
        let preview: String = message.content.chars().take(PREVIEW).collect();
        let notice = Notice {
            category: Category::Chat,
            kind: realtime::CHAT_MESSAGE.to_owned(),
            title: Bilingual {
                en: format!("New message from {name}"),
                fr: format!("Nouveau message de {name}"),
            },
            message: Bilingual {
                en: preview.clone(),
                fr: preview,
            },
            data: json!({"roomId": message.room_id, "messageId": message.id}),
            dedupe_key: Some(format!("job:{}", ctx.job.id)),
        };
        notify_now(ctx.db, &ctx.deps.realtime, self.user_id, &notice).await
    }
}

crate::register_job!(NotifyMember);

/// Characters of a message shown in its notification.
const PREVIEW: usize = 140;
