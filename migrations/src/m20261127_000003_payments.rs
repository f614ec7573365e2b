//! Creates the payments tables: `coupons`, `payments`, `refunds`, `subscriptionPlans`, `subscriptions`, `invoices`, `couponRedemptions`, `commissionTiers`, `webhookEvents`.

use sea_orm_migration::prelude::*;

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();

        // coupons: Promotion codes, validated at checkout and redeemed on payment success only.
        manager
            .create_table(
                Table::create()
                    .table("coupons")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("code", 64).not_null())
                    .col(enumeration("kind").not_null())
                    .col(big("value").not_null())
                    .col(int("maxUses").null())
                    .col(int("maxUsesPerUser").null())
                    .col(int("usedCount").not_null())
                    .col(timestamp(backend, "validFrom").null())
                    .col(timestamp(backend, "validUntil").null())
                    .col(enumeration("appliesTo").not_null())
                    .col(boolean("active").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "coupons",
            "ux_coupons_code",
            &["code"],
            Unique::Yes,
        )
        .await?;

        // payments: Payment records. Created `pending` at checkout; only a verified webhook marks them `succeeded`.
        manager
            .create_table(
                Table::create()
                    .table("payments")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(big("amount").not_null())
                    .col(currency("currency").not_null())
                    .col(string("stripePaymentId", 255).null())
                    .col(enumeration("status").not_null())
                    .col(enumeration("purpose").not_null())
                    .col(big("referenceId").not_null())
                    .col(string("stripeCheckoutSessionId", 255).null())
                    .col(big("taxAmount").not_null())
                    .col(big("applicationFeeAmount").null())
                    .col(big("discountAmount").not_null())
                    .col(big("refundedAmount").not_null())
                    .col(big("couponId").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "payments",
                        "userId",
                        "users",
                        OnDelete::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "payments",
                        "couponId",
                        "coupons",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "payments",
            "ux_payments_stripePaymentId",
            &["stripePaymentId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "payments",
            "ux_payments_stripeCheckoutSessionId",
            &["stripeCheckoutSessionId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "payments",
            "ix_payments_userId_createdAt",
            &["userId", "createdAt"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "payments",
            "ix_payments_couponId",
            &["couponId"],
            Unique::No,
        )
        .await?;

        // refunds: Refunds of payments.
        manager
            .create_table(
                Table::create()
                    .table("refunds")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("paymentId").not_null())
                    .col(big("amount").not_null())
                    .col(string("reason", 255).null())
                    .col(string("stripeRefundId", 255).null())
                    .col(enumeration("status").not_null())
                    .col(big("requestedBy").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "refunds",
                        "paymentId",
                        "payments",
                        OnDelete::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "refunds",
                        "requestedBy",
                        "users",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "refunds",
            "ux_refunds_stripeRefundId",
            &["stripeRefundId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "refunds",
            "ix_refunds_paymentId",
            &["paymentId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "refunds",
            "ix_refunds_requestedBy",
            &["requestedBy"],
            Unique::No,
        )
        .await?;

        // subscriptionPlans: Sellable subscription plans.
        manager
            .create_table(
                Table::create()
                    .table("subscriptionPlans")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("code", 64).not_null())
                    .col(string("name", 255).not_null())
                    .col(string("nameFr", 255).not_null())
                    .col(enumeration("interval").not_null())
                    .col(big("price").not_null())
                    .col(currency("currency").not_null())
                    .col(string("stripePriceId", 255).null())
                    .col(boolean("active").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "subscriptionPlans",
            "ux_subscriptionPlans_code",
            &["code"],
            Unique::Yes,
        )
        .await?;

        // subscriptions: Subscriptions mirrored from Stripe.
        manager
            .create_table(
                Table::create()
                    .table("subscriptions")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(string("stripeSubscriptionId", 255).not_null())
                    .col(string("stripeCustomerId", 255).null())
                    .col(string("plan", 64).not_null())
                    .col(enumeration("status").not_null())
                    .col(timestamp(backend, "currentPeriodEnd").null())
                    .col(boolean("cancelAtPeriodEnd").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "subscriptions",
                        "userId",
                        "users",
                        OnDelete::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "subscriptions",
            "ux_subscriptions_stripeSubscriptionId",
            &["stripeSubscriptionId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "subscriptions",
            "ix_subscriptions_userId",
            &["userId"],
            Unique::No,
        )
        .await?;

        // invoices: Invoices issued for payments.
        manager
            .create_table(
                Table::create()
                    .table("invoices")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(big("paymentId").null())
                    .col(big("amount").not_null())
                    .col(timestamp(backend, "paidAt").null())
                    .col(string("number", 32).not_null())
                    .col(string("stripeInvoiceId", 255).null())
                    .col(enumeration("status").not_null())
                    .col(big("taxAmount").not_null())
                    .col(currency("currency").not_null())
                    .col(string("pdfPath", 512).null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "invoices",
                        "userId",
                        "users",
                        OnDelete::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "invoices",
                        "paymentId",
                        "payments",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "invoices",
            "ux_invoices_number",
            &["number"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "invoices",
            "ux_invoices_stripeInvoiceId",
            &["stripeInvoiceId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "invoices",
            "ix_invoices_userId",
            &["userId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "invoices",
            "ix_invoices_paymentId",
            &["paymentId"],
            Unique::No,
        )
        .await?;

        // couponRedemptions: Coupon uses, recorded when the payment succeeds.
        manager
            .create_table(
                Table::create()
                    .table("couponRedemptions")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("couponId").not_null())
                    .col(big("userId").not_null())
                    .col(big("paymentId").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "couponRedemptions",
                        "couponId",
                        "coupons",
                        OnDelete::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "couponRedemptions",
                        "userId",
                        "users",
                        OnDelete::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "couponRedemptions",
                        "paymentId",
                        "payments",
                        OnDelete::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "couponRedemptions",
            "ux_couponRedemptions_paymentId",
            &["paymentId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "couponRedemptions",
            "ix_couponRedemptions_couponId",
            &["couponId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "couponRedemptions",
            "ix_couponRedemptions_userId",
            &["userId"],
            Unique::No,
        )
        .await?;

        // commissionTiers: Platform fee tiers by hours taught.
        manager
            .create_table(
                Table::create()
                    .table("commissionTiers")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("name", 100).not_null())
                    .col(int("minHours").not_null())
                    .col(int("maxHours").null())
                    .col(int("feeBps").not_null())
                    .col(boolean("sleVerifiedOnly").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .to_owned(),
            )
            .await?;

        // webhookEvents: Inbound webhook idempotency and leases, unique per provider and event id.
        manager
            .create_table(
                Table::create()
                    .table("webhookEvents")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(enumeration("provider").not_null())
                    .col(string("externalId", 255).not_null())
                    .col(string("type", 128).not_null())
                    .col(enumeration("status").not_null())
                    .col(int("attempts").not_null())
                    .col(timestamp(backend, "lockedUntil").null())
                    .col(text("lastError").null())
                    .col(json("payload").not_null())
                    .col(timestamp(backend, "processedAt").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "webhookEvents",
            "ux_webhookEvents_provider_externalId",
            &["provider", "externalId"],
            Unique::Yes,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "webhookEvents",
                "commissionTiers",
                "couponRedemptions",
                "invoices",
                "subscriptions",
                "subscriptionPlans",
                "refunds",
                "payments",
                "coupons",
            ],
        )
        .await
    }
}
