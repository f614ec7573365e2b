//! `backgroundJobs.uniqueKey`: a job may carry a key that no other job has, so that an occurrence
//! of a recurring job, or an event's delivery to one subscriber, is enqueued once however many
//! replicas try (the unique index decides; NULL keys do not collide). Also the indexes of the
//! queue's other reads: abandoned leases (`status`, `lockedUntil`) and the administrators' list
//! by status or kind, newest first.

use sea_orm_migration::prelude::*;

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "backgroundJobs";
const INDEX: &str = "uq_backgroundJobs_uniqueKey";
const READ_INDEXES: [(&str, [&str; 2]); 3] = [
    (
        "ix_backgroundJobs_status_lockedUntil",
        ["status", "lockedUntil"],
    ),
    (
        "ix_backgroundJobs_status_createdAt",
        ["status", "createdAt"],
    ),
    ("ix_backgroundJobs_kind_createdAt", ["kind", "createdAt"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if !manager.has_column(TABLE, "uniqueKey").await? {
            manager
                .alter_table(
                    Table::alter()
                        .table(TABLE)
                        .add_column(string("uniqueKey", 191).null())
                        .to_owned(),
                )
                .await?;
        }
        create_index(manager, TABLE, INDEX, &["uniqueKey"], Unique::Yes).await?;
        for (name, columns) in READ_INDEXES {
            create_index(manager, TABLE, name, &columns, Unique::No).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in READ_INDEXES {
            if manager.has_index(TABLE, name).await? {
                manager
                    .drop_index(Index::drop().name(name).table(TABLE).to_owned())
                    .await?;
            }
        }
        if manager.has_index(TABLE, INDEX).await? {
            manager
                .drop_index(Index::drop().name(INDEX).table(TABLE).to_owned())
                .await?;
        }
        if manager.has_column(TABLE, "uniqueKey").await? {
            manager
                .alter_table(
                    Table::alter()
                        .table(TABLE)
                        .drop_column("uniqueKey")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
