//! Versioned schema migrations for RusingAcademy.
//!
//! Migrations are frozen history: they never import entities, and a released migration is never
//! edited; a schema change is a new migration. Every `up` is idempotent (`IF NOT EXISTS` tables,
//! indexes created only when missing), every `down` drops what its `up` created, and the same
//! statements run on SQLite, MySQL/MariaDB and TiDB.
//!
//! Tables are created in dependency order: a migration only references tables of itself or of
//! earlier migrations (this is why `payoutLedger`, which references coaching sessions, is created
//! with the coaching tables).

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_accounts;
mod m20261127_000002_learning;
mod m20261127_000003_payments;
mod m20261127_000004_coaching;
mod m20261127_000005_communication;
mod m20261127_000006_hr_admin;
mod m20261201_000007_job_unique_keys;
mod m20261201_000008_credential_version;
mod m20261201_000009_certificate_holder_erasure;
mod m20261201_000010_user_events;
mod m20261201_000011_coaching_details;
mod m20261201_000012_calendly;
mod m20261201_000013_payments_flow;
mod support;

/// The ordered list of migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_accounts::Migration),
            Box::new(m20261127_000002_learning::Migration),
            Box::new(m20261127_000003_payments::Migration),
            Box::new(m20261127_000004_coaching::Migration),
            Box::new(m20261127_000005_communication::Migration),
            Box::new(m20261127_000006_hr_admin::Migration),
            Box::new(m20261201_000007_job_unique_keys::Migration),
            Box::new(m20261201_000008_credential_version::Migration),
            Box::new(m20261201_000009_certificate_holder_erasure::Migration),
            Box::new(m20261201_000010_user_events::Migration),
            Box::new(m20261201_000011_coaching_details::Migration),
            Box::new(m20261201_000012_calendly::Migration),
            Box::new(m20261201_000013_payments_flow::Migration),
        ]
    }
}
