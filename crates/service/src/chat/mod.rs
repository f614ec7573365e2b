//! Chat: direct, group and coaching rooms, their members, messages and read markers.
//!
//! Rules (RULES.md, Communication):
//! - Only members read or post in a room; to anyone else a room, its members and its messages do
//!   not exist (404), and the real-time stream leaves its events out.
//! - A direct room has exactly two members and is unique per pair (`directKey` = `<low>:<high>`
//!   user ids, a unique column): opening it again finds it. A coaching room belongs to one session
//!   ([`rooms::open_for_session`], unique `sessionId`). Neither changes members.
//! - A group room has one or more owners, who add and remove members and moderators; moderators
//!   add and remove members; anyone may leave, except the last owner while others remain.
//! - A message may be resent with the same `clientMessageId`: the first one is the answer (200),
//!   never a duplicate (unique per sender). Only the sender edits; the sender or a moderator or
//!   owner deletes, softly (the row stays, its content is emptied).
//! - Messages are paged on `(sentAt, id)` in both directions; unread = messages of others after
//!   the member's `lastReadAt` (or after joining), not deleted.
//! - Writers lock the room row first (sending updates `lastMessageAt` with that lock), so a
//!   message fans out to exactly the members the room has when it commits.

pub mod messages;
pub mod reads;
pub mod rooms;

use entity::chat::{chat_messages, chat_room_members, chat_rooms};
use entity::enums::ChatMemberRole;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::Result;
use crate::problem::NOT_FOUND;

/// Longest message, in characters.
pub const MAX_MESSAGE: usize = 4000;
/// Longest `clientMessageId` (the column's length).
pub const MAX_CLIENT_MESSAGE_ID: usize = 64;
/// Longest room name.
pub const MAX_ROOM_NAME: usize = 100;
/// Most members of a group room.
pub const MAX_GROUP_MEMBERS: usize = 100;

crate::problems! {
    pub MODERATOR_REQUIRED: Forbidden = "chat_moderator_required",
        "Only the room's owners and moderators can do this.",
        "Seuls les propriétaires et les modérateurs du salon peuvent effectuer cette action.";
    pub OWNER_REQUIRED: Forbidden = "chat_owner_required",
        "Only the room's owners can do this.",
        "Seuls les propriétaires du salon peuvent effectuer cette action.";
    pub MEMBERSHIP_FIXED: Conflict = "chat_membership_fixed",
        "The members of a direct or coaching conversation cannot change.",
        "Les membres d'une conversation directe ou d'accompagnement ne peuvent pas changer.";
    pub LAST_OWNER: Conflict = "chat_last_owner",
        "The last owner cannot leave while others remain; make someone else an owner first.",
        "Le dernier propriétaire ne peut pas partir tant que d'autres membres restent ; nommez d'abord un autre propriétaire.";
    pub ROOM_FULL: Conflict = "chat_room_full",
        "This room has reached its maximum number of members.",
        "Ce salon a atteint son nombre maximal de membres.";
    pub NOT_SENDER: Forbidden = "chat_not_sender",
        "Only the sender of a message can edit it.",
        "Seule la personne qui a envoyé un message peut le modifier.";
    pub MESSAGE_DELETED: Conflict = "chat_message_deleted",
        "This message was deleted.",
        "Ce message a été supprimé.";
    pub CLIENT_MESSAGE_ID_REUSED: Conflict = "client_message_id_reused",
        "You already used this clientMessageId for a message in another room.",
        "Vous avez déjà utilisé ce clientMessageId pour un message dans un autre salon.";
}

