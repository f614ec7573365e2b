//! What payments need beyond the first schema:
//! - `payments.paidAt`: when Stripe confirmed the money (the fact the status is derived from,
//!   together with `refundedAmount`), so that events arriving in any order converge;
//! - `payments.expiresAt` and `payments.checkoutUrl`: the open Checkout Session a pending payment
//!   waits on (a pending payment with a coupon reserves one use of it until then);
//! - `payments.failureMessage`: Stripe's reason for a failed attempt (the checkout may still be
//!   paid after it);
//! - `payments.closedAt`: when the checkout could no longer be paid (Stripe expired it, or never
//!   created it);
//! - `payments.stripeCustomerId`: the Stripe customer who paid (the customer portal needs it);
//! - `subscriptions.paymentId`: the checkout payment that started the subscription.

use sea_orm_migration::prelude::*;

use crate::support::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column definition) of every column added, in order.
fn columns(backend: DatabaseBackend) -> Vec<(&'static str, &'static str, ColumnDef)> {
    vec![
        (
            "payments",
            "paidAt",
            timestamp(backend, "paidAt").null().to_owned(),
        ),
        (
            "payments",
            "expiresAt",
            timestamp(backend, "expiresAt").null().to_owned(),
        ),
        (
            "payments",
            "closedAt",
            timestamp(backend, "closedAt").null().to_owned(),
        ),
        (
            "payments",
            "checkoutUrl",
            string("checkoutUrl", 1024).null().to_owned(),
        ),
        (
            "payments",
            "failureMessage",
            string("failureMessage", 512).null().to_owned(),
        ),
        (
            "payments",
            "stripeCustomerId",
            string("stripeCustomerId", 255).null().to_owned(),
        ),
        (
            "subscriptions",
            "paymentId",
            big("paymentId").null().to_owned(),
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for (table, name, mut column) in columns(manager.get_database_backend()) {
            if !manager.has_column(table, name).await? {
                manager
                    .alter_table(
                        Table::alter()
                            .table(table)
                            .add_column(&mut column)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, _) in columns(manager.get_database_backend()).into_iter().rev() {
            if manager.has_column(table, name).await? {
                manager
                    .alter_table(Table::alter().table(table).drop_column(name).to_owned())
                    .await?;
            }
        }
        Ok(())
    }
}
