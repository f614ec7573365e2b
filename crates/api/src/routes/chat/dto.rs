//! Request and response types of the chat domain.

use chrono::{DateTime, Utc};
use entity::chat::{chat_messages, chat_room_members};
use entity::enums::{ChatMemberRole, ChatMessageType, ChatRoomType};
use serde::{Deserialize, Serialize};
use service::chat::{self, messages, reads, rooms};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::bounded::{Id, List, Text};

/// A room as one of its members sees it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoomDto {
    pub id: i64,
    pub r#type: ChatRoomType,
    /// Group rooms only.
    pub name: Option<String>,
    /// The coaching session of a coaching room.
    pub session_id: Option<i64>,
    /// The caller's role in the room.
    pub my_role: ChatMemberRole,
    /// When the latest message was sent (the room's creation before any): rooms are listed by it.
    pub last_message_at: Option<DateTime<Utc>>,
    /// The caller's read marker.
    pub last_read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<rooms::RoomView> for RoomDto {
    fn from(v: rooms::RoomView) -> Self {
        Self {
            id: v.room.id,
            r#type: v.room.r#type,
            name: v.room.name,
            session_id: v.room.session_id,
            my_role: v.membership.role,
            last_message_at: v.room.last_message_at,
            last_read_at: v.membership.last_read_at,
            created_at: v.room.created_at,
        }
    }
}

/// A room with its members.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoomDetailDto {
    #[serde(flatten)]
    pub room: RoomDto,
    pub members: Vec<MemberDto>,
}

/// A member of a room.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberDto {
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub role: ChatMemberRole,
    pub joined_at: DateTime<Utc>,
    pub last_read_at: Option<DateTime<Utc>>,
}

impl From<rooms::Member> for MemberDto {
    fn from(m: rooms::Member) -> Self {
        let chat_room_members::Model {
            user_id,
            role,
            joined_at,
            last_read_at,
            ..
        } = m.membership;
        Self {
            user_id,
            first_name: m.first_name,
            last_name: m.last_name,
            role,
            joined_at,
            last_read_at,
        }
    }
}

/// A new room: the direct conversation with one person (found if it exists), or a group.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "lowercase", try_from = "RawCreateRoom")]
#[schema(example = json!({"type": "direct", "userId": 12}))]
pub enum CreateRoomRequest {
    /// The conversation between the caller and `userId`.
    Direct {
        #[serde(rename = "userId")]
        user_id: Id,
    },
    /// A group owned by the caller, with the other members listed.
    Group {
        name: Text<1, { chat::MAX_ROOM_NAME }>,
        /// The other members (the caller is the owner).
        #[serde(rename = "memberIds")]
        member_ids: Option<List<Id, 0, { chat::MAX_GROUP_MEMBERS - 1 }>>,
    },
}

/// A member to add, or whose role to change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"userId": 12, "role": "member"}))]
pub struct AddMemberRequest {
    pub user_id: Id,
    /// `member` when omitted; only owners give other roles.
    #[serde(default = "member")]
    pub role: ChatMemberRole,
}

/// [`CreateRoomRequest`] as read: one struct, so that a bad field is named by its path (a tagged
/// enum buffers its content and loses it).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawCreateRoom {
    r#type: RoomKind,
    user_id: Option<Id>,
    name: Option<Text<1, { chat::MAX_ROOM_NAME }>>,
    member_ids: Option<List<Id, 0, { chat::MAX_GROUP_MEMBERS - 1 }>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RoomKind {
    Direct,
    Group,
}

impl TryFrom<RawCreateRoom> for CreateRoomRequest {
    type Error = String;

    // The messages are serde's own, so that the field is named as for any other body.
    fn try_from(raw: RawCreateRoom) -> Result<Self, String> {
        let unknown = |name: &str| format!("unknown field `{name}`");
        match raw.r#type {
            RoomKind::Direct => {
                if raw.name.is_some() {
                    return Err(unknown("name"));
                }
                if raw.member_ids.is_some() {
                    return Err(unknown("memberIds"));
                }
                let user_id = raw.user_id.ok_or("missing field `userId`")?;
                Ok(Self::Direct { user_id })
            }
            RoomKind::Group => {
                if raw.user_id.is_some() {
                    return Err(unknown("userId"));
                }
                let name = raw.name.ok_or("missing field `name`")?;
                Ok(Self::Group {
                    name,
                    member_ids: raw.member_ids,
                })
            }
        }
    }
}

