//! `coachCalendlyIntegrations`: Calendly OAuth connection of a coach. Tokens are AES-256-GCM encrypted at rest.

use crate::Secret;
use sea_orm::entity::prelude::*;

/// A row of `coachCalendlyIntegrations`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "coachCalendlyIntegrations", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `coachProfiles.id`.
    #[sea_orm(unique)]
    pub coach_id: i64,
    /// SECRET: AES-256-GCM ciphertext (base64).
    #[sea_orm(column_type = "Text")]
    pub access_token: Secret,
    /// SECRET: AES-256-GCM ciphertext (base64).
    #[sea_orm(column_type = "Text")]
    pub refresh_token: Secret,
    #[sea_orm(nullable)]
    pub token_expires_at: Option<DateTimeUtc>,
    /// The connected Calendly user; one coach per Calendly account.
    #[sea_orm(column_type = "String(StringLen::N(255))", unique, nullable)]
    pub calendly_user_uri: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(255))", nullable)]
    pub event_type_uri: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(255))", nullable)]
    pub webhook_subscription_uri: Option<String>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::coaching::coach_profiles::Entity",
        from = "Column::CoachId",
        to = "crate::coaching::coach_profiles::Column::Id",
        on_delete = "Cascade"
    )]
    CoachProfiles,
}

impl Related<crate::coaching::coach_profiles::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachProfiles.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
