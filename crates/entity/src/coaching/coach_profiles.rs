//! `coachProfiles`: Coach details; created when an admin approves a coach application.

use crate::enums::CoachStatus;
use sea_orm::entity::prelude::*;

/// A row of `coachProfiles`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "coachProfiles", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    #[sea_orm(unique)]
    pub user_id: i64,
    #[sea_orm(column_type = "String(StringLen::N(255))", nullable)]
    pub specialization: Option<String>,
    pub hourly_rate: i64,
    pub trial_rate: i64,
    #[sea_orm(column_type = "Char(Some(3))")]
    pub currency: String,
    #[sea_orm(column_type = "String(StringLen::N(255))", unique, nullable)]
    pub stripe_connect_id: Option<String>,
    /// Stripe Connect onboarding finished (charges and payouts enabled).
    pub payouts_enabled: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub bio: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub bio_fr: Option<String>,
    pub languages: Json,
    /// Specialisation tags the search filters on (`["oral_exam", …]`).
    #[sea_orm(nullable)]
    pub specializations: Option<Json>,
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub timezone: String,
    pub sle_verified: bool,
    pub status: CoachStatus,
    pub rating_avg: f64,
    pub rating_count: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::UserId",
        to = "crate::users::users::Column::Id",
        on_delete = "Restrict"
    )]
    Users,
    #[sea_orm(has_many = "crate::coaching::coach_availability::Entity")]
    CoachAvailability,
    #[sea_orm(has_many = "crate::coaching::coach_availability_exceptions::Entity")]
    CoachAvailabilityExceptions,
    #[sea_orm(has_many = "crate::coaching::sessions::Entity")]
    Sessions,
    #[sea_orm(has_many = "crate::calendly::coach_calendly_integrations::Entity")]
    CoachCalendlyIntegrations,
    #[sea_orm(has_many = "crate::payments::payout_ledger::Entity")]
    PayoutLedger,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::coaching::coach_availability::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachAvailability.def()
    }
}

impl Related<crate::coaching::coach_availability_exceptions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachAvailabilityExceptions.def()
    }
}

impl Related<crate::coaching::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl Related<crate::calendly::coach_calendly_integrations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachCalendlyIntegrations.def()
    }
}

impl Related<crate::payments::payout_ledger::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PayoutLedger.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
