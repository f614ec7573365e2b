//! `notificationPreferences`: Per-user channel and category switches.

use sea_orm::entity::prelude::*;

/// A row of `notificationPreferences`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notificationPreferences", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    #[sea_orm(unique)]
    pub user_id: i64,
    pub email_enabled: bool,
    pub push_enabled: bool,
    pub categories: Json,
    #[sea_orm(column_type = "String(StringLen::N(5))", nullable)]
    pub quiet_hours_start: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(5))", nullable)]
    pub quiet_hours_end: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub timezone: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
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
