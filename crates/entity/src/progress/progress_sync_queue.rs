//! `progressSyncQueue`: Every offline progress operation received, keyed by (userId, clientOpId) so that a replay changes nothing.

use crate::enums::SyncStatus;
use sea_orm::entity::prelude::*;

/// A row of `progressSyncQueue`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "progressSyncQueue", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    /// NULL when the operation named an unknown lesson (kept in `data`).
    #[sea_orm(nullable)]
    pub lesson_id: Option<i64>,
    /// The operation as received.
    pub data: Json,
    pub synced_at: DateTimeUtc,
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub client_op_id: String,
    #[sea_orm(column_type = "String(StringLen::N(128))", nullable)]
    pub device_id: Option<String>,
    pub status: SyncStatus,
    /// Problem code of a rejected operation.
    #[sea_orm(column_type = "String(StringLen::N(64))", nullable)]
    pub error: Option<String>,
    /// The first answer, replayed verbatim.
    #[sea_orm(nullable)]
    pub result: Option<Json>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::UserId",
        to = "crate::users::users::Column::Id",
        on_delete = "Cascade"
    )]
    Users,
    #[sea_orm(
        belongs_to = "crate::courses::lessons::Entity",
        from = "Column::LessonId",
        to = "crate::courses::lessons::Column::Id",
        on_delete = "SetNull"
    )]
    Lessons,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::courses::lessons::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lessons.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
