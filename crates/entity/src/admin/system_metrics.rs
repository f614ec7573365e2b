//! `systemMetrics`: Sampled performance metrics.

use sea_orm::entity::prelude::*;

/// A row of `systemMetrics`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "systemMetrics", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "String(StringLen::N(128))")]
    pub metric: String,
    pub value: f64,
    pub timestamp: DateTimeUtc,
    #[sea_orm(nullable)]
    pub labels: Option<Json>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
