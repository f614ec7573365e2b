//! `sessions`: Coaching sessions between a coach and a learner.

use crate::{enums::SessionStatus, enums::SessionType};
use sea_orm::entity::prelude::*;

/// A row of `sessions`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `coachProfiles.id`.
    pub coach_id: i64,
    /// References `users.id`.
    pub learner_id: i64,
    pub scheduled_at: DateTimeUtc,
    pub status: SessionStatus,
    pub r#type: SessionType,
    pub duration_minutes: i32,
    /// Pre-tax price in cents.
    pub price: i64,
    pub tax_amount: i64,
    #[sea_orm(column_type = "Char(Some(3))")]
    pub currency: String,
    #[sea_orm(column_type = "String(StringLen::N(512))", nullable)]
    pub meeting_url: Option<String>,
    /// References `users.id`.
    #[sea_orm(nullable)]
    pub cancelled_by: Option<i64>,
    #[sea_orm(nullable)]
    pub cancelled_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "String(StringLen::N(512))", nullable)]
    pub cancellation_reason: Option<String>,
    /// References `coachingPlanPurchases.id`.
    #[sea_orm(nullable)]
    pub plan_purchase_id: Option<i64>,
    /// References `payments.id`.
    #[sea_orm(nullable)]
    pub payment_id: Option<i64>,
    #[sea_orm(column_type = "String(StringLen::N(255))", unique, nullable)]
    pub calendly_event_uri: Option<String>,
    /// Cents (tax included) the cancellation policy says are owed back; executed by payments.
    #[sea_orm(nullable)]
    pub refund_due: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::coaching::coach_profiles::Entity",
        from = "Column::CoachId",
        to = "crate::coaching::coach_profiles::Column::Id",
        on_delete = "Restrict"
    )]
    CoachProfiles,
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::LearnerId",
        to = "crate::users::users::Column::Id",
        on_delete = "Restrict"
    )]
    Users,
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::CancelledBy",
        to = "crate::users::users::Column::Id",
        on_delete = "SetNull"
    )]
    CancelledBy,
    #[sea_orm(
        belongs_to = "crate::coaching::coaching_plan_purchases::Entity",
        from = "Column::PlanPurchaseId",
        to = "crate::coaching::coaching_plan_purchases::Column::Id",
        on_delete = "SetNull"
    )]
    CoachingPlanPurchases,
    #[sea_orm(
        belongs_to = "crate::payments::payments::Entity",
        from = "Column::PaymentId",
        to = "crate::payments::payments::Column::Id",
        on_delete = "SetNull"
    )]
    Payments,
    #[sea_orm(has_many = "crate::coaching::session_recordings::Entity")]
    SessionRecordings,
    #[sea_orm(has_many = "crate::coaching::session_feedback::Entity")]
    SessionFeedback,
    #[sea_orm(has_many = "crate::payments::payout_ledger::Entity")]
    PayoutLedger,
    #[sea_orm(has_many = "crate::chat::chat_rooms::Entity")]
    ChatRooms,
}

impl Related<crate::coaching::coach_profiles::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachProfiles.def()
    }
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::coaching::coaching_plan_purchases::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachingPlanPurchases.def()
    }
}

impl Related<crate::payments::payments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Payments.def()
    }
}

impl Related<crate::coaching::session_recordings::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SessionRecordings.def()
    }
}

impl Related<crate::coaching::session_feedback::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SessionFeedback.def()
    }
}

impl Related<crate::payments::payout_ledger::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PayoutLedger.def()
    }
}

impl Related<crate::chat::chat_rooms::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChatRooms.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
