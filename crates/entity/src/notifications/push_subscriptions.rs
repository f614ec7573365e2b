//! `pushSubscriptions`: Web Push subscriptions of a user's browsers and devices.

use crate::Secret;
use sea_orm::entity::prelude::*;

/// A row of `pushSubscriptions`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pushSubscriptions", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    #[sea_orm(column_type = "String(StringLen::N(512))")]
    pub endpoint: String,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub p256dh: String,
    /// SECRET: Web Push auth secret of the subscription.
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub auth: Secret,
    #[sea_orm(column_type = "String(StringLen::N(512))", nullable)]
    pub user_agent: Option<String>,
    #[sea_orm(nullable)]
    pub last_success_at: Option<DateTimeUtc>,
    pub failure_count: i32,
    pub active: bool,
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
