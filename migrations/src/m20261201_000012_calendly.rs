//! Calendly: a Calendly account is connected to one coach at a time (unique
//! `coachCalendlyIntegrations.calendlyUserUri`, which is also how a webhook finds its coach).

use sea_orm_migration::prelude::*;

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "coachCalendlyIntegrations";
const INDEX: &str = "ux_coachCalendlyIntegrations_calendlyUserUri";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_index(manager, TABLE, INDEX, &["calendlyUserUri"], Unique::Yes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.has_index(TABLE, INDEX).await? {
            manager
                .drop_index(Index::drop().name(INDEX).table(TABLE).to_owned())
                .await?;
        }
        Ok(())
    }
}
