//! `sessionRecordings`: Video recordings, visible only to the session's participants and admins.

use sea_orm::entity::prelude::*;

/// A row of `sessionRecordings`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sessionRecordings", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `sessions.id`.
    pub session_id: i64,
    #[sea_orm(column_type = "String(StringLen::N(1024))")]
    pub recording_url: String,
    /// Seconds.
    pub duration: i32,
    #[sea_orm(nullable)]
    pub expires_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::coaching::sessions::Entity",
        from = "Column::SessionId",
        to = "crate::coaching::sessions::Column::Id",
        on_delete = "Cascade"
    )]
    Sessions,
}

impl Related<crate::coaching::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
