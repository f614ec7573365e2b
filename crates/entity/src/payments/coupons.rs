//! `coupons`: Promotion codes, validated at checkout and redeemed on payment success only.

use crate::{enums::CouponKind, enums::CouponScope};
use sea_orm::entity::prelude::*;

/// A row of `coupons`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "coupons", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "String(StringLen::N(64))", unique)]
    pub code: String,
    pub kind: CouponKind,
    /// Percent (0-100) or cents, by `kind`.
    pub value: i64,
    #[sea_orm(nullable)]
    pub max_uses: Option<i32>,
    #[sea_orm(nullable)]
    pub max_uses_per_user: Option<i32>,
    pub used_count: i32,
    #[sea_orm(nullable)]
    pub valid_from: Option<DateTimeUtc>,
    #[sea_orm(nullable)]
    pub valid_until: Option<DateTimeUtc>,
    pub applies_to: CouponScope,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "crate::payments::payments::Entity")]
    Payments,
    #[sea_orm(has_many = "crate::payments::coupon_redemptions::Entity")]
    CouponRedemptions,
}

impl Related<crate::payments::payments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Payments.def()
    }
}

impl Related<crate::payments::coupon_redemptions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CouponRedemptions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
