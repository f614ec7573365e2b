//! `backgroundJobs`: Durable job queue; rows are claimed with a conditional UPDATE and a lease (`lockedUntil`).

use crate::enums::JobStatus;
use sea_orm::entity::prelude::*;

/// A row of `backgroundJobs`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "backgroundJobs", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub kind: String,
    pub payload: Json,
    pub status: JobStatus,
    pub run_at: DateTimeUtc,
    pub attempts: i32,
    pub max_attempts: i32,
    #[sea_orm(column_type = "String(StringLen::N(128))", nullable)]
    pub locked_by: Option<String>,
    #[sea_orm(nullable)]
    pub locked_until: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    /// Unique when set: one occurrence of a recurring job, one delivery of an event per subscriber.
    #[sea_orm(column_type = "String(StringLen::N(191))", nullable, unique)]
    pub unique_key: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
