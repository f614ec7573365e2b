//! `chatMessages`: Chat messages, paginated on (sentAt, id).

use crate::enums::ChatMessageType;
use sea_orm::entity::prelude::*;

/// A row of `chatMessages`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chatMessages", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `chatRooms.id`.
    pub room_id: i64,
    /// References `users.id`.
    #[sea_orm(nullable)]
    pub sender_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub r#type: ChatMessageType,
    pub sent_at: DateTimeUtc,
    #[sea_orm(nullable)]
    pub edited_at: Option<DateTimeUtc>,
    #[sea_orm(nullable)]
    pub deleted_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "String(StringLen::N(64))", nullable)]
    pub client_message_id: Option<String>,
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
        from = "Column::SenderId",
        to = "crate::users::users::Column::Id",
        on_delete = "SetNull"
    )]
    Users,
    #[sea_orm(has_many = "crate::chat::chat_room_members::Entity")]
    ChatRoomMembers,
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

impl Related<crate::chat::chat_room_members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChatRoomMembers.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
