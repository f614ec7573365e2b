//! `notifications`: In-app notifications created by domain events.

use sea_orm::entity::prelude::*;

/// A row of `notifications`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub r#type: String,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub message: String,
    pub read: bool,
    #[sea_orm(nullable)]
    pub data: Option<Json>,
    #[sea_orm(nullable)]
    pub read_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// What the notification is for (the job that created it), unique per user: a job that runs
    /// again finds it and notifies nobody twice.
    #[sea_orm(column_type = "String(StringLen::N(191))", nullable)]
    pub dedupe_key: Option<String>,
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
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
