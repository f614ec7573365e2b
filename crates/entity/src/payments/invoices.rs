//! `invoices`: Invoices issued for payments.

use crate::enums::InvoiceStatus;
use sea_orm::entity::prelude::*;

/// A row of `invoices`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    /// References `payments.id`.
    #[sea_orm(nullable)]
    pub payment_id: Option<i64>,
    pub amount: i64,
    #[sea_orm(nullable)]
    pub paid_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "String(StringLen::N(32))", unique)]
    pub number: String,
    #[sea_orm(column_type = "String(StringLen::N(255))", unique, nullable)]
    pub stripe_invoice_id: Option<String>,
    pub status: InvoiceStatus,
    pub tax_amount: i64,
    #[sea_orm(column_type = "Char(Some(3))")]
    pub currency: String,
    #[sea_orm(column_type = "String(StringLen::N(512))", nullable)]
    pub pdf_path: Option<String>,
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
        belongs_to = "crate::payments::payments::Entity",
        from = "Column::PaymentId",
        to = "crate::payments::payments::Column::Id",
        on_delete = "SetNull"
    )]
    Payments,
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
