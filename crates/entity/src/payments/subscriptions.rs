//! `subscriptions`: Subscriptions mirrored from Stripe.

use crate::enums::SubscriptionStatus;
use sea_orm::entity::prelude::*;

/// A row of `subscriptions`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    #[sea_orm(column_type = "String(StringLen::N(255))", unique)]
    pub stripe_subscription_id: String,
    #[sea_orm(column_type = "String(StringLen::N(255))", nullable)]
    pub stripe_customer_id: Option<String>,
    /// `subscriptionPlans.code`.
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub plan: String,
    pub status: SubscriptionStatus,
    #[sea_orm(nullable)]
    pub current_period_end: Option<DateTimeUtc>,
    pub cancel_at_period_end: bool,
    /// References `payments.id`: the checkout payment that started it.
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
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
