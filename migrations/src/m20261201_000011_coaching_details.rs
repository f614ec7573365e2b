//! What coaching needs beyond the first schema:
//! - `coachApplications`: the languages the applicant coaches in, their specialisations (tags),
//!   their SLE levels (`{"reading": "C", …}`) and the trial rate they propose, so that an approval
//!   builds the profile from the application alone;
//! - `coachProfiles.specializations`: the tags the public search filters on (`specialization`
//!   stays the free-text headline);
//! - `sessions.refundDue`: the amount (cents, tax included) that the cancellation policy says is
//!   owed back to the learner; the payments issue executes it.

use sea_orm_migration::prelude::*;

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column definition) of every column added, in order.
fn columns() -> Vec<(&'static str, &'static str, ColumnDef)> {
    vec![
        (
            "coachApplications",
            "languages",
            json("languages").null().to_owned(),
        ),
        (
            "coachApplications",
            "specializations",
            json("specializations").null().to_owned(),
        ),
        (
            "coachApplications",
            "sleLevels",
            json("sleLevels").null().to_owned(),
        ),
        (
            "coachApplications",
            "proposedTrialRate",
            big("proposedTrialRate").null().to_owned(),
        ),
        (
            "coachProfiles",
            "specializations",
            json("specializations").null().to_owned(),
        ),
        ("sessions", "refundDue", big("refundDue").null().to_owned()),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for (table, name, mut column) in columns() {
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
        for (table, name, _) in columns().into_iter().rev() {
            if manager.has_column(table, name).await? {
                manager
                    .alter_table(Table::alter().table(table).drop_column(name).to_owned())
                    .await?;
            }
        }
        Ok(())
    }
}
