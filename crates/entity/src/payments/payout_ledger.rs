//! `payoutLedger`: Coach money movements (signed cents).

use crate::{enums::LedgerStatus, enums::LedgerType};
use sea_orm::entity::prelude::*;

/// A row of `payoutLedger`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "payoutLedger", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `coachProfiles.id`.
    pub coach_id: i64,
    /// References `sessions.id`.
    #[sea_orm(nullable)]
    pub session_id: Option<i64>,
    /// References `payments.id`.
    #[sea_orm(nullable)]
    pub payment_id: Option<i64>,
    /// References `refunds.id`.
    #[sea_orm(nullable)]
    pub refund_id: Option<i64>,
    pub r#type: LedgerType,
    pub gross_amount: i64,
    pub fee_amount: i64,
    pub net_amount: i64,
    #[sea_orm(column_type = "Char(Some(3))")]
    pub currency: String,
    pub status: LedgerStatus,
    #[sea_orm(column_type = "String(StringLen::N(255))", nullable)]
    pub stripe_transfer_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::coaching::coach_profiles::Entity",
        from = "Column::CoachId",
        to = "crate::coaching::coach_profiles::Column::Id",
        on_delete = "Restrict"
    )]
    CoachProfiles,
    #[sea_orm(
        belongs_to = "crate::coaching::sessions::Entity",
        from = "Column::SessionId",
        to = "crate::coaching::sessions::Column::Id",
        on_delete = "SetNull"
    )]
    Sessions,
    #[sea_orm(
        belongs_to = "crate::payments::payments::Entity",
        from = "Column::PaymentId",
        to = "crate::payments::payments::Column::Id",
        on_delete = "SetNull"
    )]
    Payments,
    #[sea_orm(
        belongs_to = "crate::payments::refunds::Entity",
        from = "Column::RefundId",
        to = "crate::payments::refunds::Column::Id",
        on_delete = "SetNull"
    )]
    Refunds,
}

impl Related<crate::coaching::coach_profiles::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachProfiles.def()
    }
}

impl Related<crate::coaching::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl Related<crate::payments::payments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Payments.def()
    }
}

impl Related<crate::payments::refunds::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Refunds.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
