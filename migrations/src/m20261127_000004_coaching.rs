//! Creates the coaching tables: `coachProfiles`, `coachApplications`, `coachAvailability`, `coachAvailabilityExceptions`, `coachingPlans`, `coachingPlanPurchases`, `sessions`, `sessionRecordings`, `sessionFeedback`, `coachCalendlyIntegrations`, `payoutLedger`.

use sea_orm_migration::prelude::*;

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();

        // coachProfiles: Coach details; created when an admin approves a coach application.
        manager
            .create_table(
                Table::create()
                    .table("coachProfiles")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(string("specialization", 255).null())
                    .col(big("hourlyRate").not_null())
                    .col(big("trialRate").not_null())
                    .col(currency("currency").not_null())
                    .col(string("stripeConnectId", 255).null())
                    .col(boolean("payoutsEnabled").not_null())
                    .col(text("bio").null())
                    .col(text("bioFr").null())
                    .col(json("languages").not_null())
                    .col(string("timezone", 64).not_null())
                    .col(boolean("sleVerified").not_null())
                    .col(enumeration("status").not_null())
                    .col(double("ratingAvg").not_null())
                    .col(int("ratingCount").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "coachProfiles",
                        "userId",
                        "users",
                        OnDelete::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "coachProfiles",
            "ux_coachProfiles_userId",
            &["userId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "coachProfiles",
            "ux_coachProfiles_stripeConnectId",
            &["stripeConnectId"],
            Unique::Yes,
        )
        .await?;

        // coachApplications: Become-a-coach requests, approved or rejected by an admin.
        manager
            .create_table(
                Table::create()
                    .table("coachApplications")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(text("motivation").not_null())
                    .col(string("specialization", 255).null())
                    .col(big("proposedHourlyRate").null())
                    .col(enumeration("status").not_null())
                    .col(big("reviewedBy").null())
                    .col(timestamp(backend, "reviewedAt").null())
                    .col(string("reviewNote", 1000).null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "coachApplications",
                        "userId",
                        "users",
                        OnDelete::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "coachApplications",
                        "reviewedBy",
                        "users",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "coachApplications",
            "ix_coachApplications_userId",
            &["userId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "coachApplications",
            "ix_coachApplications_reviewedBy",
            &["reviewedBy"],
            Unique::No,
        )
        .await?;

        // coachAvailability: Weekly availability windows in the coach's time zone.
        manager
            .create_table(
                Table::create()
                    .table("coachAvailability")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("coachId").not_null())
                    .col(int("dayOfWeek").not_null())
                    .col(string("startTime", 5).not_null())
                    .col(string("endTime", 5).not_null())
                    .col(string("timezone", 64).not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "coachAvailability",
                        "coachId",
                        "coachProfiles",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "coachAvailability",
            "ix_coachAvailability_coachId",
            &["coachId"],
            Unique::No,
        )
        .await?;

        // coachAvailabilityExceptions: Days off and extra slots.
        manager
            .create_table(
                Table::create()
                    .table("coachAvailabilityExceptions")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("coachId").not_null())
                    .col(date("date").not_null())
                    .col(string("startTime", 5).null())
                    .col(string("endTime", 5).null())
                    .col(boolean("available").not_null())
                    .col(string("reason", 255).null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "coachAvailabilityExceptions",
                        "coachId",
                        "coachProfiles",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "coachAvailabilityExceptions",
            "ix_coachAvailabilityExceptions_coachId",
            &["coachId"],
            Unique::No,
        )
        .await?;

        // coachingPlans: Prepaid packages of coaching sessions.
        manager
            .create_table(
                Table::create()
                    .table("coachingPlans")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("name", 255).not_null())
                    .col(string("nameFr", 255).not_null())
                    .col(int("sessionsIncluded").not_null())
                    .col(int("validityDays").not_null())
                    .col(big("price").not_null())
                    .col(currency("currency").not_null())
                    .col(boolean("active").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .to_owned(),
            )
            .await?;

        // coachingPlanPurchases: A learner's package balance.
        manager
            .create_table(
                Table::create()
                    .table("coachingPlanPurchases")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(big("planId").not_null())
                    .col(int("remainingSessions").not_null())
                    .col(timestamp(backend, "expiresAt").not_null())
                    .col(enumeration("status").not_null())
                    .col(big("paymentId").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "coachingPlanPurchases",
                        "userId",
                        "users",
                        OnDelete::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "coachingPlanPurchases",
                        "planId",
                        "coachingPlans",
                        OnDelete::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "coachingPlanPurchases",
                        "paymentId",
                        "payments",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "coachingPlanPurchases",
            "ix_coachingPlanPurchases_userId",
            &["userId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "coachingPlanPurchases",
            "ix_coachingPlanPurchases_planId",
            &["planId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "coachingPlanPurchases",
            "ix_coachingPlanPurchases_paymentId",
            &["paymentId"],
            Unique::No,
        )
        .await?;

        // sessions: Coaching sessions between a coach and a learner.
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("coachId").not_null())
                    .col(big("learnerId").not_null())
                    .col(timestamp(backend, "scheduledAt").not_null())
                    .col(enumeration("status").not_null())
                    .col(enumeration("type").not_null())
                    .col(int("durationMinutes").not_null())
                    .col(big("price").not_null())
                    .col(big("taxAmount").not_null())
                    .col(currency("currency").not_null())
                    .col(string("meetingUrl", 512).null())
                    .col(big("cancelledBy").null())
                    .col(timestamp(backend, "cancelledAt").null())
                    .col(string("cancellationReason", 512).null())
                    .col(big("planPurchaseId").null())
                    .col(big("paymentId").null())
                    .col(string("calendlyEventUri", 255).null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "sessions",
                        "coachId",
                        "coachProfiles",
                        OnDelete::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "sessions",
                        "learnerId",
                        "users",
                        OnDelete::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "sessions",
                        "cancelledBy",
                        "users",
                        OnDelete::SetNull,
                    ))
                    .foreign_key(&mut foreign_key(
                        "sessions",
                        "planPurchaseId",
                        "coachingPlanPurchases",
                        OnDelete::SetNull,
                    ))
                    .foreign_key(&mut foreign_key(
                        "sessions",
                        "paymentId",
                        "payments",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "sessions",
            "ux_sessions_calendlyEventUri",
            &["calendlyEventUri"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "sessions",
            "ix_sessions_coachId_scheduledAt",
            &["coachId", "scheduledAt"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "sessions",
            "ix_sessions_learnerId_scheduledAt",
            &["learnerId", "scheduledAt"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "sessions",
            "ix_sessions_cancelledBy",
            &["cancelledBy"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "sessions",
            "ix_sessions_planPurchaseId",
            &["planPurchaseId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "sessions",
            "ix_sessions_paymentId",
            &["paymentId"],
            Unique::No,
        )
        .await?;

        // sessionRecordings: Video recordings, visible only to the session's participants and admins.
        manager
            .create_table(
                Table::create()
                    .table("sessionRecordings")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("sessionId").not_null())
                    .col(string("recordingUrl", 1024).not_null())
                    .col(int("duration").not_null())
                    .col(timestamp(backend, "expiresAt").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "sessionRecordings",
                        "sessionId",
                        "sessions",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "sessionRecordings",
            "ix_sessionRecordings_sessionId",
            &["sessionId"],
            Unique::No,
        )
        .await?;

        // sessionFeedback: Post-session feedback, once per participant.
        manager
            .create_table(
                Table::create()
                    .table("sessionFeedback")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("sessionId").not_null())
                    .col(int("rating").not_null())
                    .col(text("comment").null())
                    .col(big("fromUserId").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "sessionFeedback",
                        "sessionId",
                        "sessions",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "sessionFeedback",
                        "fromUserId",
                        "users",
                        OnDelete::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "sessionFeedback",
            "ux_sessionFeedback_sessionId_fromUserId",
            &["sessionId", "fromUserId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "sessionFeedback",
            "ix_sessionFeedback_fromUserId",
            &["fromUserId"],
            Unique::No,
        )
        .await?;

        // coachCalendlyIntegrations: Calendly OAuth connection of a coach. Tokens are AES-256-GCM encrypted at rest.
        manager
            .create_table(
                Table::create()
                    .table("coachCalendlyIntegrations")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("coachId").not_null())
                    .col(text("accessToken").not_null())
                    .col(text("refreshToken").not_null())
                    .col(timestamp(backend, "tokenExpiresAt").null())
                    .col(string("calendlyUserUri", 255).null())
                    .col(string("eventTypeUri", 255).null())
                    .col(string("webhookSubscriptionUri", 255).null())
                    .col(boolean("active").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "coachCalendlyIntegrations",
                        "coachId",
                        "coachProfiles",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "coachCalendlyIntegrations",
            "ux_coachCalendlyIntegrations_coachId",
            &["coachId"],
            Unique::Yes,
        )
        .await?;

        // payoutLedger: Coach money movements (signed cents).
        manager
            .create_table(
                Table::create()
                    .table("payoutLedger")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("coachId").not_null())
                    .col(big("sessionId").null())
                    .col(big("paymentId").null())
                    .col(big("refundId").null())
                    .col(enumeration("type").not_null())
                    .col(big("grossAmount").not_null())
                    .col(big("feeAmount").not_null())
                    .col(big("netAmount").not_null())
                    .col(currency("currency").not_null())
                    .col(enumeration("status").not_null())
                    .col(string("stripeTransferId", 255).null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "payoutLedger",
                        "coachId",
                        "coachProfiles",
                        OnDelete::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "payoutLedger",
                        "sessionId",
                        "sessions",
                        OnDelete::SetNull,
                    ))
                    .foreign_key(&mut foreign_key(
                        "payoutLedger",
                        "paymentId",
                        "payments",
                        OnDelete::SetNull,
                    ))
                    .foreign_key(&mut foreign_key(
                        "payoutLedger",
                        "refundId",
                        "refunds",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "payoutLedger",
            "ix_payoutLedger_coachId_createdAt",
            &["coachId", "createdAt"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "payoutLedger",
            "ix_payoutLedger_sessionId",
            &["sessionId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "payoutLedger",
            "ix_payoutLedger_paymentId",
            &["paymentId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "payoutLedger",
            "ix_payoutLedger_refundId",
            &["refundId"],
            Unique::No,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "payoutLedger",
                "coachCalendlyIntegrations",
                "sessionFeedback",
                "sessionRecordings",
                "sessions",
                "coachingPlanPurchases",
                "coachingPlans",
                "coachAvailabilityExceptions",
                "coachAvailability",
                "coachApplications",
                "coachProfiles",
            ],
        )
        .await
    }
}
