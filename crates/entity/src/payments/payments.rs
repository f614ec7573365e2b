//! `payments`: Payment records. Created `pending` at checkout; only a verified webhook marks them `succeeded`.

use crate::{enums::PaymentPurpose, enums::PaymentStatus};
use sea_orm::entity::prelude::*;

/// A row of `payments`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "payments", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    /// Total charged in cents, tax included.
    pub amount: i64,
    #[sea_orm(column_type = "Char(Some(3))")]
    pub currency: String,
    #[sea_orm(column_type = "String(StringLen::N(255))", unique, nullable)]
    pub stripe_payment_id: Option<String>,
    pub status: PaymentStatus,
    pub purpose: PaymentPurpose,
    /// Id of the course, path, session, plan or subscription plan bought.
    pub reference_id: i64,
    #[sea_orm(column_type = "String(StringLen::N(255))", unique, nullable)]
    pub stripe_checkout_session_id: Option<String>,
    pub tax_amount: i64,
    #[sea_orm(nullable)]
    pub application_fee_amount: Option<i64>,
    pub discount_amount: i64,
    pub refunded_amount: i64,
    /// References `coupons.id`.
    #[sea_orm(nullable)]
    pub coupon_id: Option<i64>,
    /// When Stripe confirmed the money; `None` while pending or failed.
    #[sea_orm(nullable)]
    pub paid_at: Option<DateTimeUtc>,
    /// When the open Checkout Session expires.
    #[sea_orm(nullable)]
    pub expires_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "String(StringLen::N(1024))", nullable)]
    pub checkout_url: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(512))", nullable)]
    pub failure_message: Option<String>,
    /// When the checkout could no longer be paid (expired at Stripe, or never created).
    #[sea_orm(nullable)]
    pub closed_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "String(StringLen::N(255))", nullable)]
    pub stripe_customer_id: Option<String>,
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
        belongs_to = "crate::payments::coupons::Entity",
        from = "Column::CouponId",
        to = "crate::payments::coupons::Column::Id",
        on_delete = "SetNull"
    )]
    Coupons,
    #[sea_orm(has_many = "crate::payments::refunds::Entity")]
    Refunds,
    #[sea_orm(has_many = "crate::payments::invoices::Entity")]
    Invoices,
    #[sea_orm(has_many = "crate::payments::coupon_redemptions::Entity")]
    CouponRedemptions,
    #[sea_orm(has_many = "crate::coaching::coaching_plan_purchases::Entity")]
    CoachingPlanPurchases,
    #[sea_orm(has_many = "crate::coaching::sessions::Entity")]
    Sessions,
    #[sea_orm(has_many = "crate::payments::payout_ledger::Entity")]
    PayoutLedger,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::payments::coupons::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Coupons.def()
    }
}

impl Related<crate::payments::refunds::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Refunds.def()
    }
}

impl Related<crate::payments::invoices::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invoices.def()
    }
}

impl Related<crate::payments::coupon_redemptions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CouponRedemptions.def()
    }
}

impl Related<crate::coaching::coaching_plan_purchases::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachingPlanPurchases.def()
    }
}

impl Related<crate::coaching::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl Related<crate::payments::payout_ledger::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PayoutLedger.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
