//! `budgetForecasts`: HR budget forecasts per organisation, period and category.

use sea_orm::entity::prelude::*;

/// A row of `budgetForecasts`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "budgetForecasts", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `YYYY` or `YYYY-Qn`.
    #[sea_orm(column_type = "String(StringLen::N(7))")]
    pub period: String,
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub category: String,
    /// Planned amount in cents.
    pub amount: i64,
    /// References `users.id`.
    pub created_by: i64,
    /// References `organizations.id`.
    pub organization_id: i64,
    #[sea_orm(nullable)]
    pub actual_amount: Option<i64>,
    #[sea_orm(column_type = "Char(Some(3))")]
    pub currency: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::CreatedBy",
        to = "crate::users::users::Column::Id",
        on_delete = "Restrict"
    )]
    Users,
    #[sea_orm(
        belongs_to = "crate::hr::organizations::Entity",
        from = "Column::OrganizationId",
        to = "crate::hr::organizations::Column::Id",
        on_delete = "Cascade"
    )]
    Organizations,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::hr::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizations.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
