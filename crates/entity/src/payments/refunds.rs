//! `refunds`: Refunds of payments.

use crate::enums::RefundStatus;
use sea_orm::entity::prelude::*;

/// A row of `refunds`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "refunds", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `payments.id`.
    pub payment_id: i64,
    pub amount: i64,
    #[sea_orm(column_type = "String(StringLen::N(255))", nullable)]
    pub reason: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(255))", unique, nullable)]
    pub stripe_refund_id: Option<String>,
    pub status: RefundStatus,
    /// References `users.id`.
    #[sea_orm(nullable)]
    pub requested_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::payments::payments::Entity",
        from = "Column::PaymentId",
        to = "crate::payments::payments::Column::Id",
        on_delete = "Restrict"
    )]
    Payments,
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::RequestedBy",
        to = "crate::users::users::Column::Id",
        on_delete = "SetNull"
    )]
    Users,
    #[sea_orm(has_many = "crate::payments::payout_ledger::Entity")]
    PayoutLedger,
}

impl Related<crate::payments::payments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Payments.def()
    }
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::payments::payout_ledger::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PayoutLedger.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
