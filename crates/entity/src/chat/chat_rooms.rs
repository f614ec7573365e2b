//! `chatRooms`: Chat rooms: direct (exactly two members, unique per pair), group, or coaching (one per session).

use crate::enums::ChatRoomType;
use sea_orm::entity::prelude::*;

/// A row of `chatRooms`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chatRooms", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "String(StringLen::N(255))", nullable)]
    pub name: Option<String>,
    pub r#type: ChatRoomType,
    /// References `users.id`.
    #[sea_orm(nullable)]
    pub created_by: Option<i64>,
    /// References `sessions.id`.
    #[sea_orm(unique, nullable)]
    pub session_id: Option<i64>,
    /// `<smaller user id>:<larger user id>` for direct rooms; enforces one room per pair.
    #[sea_orm(column_type = "String(StringLen::N(64))", unique, nullable)]
    pub direct_key: Option<String>,
    #[sea_orm(nullable)]
    pub last_message_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::CreatedBy",
        to = "crate::users::users::Column::Id",
        on_delete = "SetNull"
    )]
    Users,
    #[sea_orm(
        belongs_to = "crate::coaching::sessions::Entity",
        from = "Column::SessionId",
        to = "crate::coaching::sessions::Column::Id",
        on_delete = "SetNull"
    )]
    Sessions,
    #[sea_orm(has_many = "crate::chat::chat_messages::Entity")]
    ChatMessages,
    #[sea_orm(has_many = "crate::chat::chat_room_members::Entity")]
    ChatRoomMembers,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::coaching::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl Related<crate::chat::chat_messages::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChatMessages.def()
    }
}

impl Related<crate::chat::chat_room_members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChatRoomMembers.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
