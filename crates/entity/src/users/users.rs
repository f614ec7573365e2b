//! `users`: All platform users (learners, coaches, HR administrators, administrators).

use crate::{Secret, enums::Language, enums::UserRole, enums::UserStatus};
use sea_orm::entity::prelude::*;

/// A row of `users`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Trimmed and lower-cased; unique.
    #[sea_orm(column_type = "String(StringLen::N(255))", unique)]
    pub email: String,
    /// SECRET: argon2id PHC string. Never serialised, never logged (Debug prints `[redacted]`).
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub password: Secret,
    pub role: UserRole,
    #[sea_orm(column_type = "String(StringLen::N(100))")]
    pub first_name: String,
    #[sea_orm(column_type = "String(StringLen::N(100))")]
    pub last_name: String,
    pub language: Language,
    #[sea_orm(nullable)]
    pub email_verified_at: Option<DateTimeUtc>,
    pub status: UserStatus,
    #[sea_orm(nullable)]
    pub last_login_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Incremented by every event that ends the account's credentials; access tokens issued
    /// under an older value are refused.
    pub credential_version: i32,
    /// The number of the latest event written to the user's `userEvents` log.
    pub event_seq: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "crate::users::user_profiles::Entity")]
    UserProfiles,
    #[sea_orm(has_many = "crate::auth::password_resets::Entity")]
    PasswordResets,
    #[sea_orm(has_many = "crate::auth::email_verifications::Entity")]
    EmailVerifications,
    #[sea_orm(has_many = "crate::auth::refresh_tokens::Entity")]
    RefreshTokens,
    #[sea_orm(has_many = "crate::auth::audit_logs::Entity")]
    AuditLogs,
    #[sea_orm(has_many = "crate::auth::api_keys::Entity")]
    ApiKeys,
    #[sea_orm(has_many = "crate::auth::idempotency_keys::Entity")]
    IdempotencyKeys,
    #[sea_orm(has_many = "crate::courses::courses::Entity")]
    Courses,
    #[sea_orm(has_many = "crate::progress::lesson_progress::Entity")]
    LessonProgress,
    #[sea_orm(has_many = "crate::enrollments::enrollments::Entity")]
    Enrollments,
    #[sea_orm(has_many = "crate::certificates::certificates::Entity")]
    Certificates,
    #[sea_orm(has_many = "crate::courses::quiz_attempts::Entity")]
    QuizAttempts,
    #[sea_orm(has_many = "crate::courses::course_reviews::Entity")]
    CourseReviews,
    #[sea_orm(has_many = "crate::users::sle_results::Entity")]
    SleResults,
    #[sea_orm(has_many = "crate::progress::progress_sync_queue::Entity")]
    ProgressSyncQueue,
    #[sea_orm(has_many = "crate::progress::progress_snapshots::Entity")]
    ProgressSnapshots,
    #[sea_orm(has_many = "crate::payments::payments::Entity")]
    Payments,
    #[sea_orm(has_many = "crate::payments::refunds::Entity")]
    Refunds,
    #[sea_orm(has_many = "crate::payments::subscriptions::Entity")]
    Subscriptions,
    #[sea_orm(has_many = "crate::payments::invoices::Entity")]
    Invoices,
    #[sea_orm(has_many = "crate::payments::coupon_redemptions::Entity")]
    CouponRedemptions,
    #[sea_orm(has_many = "crate::coaching::coach_profiles::Entity")]
    CoachProfiles,
    #[sea_orm(has_many = "crate::coaching::coach_applications::Entity")]
    CoachApplications,
    #[sea_orm(has_many = "crate::coaching::coaching_plan_purchases::Entity")]
    CoachingPlanPurchases,
    #[sea_orm(has_many = "crate::coaching::sessions::Entity")]
    Sessions,
    #[sea_orm(has_many = "crate::coaching::session_feedback::Entity")]
    SessionFeedback,
    #[sea_orm(has_many = "crate::chat::chat_rooms::Entity")]
    ChatRooms,
    #[sea_orm(has_many = "crate::chat::chat_messages::Entity")]
    ChatMessages,
    #[sea_orm(has_many = "crate::chat::chat_room_members::Entity")]
    ChatRoomMembers,
    #[sea_orm(has_many = "crate::notifications::notifications::Entity")]
    Notifications,
    #[sea_orm(has_many = "crate::notifications::notification_preferences::Entity")]
    NotificationPreferences,
    #[sea_orm(has_many = "crate::notifications::push_subscriptions::Entity")]
    PushSubscriptions,
    #[sea_orm(has_many = "crate::admin::feature_flag_history::Entity")]
    FeatureFlagHistory,
    #[sea_orm(has_many = "crate::admin::error_logs::Entity")]
    ErrorLogs,
    #[sea_orm(has_many = "crate::hr::organization_members::Entity")]
    OrganizationMembers,
    #[sea_orm(has_many = "crate::reports::generated_reports::Entity")]
    GeneratedReports,
    #[sea_orm(has_many = "crate::hr::budget_forecasts::Entity")]
    BudgetForecasts,
}

