//! `webhookEvents`: Inbound webhook idempotency and leases, unique per provider and event id.

use crate::{enums::WebhookProvider, enums::WebhookStatus};
use sea_orm::entity::prelude::*;

/// A row of `webhookEvents`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhookEvents", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub provider: WebhookProvider,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub external_id: String,
    #[sea_orm(column_type = "String(StringLen::N(128))")]
    pub r#type: String,
    pub status: WebhookStatus,
    pub attempts: i32,
    #[sea_orm(nullable)]
    pub locked_until: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub payload: Json,
    #[sea_orm(nullable)]
    pub processed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
