//! `errorLogs`: Unhandled (5xx) errors with their request context.

use sea_orm::entity::prelude::*;

/// A row of `errorLogs`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "errorLogs", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "String(StringLen::N(16))")]
    pub level: String,
    #[sea_orm(column_type = "Text")]
    pub message: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub stack: Option<String>,
    /// References `users.id`.
    #[sea_orm(nullable)]
    pub user_id: Option<i64>,
    pub timestamp: DateTimeUtc,
    #[sea_orm(column_type = "String(StringLen::N(64))", nullable)]
    pub request_id: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(512))", nullable)]
    pub path: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(10))", nullable)]
    pub method: Option<String>,
    #[sea_orm(nullable)]
    pub status: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::UserId",
        to = "crate::users::users::Column::Id",
        on_delete = "SetNull"
    )]
    Users,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
