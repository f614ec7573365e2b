//! `coachingPlans`: Prepaid packages of coaching sessions.

use sea_orm::entity::prelude::*;

/// A row of `coachingPlans`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "coachingPlans", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub name: String,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub name_fr: String,
    pub sessions_included: i32,
    pub validity_days: i32,
    pub price: i64,
    #[sea_orm(column_type = "Char(Some(3))")]
    pub currency: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "crate::coaching::coaching_plan_purchases::Entity")]
    CoachingPlanPurchases,
}

impl Related<crate::coaching::coaching_plan_purchases::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachingPlanPurchases.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
