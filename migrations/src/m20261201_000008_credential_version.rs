//! `users.credentialVersion`: a counter that every credential-ending event (password reset,
//! suspension, role change, deletion, the first-administrator bootstrap) increments. Access
//! tokens carry the version they were issued under and stop working when it moves on, so an
//! event ends the account's access tokens at once, not when they expire.

use sea_orm_migration::prelude::*;

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "users";
const COLUMN: &str = "credentialVersion";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if !manager.has_column(TABLE, COLUMN).await? {
            manager
                .alter_table(
                    Table::alter()
                        .table(TABLE)
                        .add_column(int(COLUMN).not_null().default(0))
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