impl Related<crate::users::user_profiles::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::UserProfiles.def()
    }
}

impl Related<crate::auth::password_resets::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PasswordResets.def()
    }
}

impl Related<crate::auth::email_verifications::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::EmailVerifications.def()
    }
}

impl Related<crate::auth::refresh_tokens::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RefreshTokens.def()
    }
}

impl Related<crate::auth::audit_logs::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AuditLogs.def()
    }
}

impl Related<crate::auth::api_keys::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ApiKeys.def()
    }
}

impl Related<crate::auth::idempotency_keys::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::IdempotencyKeys.def()
    }
}

impl Related<crate::courses::courses::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Courses.def()
    }
}

impl Related<crate::progress::lesson_progress::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LessonProgress.def()
    }
}

impl Related<crate::enrollments::enrollments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Enrollments.def()
    }
}

impl Related<crate::certificates::certificates::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Certificates.def()
    }
}

impl Related<crate::courses::quiz_attempts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::QuizAttempts.def()
    }
}

impl Related<crate::courses::course_reviews::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CourseReviews.def()
    }
}

impl Related<crate::users::sle_results::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SleResults.def()
    }
}

impl Related<crate::progress::progress_sync_queue::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProgressSyncQueue.def()
    }
}

impl Related<crate::progress::progress_snapshots::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProgressSnapshots.def()
    }
}

impl Related<crate::payments::payments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Payments.def()
    }
}

impl Related<crate::payments::refunds::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Refunds.def()
    }
}

impl Related<crate::payments::subscriptions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subscriptions.def()
    }
}

impl Related<crate::payments::invoices::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invoices.def()
    }
}

impl Related<crate::payments::coupon_redemptions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CouponRedemptions.def()
    }
}

impl Related<crate::coaching::coach_profiles::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachProfiles.def()
    }
}

impl Related<crate::coaching::coach_applications::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachApplications.def()
    }
}

impl Related<crate::coaching::coaching_plan_purchases::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachingPlanPurchases.def()
    }
}

impl Related<crate::coaching::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl Related<crate::coaching::session_feedback::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SessionFeedback.def()
    }
}

impl Related<crate::chat::chat_rooms::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChatRooms.def()
    }
}

impl Related<crate::chat::chat_messages::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChatMessages.def()
    }
}

impl Related<crate::chat::chat_room_members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChatRoomMembers.def()
    }
}

impl Related<crate::notifications::notifications::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Notifications.def()
    }
}

impl Related<crate::notifications::notification_preferences::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::NotificationPreferences.def()
    }
}

impl Related<crate::notifications::push_subscriptions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PushSubscriptions.def()
    }
}

impl Related<crate::admin::feature_flag_history::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FeatureFlagHistory.def()
    }
}

impl Related<crate::admin::error_logs::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ErrorLogs.def()
    }
}

impl Related<crate::hr::organization_members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrganizationMembers.def()
    }
}

impl Related<crate::reports::generated_reports::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::GeneratedReports.def()
    }
}

impl Related<crate::hr::budget_forecasts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::BudgetForecasts.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
