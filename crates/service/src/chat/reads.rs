//! Read markers and unread counts.

use chrono::{DateTime, Utc};
use entity::chat::{chat_messages, chat_room_members};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement,
    TransactionSession as _,
};
use serde_json::json;

use super::{membership, tell_room};
use crate::auth::actor::Actor;
use crate::db::Db;
use crate::realtime::{self, Hub};
use crate::{Error, Result};

/// A member's read marker in a room.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub room_id: i64,
    pub last_read_at: Option<DateTime<Utc>>,
    pub last_read_message_id: Option<i64>,
    /// Messages of others after the marker.
    pub unread: i64,
}

/// Unread messages per room and in total.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Unread {
    pub total: i64,
    /// `(roomId, count)` of the rooms with unread messages, most unread first.
    pub rooms: Vec<(i64, i64)>,
}

/// Moves the caller's read marker of a room forward to `message_id` (a message of that room), or
/// to its latest message. A marker never moves back; the room's members get `chat.read`.
pub async fn mark_read(
    db: &impl Db,
    hub: &Hub,
    actor: &Actor,
    room_id: i64,
    message_id: Option<i64>,
) -> Result<Marker> {
    actor.require_session()?;
    let mine = membership(db, room_id, actor.user_id).await?;
    let target = chat_messages::Entity::find().filter(chat_messages::Column::RoomId.eq(room_id));
    let target = match message_id {
        Some(id) => target
            .filter(chat_messages::Column::Id.eq(id))
            .one(db)
            .await?
            .ok_or_else(|| {
                Error::field(
                    "messageId",
                    "unknown_message",
                    "names no message of this room",
                )
            })?,
        None => {
            let latest = target
                .order_by_desc(chat_messages::Column::SentAt)
                .order_by_desc(chat_messages::Column::Id)
                .one(db)
                .await?;
            match latest {
                Some(latest) => latest,
                None => {
                    return Ok(Marker {
                        room_id,
                        last_read_at: mine.last_read_at,
                        last_read_message_id: mine.last_read_message_id,
                        unread: 0,
                    });
                }
            }
        }
    };
    let members = crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        let moved = chat_room_members::Entity::update_many()
            .col_expr(chat_room_members::Column::LastReadAt, Expr::value(Some(target.sent_at)))
            .col_expr(
                chat_room_members::Column::LastReadMessageId,
                Expr::value(Some(target.id)),
            )
            .col_expr(chat_room_members::Column::UpdatedAt, Expr::value(crate::now()))
            .filter(chat_room_members::Column::Id.eq(mine.id))
            .filter(
                Condition::any()
                    .add(chat_room_members::Column::LastReadAt.is_null())
                    .add(chat_room_members::Column::LastReadAt.lt(target.sent_at)),
            )
            .exec(&txn)
            .await?;
        if moved.rows_affected == 0 {
            return Ok(Vec::new());
        }
        let members = tell_room(
            &txn,
            room_id,
            &[],
            realtime::CHAT_READ,
            json!({"roomId": room_id, "userId": actor.user_id, "lastReadAt": target.sent_at, "lastReadMessageId": target.id}),
        )
        .await?;
        txn.commit().await?;
        Ok(members)
    })
    .await?;
    hub.wake(&members);
    let now = membership(db, room_id, actor.user_id).await?;
    let unread = counts(db, actor.user_id, Some(room_id))
        .await?
        .first()
        .map_or(0, |(_, n)| *n);
    Ok(Marker {
        room_id,
        last_read_at: now.last_read_at,
        last_read_message_id: now.last_read_message_id,
        unread,
    })
}

/// The caller's unread messages per room and in total, in one query.
pub async fn unread(db: &impl ConnectionTrait, actor: &Actor) -> Result<Unread> {
    actor.require_session()?;
    let mut rooms = counts(db, actor.user_id, None).await?;
    rooms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(Unread {
        total: rooms.iter().map(|(_, n)| n).sum(),
        rooms,
    })
}

/// `(roomId, unread)` of `user_id`'s rooms with unread messages (of one room with `room`): the
/// messages of others after the membership's `lastReadAt` (or after joining), not deleted. The
/// one place that says what "unread" is.
async fn counts(
    db: &impl ConnectionTrait,
    user_id: i64,
    room: Option<i64>,
) -> Result<Vec<(i64, i64)>> {
    // Backticks quote identifiers on MySQL, MariaDB, TiDB and SQLite alike.
    let mut sql = "SELECT m.`roomId`, COUNT(*) FROM `chatMessages` m \
                   JOIN `chatRoomMembers` r ON r.`roomId` = m.`roomId` AND r.`userId` = ? \
                   WHERE m.`deletedAt` IS NULL \
                   AND (m.`senderId` IS NULL OR m.`senderId` <> ?) \
                   AND m.`sentAt` > COALESCE(r.`lastReadAt`, r.`joinedAt`)"
        .to_owned();
    let mut values: Vec<sea_orm::Value> = vec![user_id.into(), user_id.into()];
    if let Some(room) = room {
        sql.push_str(" AND m.`roomId` = ?");
        values.push(room.into());
    }
    sql.push_str(" GROUP BY m.`roomId`");
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            values,
        ))
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
        .collect()
}
