//! Creates the accounts tables: `users`, `userProfiles`, `passwordResets`, `emailVerifications`, `refreshTokens`, `auditLogs`, `apiKeys`, `idempotencyKeys`.

use sea_orm_migration::prelude::*;

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();

        // users: All platform users (learners, coaches, HR administrators, administrators).
        manager
            .create_table(
                Table::create()
                    .table("users")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(binary_string(backend, "email", 255).not_null())
                    .col(string("password", 255).not_null())
                    .col(enumeration("role").not_null())
                    .col(string("firstName", 100).not_null())
                    .col(string("lastName", 100).not_null())
                    .col(enumeration("language").not_null())
                    .col(timestamp(backend, "emailVerifiedAt").null())
                    .col(enumeration("status").not_null())
                    .col(timestamp(backend, "lastLoginAt").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .to_owned(),
            )
            .await?;
        create_index(manager, "users", "ux_users_email", &["email"], Unique::Yes).await?;

        // userProfiles: Extended profile of a user (one row per user).
        manager
            .create_table(
                Table::create()
                    .table("userProfiles")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(text("bio").null())
                    .col(string("avatar", 1024).null())
                    .col(string("timezone", 64).not_null())
                    .col(string("phone", 32).null())
                    .col(string("department", 255).null())
                    .col(string("position", 255).null())
                    .col(enumeration("targetLanguage").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "userProfiles",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "userProfiles",
            "ux_userProfiles_userId",
            &["userId"],
            Unique::Yes,
        )
        .await?;

        // passwordResets: Password-reset tokens. Only the SHA-256 of the secret is stored; the secret exists only in the e-mail.
        manager
            .create_table(
                Table::create()
                    .table("passwordResets")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(string("token", 64).not_null())
                    .col(timestamp(backend, "expiresAt").not_null())
                    .col(timestamp(backend, "usedAt").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "passwordResets",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "passwordResets",
            "ux_passwordResets_token",
            &["token"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "passwordResets",
            "ix_passwordResets_userId",
            &["userId"],
            Unique::No,
        )
        .await?;

        // emailVerifications: E-mail verification tokens (hashed like password resets).
        manager
            .create_table(
                Table::create()
                    .table("emailVerifications")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(string("token", 64).not_null())
                    .col(timestamp(backend, "expiresAt").not_null())
                    .col(timestamp(backend, "usedAt").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "emailVerifications",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "emailVerifications",
            "ux_emailVerifications_token",
            &["token"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "emailVerifications",
            "ix_emailVerifications_userId",
            &["userId"],
            Unique::No,
        )
        .await?;

        // refreshTokens: Refresh tokens, rotated on every use. Reusing a rotated token revokes its whole family.
        manager
            .create_table(
                Table::create()
                    .table("refreshTokens")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(string("tokenHash", 64).not_null())
                    .col(string("familyId", 64).not_null())
                    .col(timestamp(backend, "expiresAt").not_null())
                    .col(timestamp(backend, "revokedAt").null())
                    .col(big("replacedById").null())
                    .col(string("userAgent", 512).null())
                    .col(string("ip", 64).null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "refreshTokens",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "refreshTokens",
                        "replacedById",
                        "refreshTokens",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "refreshTokens",
            "ux_refreshTokens_tokenHash",
            &["tokenHash"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "refreshTokens",
            "ix_refreshTokens_familyId",
            &["familyId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "refreshTokens",
            "ix_refreshTokens_userId",
            &["userId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "refreshTokens",
            "ix_refreshTokens_replacedById",
            &["replacedById"],
            Unique::No,
        )
        .await?;

        // auditLogs: Who did what: administrative and security events, with before/after images.
        manager
            .create_table(
                Table::create()
                    .table("auditLogs")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("actorId").null())
                    .col(string("action", 100).not_null())
                    .col(string("entityType", 64).not_null())
                    .col(big("entityId").null())
                    .col(json("before").null())
                    .col(json("after").null())
                    .col(string("ip", 64).null())
                    .col(string("requestId", 64).null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "auditLogs",
                        "actorId",
                        "users",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "auditLogs",
            "ix_auditLogs_entityType_entityId",
            &["entityType", "entityId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "auditLogs",
            "ix_auditLogs_createdAt",
            &["createdAt"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "auditLogs",
            "ix_auditLogs_actorId",
            &["actorId"],
            Unique::No,
        )
        .await?;

        // apiKeys: Integrator API keys. The key is shown once; only its hash and a visible prefix are stored.
        manager
            .create_table(
                Table::create()
                    .table("apiKeys")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("ownerId").not_null())
                    .col(string("name", 100).not_null())
                    .col(string("keyPrefix", 32).not_null())
                    .col(string("keyHash", 64).not_null())
                    .col(json("scopes").not_null())
                    .col(timestamp(backend, "lastUsedAt").null())
                    .col(timestamp(backend, "expiresAt").null())
                    .col(timestamp(backend, "revokedAt").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "apiKeys",
                        "ownerId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "apiKeys",
            "ux_apiKeys_keyPrefix",
            &["keyPrefix"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "apiKeys",
            "ix_apiKeys_ownerId",
            &["ownerId"],
            Unique::No,
        )
        .await?;

        // idempotencyKeys: `Idempotency-Key` replay store: the first response to a key is replayed for the same request.
        manager
            .create_table(
                Table::create()
                    .table("idempotencyKeys")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(string("key", 255).not_null())
                    .col(string("method", 10).not_null())
                    .col(string("path", 512).not_null())
                    .col(string("requestHash", 64).not_null())
                    .col(int("responseStatus").null())
                    .col(text("responseBody").null())
                    .col(timestamp(backend, "lockedUntil").null())
                    .col(timestamp(backend, "expiresAt").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "idempotencyKeys",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "idempotencyKeys",
            "ux_idempotencyKeys_userId_key",
            &["userId", "key"],
            Unique::Yes,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "idempotencyKeys",
                "apiKeys",
                "auditLogs",
                "refreshTokens",
                "emailVerifications",
                "passwordResets",
                "userProfiles",
                "users",
            ],
        )
        .await
    }
}
