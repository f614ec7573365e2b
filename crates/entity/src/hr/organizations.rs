//! `organizations`: Client departments (B2B) that pay for their staff.

use crate::enums::OrganizationStatus;
use sea_orm::entity::prelude::*;

/// A row of `organizations`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub name: String,
    #[sea_orm(column_type = "String(StringLen::N(191))", unique)]
    pub slug: String,
    pub status: OrganizationStatus,
    #[sea_orm(column_type = "String(StringLen::N(255))", nullable)]
    pub billing_email: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "crate::hr::organization_members::Entity")]
    OrganizationMembers,
    #[sea_orm(has_many = "crate::reports::generated_reports::Entity")]
    GeneratedReports,
    #[sea_orm(has_many = "crate::hr::budget_forecasts::Entity")]
    BudgetForecasts,
}

impl Related<crate::hr::organization_members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrganizationMembers.def()
    }
}

impl Related<crate::reports::generated_reports::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::GeneratedReports.def()
    }
}

impl Related<crate::hr::budget_forecasts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::BudgetForecasts.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
