//! Creates the hr & admin tables: `featureFlags`, `featureFlagHistory`, `systemMetrics`, `errorLogs`, `organizations`, `organizationMembers`, `generatedReports`, `backgroundJobs`, `budgetForecasts`.

use sea_orm_migration::prelude::*;

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();

        // featureFlags: Feature toggles evaluated per user (roles, allow-list, stable percentage rollout).
        manager
            .create_table(
                Table::create()
                    .table("featureFlags")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("key", 100).not_null())
                    .col(boolean("enabled").not_null())
                    .col(text("description").null())
                    .col(json("roles").not_null())
                    .col(int("rolloutPercentage").not_null())
                    .col(json("userIds").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "featureFlags",
            "ux_featureFlags_key",
            &["key"],
            Unique::Yes,
        )
        .await?;

        // featureFlagHistory: Change log of feature flags.
        manager
            .create_table(
                Table::create()
                    .table("featureFlagHistory")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("flagId").null())
                    .col(string("flagKey", 100).not_null())
                    .col(string("action", 32).not_null())
                    .col(json("before").null())
                    .col(json("after").null())
                    .col(big("changedBy").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "featureFlagHistory",
                        "flagId",
                        "featureFlags",
                        OnDelete::SetNull,
                    ))
                    .foreign_key(&mut foreign_key(
                        "featureFlagHistory",
                        "changedBy",
                        "users",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "featureFlagHistory",
            "ix_featureFlagHistory_flagId",
            &["flagId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "featureFlagHistory",
            "ix_featureFlagHistory_changedBy",
            &["changedBy"],
            Unique::No,
        )
        .await?;

        // systemMetrics: Sampled performance metrics.
        manager
            .create_table(
                Table::create()
                    .table("systemMetrics")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("metric", 128).not_null())
                    .col(double("value").not_null())
                    .col(timestamp(backend, "timestamp").not_null())
                    .col(json("labels").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "systemMetrics",
            "ix_systemMetrics_metric_timestamp",
            &["metric", "timestamp"],
            Unique::No,
        )
        .await?;

        // errorLogs: Unhandled (5xx) errors with their request context.
        manager
            .create_table(
                Table::create()
                    .table("errorLogs")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("level", 16).not_null())
                    .col(text("message").not_null())
                    .col(text("stack").null())
                    .col(big("userId").null())
                    .col(timestamp(backend, "timestamp").not_null())
                    .col(string("requestId", 64).null())
                    .col(string("path", 512).null())
                    .col(string("method", 10).null())
                    .col(int("status").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "errorLogs",
                        "userId",
                        "users",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "errorLogs",
            "ix_errorLogs_timestamp",
            &["timestamp"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "errorLogs",
            "ix_errorLogs_userId",
            &["userId"],
            Unique::No,
        )
        .await?;

        // organizations: Client departments (B2B) that pay for their staff.
        manager
            .create_table(
                Table::create()
                    .table("organizations")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("name", 255).not_null())
                    .col(string("slug", 191).not_null())
                    .col(enumeration("status").not_null())
                    .col(string("billingEmail", 255).null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "organizations",
            "ux_organizations_slug",
            &["slug"],
            Unique::Yes,
        )
        .await?;

        // organizationMembers: Who belongs to which organisation, and who manages it.
        manager
            .create_table(
                Table::create()
                    .table("organizationMembers")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("organizationId").not_null())
                    .col(big("userId").not_null())
                    .col(enumeration("role").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "organizationMembers",
                        "organizationId",
                        "organizations",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "organizationMembers",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "organizationMembers",
            "ux_organizationMembers_organizationId_userId",
            &["organizationId", "userId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "organizationMembers",
            "ix_organizationMembers_userId",
            &["userId"],
            Unique::No,
        )
        .await?;

        // generatedReports: Generated PDF reports and their status.
        manager
            .create_table(
                Table::create()
                    .table("generatedReports")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("type", 64).not_null())
                    .col(big("generatedBy").not_null())
                    .col(string("filePath", 512).null())
                    .col(enumeration("status").not_null())
                    .col(json("parameters").not_null())
                    .col(big("organizationId").null())
                    .col(timestamp(backend, "expiresAt").null())
                    .col(text("error").null())
                    .col(timestamp(backend, "completedAt").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "generatedReports",
                        "generatedBy",
                        "users",
                        OnDelete::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "generatedReports",
                        "organizationId",
                        "organizations",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "generatedReports",
            "ix_generatedReports_generatedBy",
            &["generatedBy"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "generatedReports",
            "ix_generatedReports_organizationId",
            &["organizationId"],
            Unique::No,
        )
        .await?;

        // backgroundJobs: Durable job queue; rows are claimed with a conditional UPDATE and a lease (`lockedUntil`).
        manager
            .create_table(
                Table::create()
                    .table("backgroundJobs")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("kind", 64).not_null())
                    .col(json("payload").not_null())
                    .col(enumeration("status").not_null())
                    .col(timestamp(backend, "runAt").not_null())
                    .col(int("attempts").not_null())
                    .col(int("maxAttempts").not_null())
                    .col(string("lockedBy", 128).null())
                    .col(timestamp(backend, "lockedUntil").null())
                    .col(text("lastError").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "backgroundJobs",
            "ix_backgroundJobs_status_runAt",
            &["status", "runAt"],
            Unique::No,
        )
        .await?;

        // budgetForecasts: HR budget forecasts per organisation, period and category.
        manager
            .create_table(
                Table::create()
                    .table("budgetForecasts")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("period", 7).not_null())
                    .col(string("category", 64).not_null())
                    .col(big("amount").not_null())
                    .col(big("createdBy").not_null())
                    .col(big("organizationId").not_null())
                    .col(big("actualAmount").null())
                    .col(currency("currency").not_null())
                    .col(text("notes").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "budgetForecasts",
                        "createdBy",
                        "users",
                        OnDelete::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "budgetForecasts",
                        "organizationId",
                        "organizations",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "budgetForecasts",
            "ux_budgetForecasts_organizationId_period_category",
            &["organizationId", "period", "category"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "budgetForecasts",
            "ix_budgetForecasts_createdBy",
            &["createdBy"],
            Unique::No,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "budgetForecasts",
                "backgroundJobs",
                "generatedReports",
                "organizationMembers",
                "organizations",
                "errorLogs",
                "systemMetrics",
                "featureFlagHistory",
                "featureFlags",
            ],
        )
        .await
    }
}
