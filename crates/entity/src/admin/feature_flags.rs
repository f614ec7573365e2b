//! `featureFlags`: Feature toggles evaluated per user (roles, allow-list, stable percentage rollout).

use sea_orm::entity::prelude::*;

/// A row of `featureFlags`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "featureFlags", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "String(StringLen::N(100))", unique)]
    pub key: String,
    pub enabled: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    /// Roles the flag applies to; empty = all.
    pub roles: Json,
    pub rollout_percentage: i32,
    /// Users for whom the flag is always on.
    pub user_ids: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "crate::admin::feature_flag_history::Entity")]
    FeatureFlagHistory,
}

impl Related<crate::admin::feature_flag_history::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FeatureFlagHistory.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