/// The caller's membership of a room, or 404 when there is none (the room exists for members
/// only).
pub async fn membership(
    db: &impl ConnectionTrait,
    room_id: i64,
    user_id: i64,
) -> Result<chat_room_members::Model> {
    chat_room_members::Entity::find()
        .filter(chat_room_members::Column::RoomId.eq(room_id))
        .filter(chat_room_members::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(NOT_FOUND.into())
}

/// The ids of a room's members.
pub async fn member_ids(db: &impl ConnectionTrait, room_id: i64) -> Result<Vec<i64>> {
    Ok(chat_room_members::Entity::find()
        .select_only()
        .column(chat_room_members::Column::UserId)
        .filter(chat_room_members::Column::RoomId.eq(room_id))
        .into_tuple()
        .all(db)
        .await?)
}

/// Tells the room's members, and `also` (someone who just left), of a change: a `kind` event
/// with `data` in each one's log, in the caller's transaction. Returns whom to wake after commit.
pub(crate) async fn tell_room(
    db: &impl ConnectionTrait,
    room_id: i64,
    also: &[i64],
    kind: &str,
    data: serde_json::Value,
) -> Result<Vec<i64>> {
    let mut recipients = member_ids(db, room_id).await?;
    recipients.extend_from_slice(also);
    crate::realtime::emit(db, &recipients, kind, data).await?;
    Ok(recipients)
}

/// The message `message_id` if it may still be told to `user_id`: not deleted, and the user
/// still a member of its room.
pub async fn deliverable(
    db: &impl ConnectionTrait,
    message_id: i64,
    user_id: i64,
) -> Result<Option<chat_messages::Model>> {
    let Some(message) = chat_messages::Entity::find_by_id(message_id)
        .filter(chat_messages::Column::DeletedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(membership(db, message.room_id, user_id)
        .await
        .is_ok()
        .then_some(message))
}

/// Whether a role moderates (owners and moderators).
pub fn moderates(role: ChatMemberRole) -> bool {
    matches!(role, ChatMemberRole::Owner | ChatMemberRole::Moderator)
}

/// Takes a deleted account out of chat (in the deletion's transaction): its memberships go,
/// rooms left without members go with their messages, and its messages in rooms shared with
/// others stay, anonymised (no sender, no client id): the others keep their conversation, are
/// told (`chat.membership` removed), and a group left without an owner gets one.
pub async fn erase_member(db: &impl ConnectionTrait, user_id: i64) -> Result<()> {
    use sea_orm::sea_query::{Expr, Query};
    let rooms: Vec<i64> = chat_room_members::Entity::find()
        .select_only()
        .column(chat_room_members::Column::RoomId)
        .filter(chat_room_members::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await?;
    chat_room_members::Entity::delete_many()
        .filter(chat_room_members::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if !rooms.is_empty() {
        chat_rooms::Entity::delete_many()
            .filter(chat_rooms::Column::Id.is_in(rooms.iter().copied()))
            .filter(
                chat_rooms::Column::Id.not_in_subquery(
                    Query::select()
                        .column(chat_room_members::Column::RoomId)
                        .from(chat_room_members::Entity)
                        .and_where(chat_room_members::Column::RoomId.is_in(rooms.iter().copied()))
                        .to_owned(),
                ),
            )
            .exec(db)
            .await?;
    }
    // The rooms that remain: their members learn who left, and a group that lost its last owner
    // gets one (its longest-standing moderator, else member).
    for room in rooms {
        let members = chat_room_members::Entity::find()
            .filter(chat_room_members::Column::RoomId.eq(room))
            .order_by_asc(chat_room_members::Column::JoinedAt)
            .order_by_asc(chat_room_members::Column::Id)
            .all(db)
            .await?;
        if members.is_empty() {
            continue;
        }
        if !members.iter().any(|m| m.role == ChatMemberRole::Owner) {
            let heir = members
                .iter()
                .find(|m| m.role == ChatMemberRole::Moderator)
                .or(members.first());
            let is_group = chat_rooms::Entity::find_by_id(room)
                .one(db)
                .await?
                .is_some_and(|r| r.r#type == entity::enums::ChatRoomType::Group);
            if let (true, Some(heir)) = (is_group, heir) {
                chat_room_members::Entity::update_many()
                    .col_expr(
                        chat_room_members::Column::Role,
                        Expr::value(ChatMemberRole::Owner),
                    )
                    .filter(chat_room_members::Column::Id.eq(heir.id))
                    .exec(db)
                    .await?;
            }
        }
        let ids: Vec<i64> = members.iter().map(|m| m.user_id).collect();
        crate::realtime::emit(
            db,
            &ids,
            crate::realtime::CHAT_MEMBERSHIP,
            serde_json::json!({"roomId": room, "action": "removed", "userId": user_id}),
        )
        .await?;
    }
    chat_messages::Entity::update_many()
        .col_expr(
            chat_messages::Column::SenderId,
            Expr::value(Option::<i64>::None),
        )
        .col_expr(
            chat_messages::Column::ClientMessageId,
            Expr::value(Option::<String>::None),
        )
        .filter(chat_messages::Column::SenderId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Locks the room row for the rest of the transaction (writers of one room run one at a time).
pub(crate) async fn lock_room(db: &impl ConnectionTrait, room_id: i64) -> Result<()> {
    crate::db::lock::<chat_rooms::Entity>(db, chat_rooms::Column::Id, room_id).await
}
