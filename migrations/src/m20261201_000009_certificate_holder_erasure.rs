//! `certificates.holderErasedAt`: when the holder's account was deleted. The certificate stays (a
//! verifier may still confirm that its number was issued, for which course and when), but the
//! holder's name is erased from it at that moment, and this column says so.

use sea_orm_migration::prelude::*;

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "certificates";
const COLUMN: &str = "holderErasedAt";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if !manager.has_column(TABLE, COLUMN).await? {
            let backend = manager.get_database_backend();
            manager
                .alter_table(
                    Table::alter()
                        .table(TABLE)
                        .add_column(timestamp(backend, COLUMN).null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.has_column(TABLE, COLUMN).await? {
            manager
                .alter_table(Table::alter().table(TABLE).drop_column(COLUMN).to_owned())
                .await?;
        }
        Ok(())
    }
}
