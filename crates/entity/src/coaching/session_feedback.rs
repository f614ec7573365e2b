//! `sessionFeedback`: Post-session feedback, once per participant.

use sea_orm::entity::prelude::*;

/// A row of `sessionFeedback`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sessionFeedback", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `sessions.id`.
    pub session_id: i64,
    /// 1-5.
    pub rating: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    /// References `users.id`.
    pub from_user_id: i64,
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
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::FromUserId",
        to = "crate::users::users::Column::Id",
        on_delete = "Restrict"
    )]
    Users,
}

impl Related<crate::coaching::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
