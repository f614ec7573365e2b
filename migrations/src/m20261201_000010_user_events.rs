//! The per-user event log behind `GET /events`: `userEvents` rows (a chat message, a read marker,
//! a notification, as each recipient is told of it) and `users.eventSeq`, the counter that numbers
//! them. A writer increments the recipient's counter under the row lock it takes and stores the
//! event with that number, so a user's events commit in the order of their numbers on every
//! engine: a stream resumes after `Last-Event-ID` without relying on auto-increment order, which
//! TiDB does not keep across servers.
//!
//! Also `notifications.dedupeKey` (unique per user: the job that created a notification, so that
//! a job run twice notifies once), and an index on `pushSubscriptions.endpoint`: an endpoint names one browser or device install,
//! and saving it for one account removes it from any other.

use sea_orm_migration::prelude::*;

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const USERS: &str = "users";
const SEQ: &str = "eventSeq";
const TABLE: &str = "userEvents";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        if !manager.has_column(USERS, SEQ).await? {
            manager
                .alter_table(
                    Table::alter()
                        .table(USERS)
                        .add_column(big(SEQ).not_null().default(0))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(TABLE)
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(big("seq").not_null())
                    .col(string("type", 64).not_null())
                    .col(json("data").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(TABLE, "userId", USERS, OnDelete::Cascade))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            TABLE,
            "ux_userEvents_userId_seq",
            &["userId", "seq"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            TABLE,
            "ix_userEvents_createdAt",
            &["createdAt"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "pushSubscriptions",
            "ix_pushSubscriptions_endpoint",
            &["endpoint"],
            Unique::No,
        )
        .await?;
        if !manager.has_column("notifications", "dedupeKey").await? {
            manager
                .alter_table(
                    Table::alter()
                        .table("notifications")
                        .add_column(string("dedupeKey", 191).null())
                        .to_owned(),
                )
                .await?;
        }
        create_index(
            manager,
            "notifications",
            "ux_notifications_userId_dedupeKey",
            &["userId", "dedupeKey"],
            Unique::Yes,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager
            .has_index("notifications", "ux_notifications_userId_dedupeKey")
            .await?
        {
            manager
                .drop_index(
                    Index::drop()
                        .name("ux_notifications_userId_dedupeKey")
                        .table("notifications")
                        .to_owned(),
                )
                .await?;
        }
        if manager.has_column("notifications", "dedupeKey").await? {
            manager
                .alter_table(
                    Table::alter()
                        .table("notifications")
                        .drop_column("dedupeKey")
                        .to_owned(),
                )
                .await?;
        }
        if manager
            .has_index("pushSubscriptions", "ix_pushSubscriptions_endpoint")
            .await?
        {
            manager
                .drop_index(
                    Index::drop()
                        .name("ix_pushSubscriptions_endpoint")
                        .table("pushSubscriptions")
                        .to_owned(),
                )
                .await?;
        }
        drop_tables(manager, &[TABLE]).await?;
        if manager.has_column(USERS, SEQ).await? {
            manager
                .alter_table(Table::alter().table(USERS).drop_column(SEQ).to_owned())
                .await?;
        }
        Ok(())
    }
}
