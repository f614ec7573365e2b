//! `coachingPlanPurchases`: A learner's package balance.

use crate::enums::PlanPurchaseStatus;
use sea_orm::entity::prelude::*;

/// A row of `coachingPlanPurchases`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "coachingPlanPurchases", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    /// References `coachingPlans.id`.
    pub plan_id: i64,
    pub remaining_sessions: i32,
    pub expires_at: DateTimeUtc,
    pub status: PlanPurchaseStatus,
    /// References `payments.id`.
    #[sea_orm(nullable)]
    pub payment_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::UserId",
        to = "crate::users::users::Column::Id",
        on_delete = "Restrict"
    )]
    Users,
    #[sea_orm(
        belongs_to = "crate::coaching::coaching_plans::Entity",
        from = "Column::PlanId",
        to = "crate::coaching::coaching_plans::Column::Id",
        on_delete = "Restrict"
    )]
    CoachingPlans,
    #[sea_orm(
        belongs_to = "crate::payments::payments::Entity",
        from = "Column::PaymentId",
        to = "crate::payments::payments::Column::Id",
        on_delete = "SetNull"
    )]
    Payments,
    #[sea_orm(has_many = "crate::coaching::sessions::Entity")]
    Sessions,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::coaching::coaching_plans::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachingPlans.def()
    }
}

impl Related<crate::payments::payments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Payments.def()
    }
}

impl Related<crate::coaching::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