// Bounds are checked by the field types while the body is read.
impl Validate for CreateRoomRequest {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        Ok(())
    }
}

fn member() -> ChatMemberRole {
    ChatMemberRole::Member
}

/// A message.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageDto {
    pub id: i64,
    pub room_id: i64,
    /// Null once the sender's account is deleted.
    pub sender_id: Option<i64>,
    /// Empty once deleted.
    pub content: String,
    pub r#type: ChatMessageType,
    pub sent_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub client_message_id: Option<String>,
    /// This message's position: pass it as `before` or `after` to page from here.
    pub cursor: String,
}

impl From<chat_messages::Model> for MessageDto {
    fn from(m: chat_messages::Model) -> Self {
        Self {
            cursor: messages::cursor_of(&m).encode(),
            id: m.id,
            room_id: m.room_id,
            sender_id: m.sender_id,
            content: m.content,
            r#type: m.r#type,
            sent_at: m.sent_at,
            edited_at: m.edited_at,
            deleted_at: m.deleted_at,
            client_message_id: m.client_message_id,
        }
    }
}

/// A message to send.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"content": "Bonjour ! On se voit jeudi ?", "clientMessageId": "7f9c2d1e-0b6a-4c1f-9d7e-2a5b8c3d4e6f"}))]
pub struct SendMessageRequest {
    pub content: Text<1, { chat::MAX_MESSAGE }>,
    /// The client's id for this message (e.g. a UUID): sending again with it returns the first
    /// message (200) instead of a duplicate.
    pub client_message_id: Option<Text<1, { chat::MAX_CLIENT_MESSAGE_ID }>>,
}

impl From<SendMessageRequest> for messages::NewMessage {
    fn from(r: SendMessageRequest) -> Self {
        Self {
            content: r.content.into(),
            client_message_id: r.client_message_id.map(Into::into),
        }
    }
}

/// New content of a message.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"content": "Bonjour ! On se voit vendredi ?"}))]
pub struct EditMessageRequest {
    pub content: Text<1, { chat::MAX_MESSAGE }>,
}

/// Which messages to read: the latest (no cursor), those `before` a cursor (older, newest
/// first) or those `after` one (newer, oldest first).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessagesQuery {
    /// Page size, 1-100 (default 50).
    #[param(minimum = 1, maximum = 100, default = 50)]
    pub limit: Option<u64>,
    /// A message's `cursor` (or a page's `nextCursor`): older messages.
    pub before: Option<Text<1, 256>>,
    /// A message's `cursor` (or a page's `nextCursor`): newer messages.
    pub after: Option<Text<1, 256>>,
}

/// Where to move the read marker.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"messageId": 981}))]
pub struct ReadRequest {
    /// The last message read; the room's latest message when omitted.
    pub message_id: Option<Id>,
}

/// A read marker.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadMarkerDto {
    pub room_id: i64,
    pub last_read_at: Option<DateTime<Utc>>,
    pub last_read_message_id: Option<i64>,
    /// Messages of others after the marker.
    pub unread_count: i64,
}

impl From<reads::Marker> for ReadMarkerDto {
    fn from(m: reads::Marker) -> Self {
        Self {
            room_id: m.room_id,
            last_read_at: m.last_read_at,
            last_read_message_id: m.last_read_message_id,
            unread_count: m.unread,
        }
    }
}

/// Unread messages of one room.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoomUnreadDto {
    pub room_id: i64,
    pub unread_count: i64,
}

/// Unread messages in total and per room (rooms without unread messages are left out).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnreadDto {
    pub total: i64,
    pub rooms: Vec<RoomUnreadDto>,
}

impl From<reads::Unread> for UnreadDto {
    fn from(u: reads::Unread) -> Self {
        Self {
            total: u.total,
            rooms: u
                .rooms
                .into_iter()
                .map(|(room_id, unread_count)| RoomUnreadDto {
                    room_id,
                    unread_count,
                })
                .collect(),
        }
    }
}
