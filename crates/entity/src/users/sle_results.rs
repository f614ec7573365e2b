//! `sleResults`: Second Language Evaluation results of a learner.

use crate::{enums::SleLevel, enums::SleSkill, enums::SleSource};
use sea_orm::entity::prelude::*;

/// A row of `sleResults`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sleResults", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    pub skill: SleSkill,
    pub level: SleLevel,
    #[sea_orm(nullable)]
    pub tested_at: Option<Date>,
    #[sea_orm(nullable)]
    pub expires_at: Option<Date>,
    pub source: SleSource,
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
