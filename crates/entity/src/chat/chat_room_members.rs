//! `chatRoomMembers`: Room membership and read markers.

use crate::enums::ChatMemberRole;
use sea_orm::entity::prelude::*;

/// A row of `chatRoomMembers`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chatRoomMembers", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `chatRooms.id`.
    pub room_id: i64,
    /// References `users.id`.
    pub user_id: i64,
    pub role: ChatMemberRole,
    pub joined_at: DateTimeUtc,
    #[sea_orm(nullable)]
    pub last_read_at: Option<DateTimeUtc>,
    /// References `chatMessages.id`.
    #[sea_orm(nullable)]
    pub last_read_message_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::chat::chat_rooms::Entity",
        from = "Column::RoomId",
        to = "crate::chat::chat_rooms::Column::Id",
        on_delete = "Cascade"
    )]
    ChatRooms,
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::UserId",
        to = "crate::users::users::Column::Id",
        on_delete = "Cascade"
    )]
    Users,
    #[sea_orm(
        belongs_to = "crate::chat::chat_messages::Entity",
        from = "Column::LastReadMessageId",
        to = "crate::chat::chat_messages::Column::Id",
        on_delete = "SetNull"
    )]
    ChatMessages,
}

impl Related<crate::chat::chat_rooms::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChatRooms.def()
    }
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::chat::chat_messages::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChatMessages.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
