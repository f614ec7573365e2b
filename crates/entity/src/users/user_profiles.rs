//! `userProfiles`: Extended profile of a user (one row per user).

use crate::enums::TargetLanguage;
use sea_orm::entity::prelude::*;

/// A row of `userProfiles`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "userProfiles", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    #[sea_orm(unique)]
    pub user_id: i64,
    #[sea_orm(column_type = "Text", nullable)]
    pub bio: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(1024))", nullable)]
    pub avatar: Option<String>,
    /// IANA time zone, `America/Toronto` by default.
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub timezone: String,
    #[sea_orm(column_type = "String(StringLen::N(32))", nullable)]
    pub phone: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(255))", nullable)]
    pub department: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(255))", nullable)]
    pub position: Option<String>,
    #[sea_orm(nullable)]
    pub target_language: Option<TargetLanguage>,
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
