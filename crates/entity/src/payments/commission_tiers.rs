//! `commissionTiers`: Platform fee tiers by hours taught.

use sea_orm::entity::prelude::*;

/// A row of `commissionTiers`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "commissionTiers", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "String(StringLen::N(100))")]
    pub name: String,
    pub min_hours: i32,
    /// Exclusive upper bound; NULL = no upper bound.
    #[sea_orm(nullable)]
    pub max_hours: Option<i32>,
    /// Platform fee in basis points.
    pub fee_bps: i32,
    pub sle_verified_only: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
