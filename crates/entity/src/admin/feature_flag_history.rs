//! `featureFlagHistory`: Change log of feature flags.

use sea_orm::entity::prelude::*;

/// A row of `featureFlagHistory`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "featureFlagHistory", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `featureFlags.id`.
    #[sea_orm(nullable)]
    pub flag_id: Option<i64>,
    #[sea_orm(column_type = "String(StringLen::N(100))")]
    pub flag_key: String,
    #[sea_orm(column_type = "String(StringLen::N(32))")]
    pub action: String,
    #[sea_orm(nullable)]
    pub before: Option<Json>,
    #[sea_orm(nullable)]
    pub after: Option<Json>,
    /// References `users.id`.
    #[sea_orm(nullable)]
    pub changed_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::admin::feature_flags::Entity",
        from = "Column::FlagId",
        to = "crate::admin::feature_flags::Column::Id",
        on_delete = "SetNull"
    )]
    FeatureFlags,
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::ChangedBy",
        to = "crate::users::users::Column::Id",
        on_delete = "SetNull"
    )]
    Users,
}

impl Related<crate::admin::feature_flags::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FeatureFlags.def()
    }
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
