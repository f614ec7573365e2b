//! `couponRedemptions`: Coupon uses, recorded when the payment succeeds.

use sea_orm::entity::prelude::*;

/// A row of `couponRedemptions`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "couponRedemptions", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `coupons.id`.
    pub coupon_id: i64,
    /// References `users.id`.
    pub user_id: i64,
    /// References `payments.id`.
    #[sea_orm(unique)]
    pub payment_id: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::payments::coupons::Entity",
        from = "Column::CouponId",
        to = "crate::payments::coupons::Column::Id",
        on_delete = "Restrict"
    )]
    Coupons,
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::UserId",
        to = "crate::users::users::Column::Id",
        on_delete = "Restrict"
    )]
    Users,
    #[sea_orm(
        belongs_to = "crate::payments::payments::Entity",
        from = "Column::PaymentId",
        to = "crate::payments::payments::Column::Id",
        on_delete = "Restrict"
    )]
    Payments,
}

impl Related<crate::payments::coupons::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Coupons.def()
    }
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::payments::payments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Payments.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
