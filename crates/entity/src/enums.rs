//! String-backed enums stored as short `VARCHAR`s (never native `ENUM`, which TiDB and SQLite treat differently).
//! They serialise to the same strings they are stored as.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Role of a user; `learner` is the default and nobody can grant themselves another.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum UserRole {
    #[sea_orm(string_value = "learner")]
    #[serde(rename = "learner")]
    Learner,
    #[sea_orm(string_value = "coach")]
    #[serde(rename = "coach")]
    Coach,
    #[sea_orm(string_value = "hr_admin")]
    #[serde(rename = "hr_admin")]
    HrAdmin,
    #[sea_orm(string_value = "admin")]
    #[serde(rename = "admin")]
    Admin,
}

/// Account status; suspended and deleted users are refused at the next request.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum UserStatus {
    #[sea_orm(string_value = "active")]
    #[serde(rename = "active")]
    Active,
    #[sea_orm(string_value = "suspended")]
    #[serde(rename = "suspended")]
    Suspended,
    #[sea_orm(string_value = "deleted")]
    #[serde(rename = "deleted")]
    Deleted,
}

/// Interface and correspondence language of a person or document.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Language {
    #[sea_orm(string_value = "en")]
    #[serde(rename = "en")]
    En,
    #[sea_orm(string_value = "fr")]
    #[serde(rename = "fr")]
    Fr,
}

/// The official language a learner is working towards.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum TargetLanguage {
    #[sea_orm(string_value = "french")]
    #[serde(rename = "french")]
    French,
    #[sea_orm(string_value = "english")]
    #[serde(rename = "english")]
    English,
}

/// Publication state of a course or learning path.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum CourseStatus {
    #[sea_orm(string_value = "draft")]
    #[serde(rename = "draft")]
    Draft,
    #[sea_orm(string_value = "published")]
    #[serde(rename = "published")]
    Published,
    #[sea_orm(string_value = "archived")]
    #[serde(rename = "archived")]
    Archived,
}

/// Language a course is taught in.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum CourseLanguage {
    #[sea_orm(string_value = "en")]
    #[serde(rename = "en")]
    En,
    #[sea_orm(string_value = "fr")]
    #[serde(rename = "fr")]
    Fr,
    #[sea_orm(string_value = "bilingual")]
    #[serde(rename = "bilingual")]
    Bilingual,
}

/// Kind of lesson content.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum LessonType {
    #[sea_orm(string_value = "video")]
    #[serde(rename = "video")]
    Video,
    #[sea_orm(string_value = "text")]
    #[serde(rename = "text")]
    Text,
    #[sea_orm(string_value = "audio")]
    #[serde(rename = "audio")]
    Audio,
    #[sea_orm(string_value = "quiz")]
    #[serde(rename = "quiz")]
    Quiz,
    #[sea_orm(string_value = "assignment")]
    #[serde(rename = "assignment")]
    Assignment,
}

/// State of a learner's enrollment in a course.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum EnrollmentStatus {
    #[sea_orm(string_value = "active")]
    #[serde(rename = "active")]
    Active,
    #[sea_orm(string_value = "completed")]
    #[serde(rename = "completed")]
    Completed,
    #[sea_orm(string_value = "expired")]
    #[serde(rename = "expired")]
    Expired,
    #[sea_orm(string_value = "refunded")]
    #[serde(rename = "refunded")]
    Refunded,
}

/// How the learner obtained access to the course.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum EnrollmentSource {
    #[sea_orm(string_value = "free")]
    #[serde(rename = "free")]
    Free,
    #[sea_orm(string_value = "purchase")]
    #[serde(rename = "purchase")]
    Purchase,
    #[sea_orm(string_value = "subscription")]
    #[serde(rename = "subscription")]
    Subscription,
    #[sea_orm(string_value = "admin")]
    #[serde(rename = "admin")]
    Admin,
    #[sea_orm(string_value = "path")]
    #[serde(rename = "path")]
    Path,
}

/// Second Language Evaluation skill.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum SleSkill {
    #[sea_orm(string_value = "reading")]
    #[serde(rename = "reading")]
    Reading,
    #[sea_orm(string_value = "writing")]
    #[serde(rename = "writing")]
    Writing,
    #[sea_orm(string_value = "oral")]
    #[serde(rename = "oral")]
    Oral,
}

/// Second Language Evaluation level (X = below A, E = exempt).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum SleLevel {
    #[sea_orm(string_value = "X")]
    #[serde(rename = "X")]
    X,
    #[sea_orm(string_value = "A")]
    #[serde(rename = "A")]
    A,
    #[sea_orm(string_value = "B")]
    #[serde(rename = "B")]
    B,
    #[sea_orm(string_value = "C")]
    #[serde(rename = "C")]
    C,
    #[sea_orm(string_value = "E")]
    #[serde(rename = "E")]
    E,
}

/// Where an SLE result comes from.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum SleSource {
    #[sea_orm(string_value = "official")]
    #[serde(rename = "official")]
    Official,
    #[sea_orm(string_value = "assessment")]
    #[serde(rename = "assessment")]
    Assessment,
    #[sea_orm(string_value = "coach")]
    #[serde(rename = "coach")]
    Coach,
}

/// Outcome of one offline progress operation.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum SyncStatus {
    #[sea_orm(string_value = "applied")]
    #[serde(rename = "applied")]
    Applied,
    #[sea_orm(string_value = "merged")]
    #[serde(rename = "merged")]
    Merged,
    #[sea_orm(string_value = "rejected")]
    #[serde(rename = "rejected")]
    Rejected,
}

/// Whether a coach currently takes bookings.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum CoachStatus {
    #[sea_orm(string_value = "active")]
    #[serde(rename = "active")]
    Active,
    #[sea_orm(string_value = "paused")]
    #[serde(rename = "paused")]
    Paused,
}

/// State of a become-a-coach application.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ApplicationStatus {
    #[sea_orm(string_value = "submitted")]
    #[serde(rename = "submitted")]
    Submitted,
    #[sea_orm(string_value = "approved")]
    #[serde(rename = "approved")]
    Approved,
    #[sea_orm(string_value = "rejected")]
    #[serde(rename = "rejected")]
    Rejected,
}

/// Coaching session state machine (see RULES: pending -> confirmed -> in_progress -> completed).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum SessionStatus {
    #[sea_orm(string_value = "pending")]
    #[serde(rename = "pending")]
    Pending,
    #[sea_orm(string_value = "confirmed")]
    #[serde(rename = "confirmed")]
    Confirmed,
    #[sea_orm(string_value = "in_progress")]
    #[serde(rename = "in_progress")]
    InProgress,
    #[sea_orm(string_value = "completed")]
    #[serde(rename = "completed")]
    Completed,
    #[sea_orm(string_value = "cancelled")]
    #[serde(rename = "cancelled")]
    Cancelled,
    #[sea_orm(string_value = "no_show")]
    #[serde(rename = "no_show")]
    NoShow,
}

/// Kind of coaching session: 30 min trial, 60 min single, or one session of a package.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum SessionType {
    #[sea_orm(string_value = "trial")]
    #[serde(rename = "trial")]
    Trial,
    #[sea_orm(string_value = "single")]
    #[serde(rename = "single")]
    Single,
    #[sea_orm(string_value = "package")]
    #[serde(rename = "package")]
    Package,
}

/// State of a purchased coaching package.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum PlanPurchaseStatus {
    #[sea_orm(string_value = "active")]
    #[serde(rename = "active")]
    Active,
    #[sea_orm(string_value = "exhausted")]
    #[serde(rename = "exhausted")]
    Exhausted,
    #[sea_orm(string_value = "expired")]
    #[serde(rename = "expired")]
    Expired,
    #[sea_orm(string_value = "refunded")]
    #[serde(rename = "refunded")]
    Refunded,
}

/// State of a payment.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum PaymentStatus {
    #[sea_orm(string_value = "pending")]
    #[serde(rename = "pending")]
    Pending,
    #[sea_orm(string_value = "succeeded")]
    #[serde(rename = "succeeded")]
    Succeeded,
    #[sea_orm(string_value = "failed")]
    #[serde(rename = "failed")]
    Failed,
    #[sea_orm(string_value = "refunded")]
    #[serde(rename = "refunded")]
    Refunded,
    #[sea_orm(string_value = "partially_refunded")]
    #[serde(rename = "partially_refunded")]
    PartiallyRefunded,
}

/// What a payment buys; `referenceId` points into the matching table.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum PaymentPurpose {
    #[sea_orm(string_value = "course")]
    #[serde(rename = "course")]
    Course,
    #[sea_orm(string_value = "path")]
    #[serde(rename = "path")]
    Path,
    #[sea_orm(string_value = "session")]
    #[serde(rename = "session")]
    Session,
    #[sea_orm(string_value = "plan")]
    #[serde(rename = "plan")]
    Plan,
    #[sea_orm(string_value = "subscription")]
    #[serde(rename = "subscription")]
    Subscription,
}

/// State of a refund at the payment provider.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum RefundStatus {
    #[sea_orm(string_value = "pending")]
    #[serde(rename = "pending")]
    Pending,
    #[sea_orm(string_value = "succeeded")]
    #[serde(rename = "succeeded")]
    Succeeded,
    #[sea_orm(string_value = "failed")]
    #[serde(rename = "failed")]
    Failed,
}

/// Subscription state mirrored from Stripe.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum SubscriptionStatus {
    #[sea_orm(string_value = "trialing")]
    #[serde(rename = "trialing")]
    Trialing,
    #[sea_orm(string_value = "active")]
    #[serde(rename = "active")]
    Active,
    #[sea_orm(string_value = "past_due")]
    #[serde(rename = "past_due")]
    PastDue,
    #[sea_orm(string_value = "canceled")]
    #[serde(rename = "canceled")]
    Canceled,
    #[sea_orm(string_value = "incomplete")]
    #[serde(rename = "incomplete")]
    Incomplete,
}

/// Billing interval of a subscription plan.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum PlanInterval {
    #[sea_orm(string_value = "month")]
    #[serde(rename = "month")]
    Month,
    #[sea_orm(string_value = "year")]
    #[serde(rename = "year")]
    Year,
}

/// State of an invoice.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum InvoiceStatus {
    #[sea_orm(string_value = "draft")]
    #[serde(rename = "draft")]
    Draft,
    #[sea_orm(string_value = "open")]
    #[serde(rename = "open")]
    Open,
    #[sea_orm(string_value = "paid")]
    #[serde(rename = "paid")]
    Paid,
    #[sea_orm(string_value = "void")]
    #[serde(rename = "void")]
    Void,
}

/// How a coupon's `value` is applied: percent (0-100) or cents off.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum CouponKind {
    #[sea_orm(string_value = "percentage")]
    #[serde(rename = "percentage")]
    Percentage,
    #[sea_orm(string_value = "fixed_amount")]
    #[serde(rename = "fixed_amount")]
    FixedAmount,
}

/// Which purchases a coupon applies to.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum CouponScope {
    #[sea_orm(string_value = "all")]
    #[serde(rename = "all")]
    All,
    #[sea_orm(string_value = "course")]
    #[serde(rename = "course")]
    Course,
    #[sea_orm(string_value = "path")]
    #[serde(rename = "path")]
    Path,
    #[sea_orm(string_value = "session")]
    #[serde(rename = "session")]
    Session,
    #[sea_orm(string_value = "plan")]
    #[serde(rename = "plan")]
    Plan,
    #[sea_orm(string_value = "subscription")]
    #[serde(rename = "subscription")]
    Subscription,
}

/// Kind of coach money movement.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum LedgerType {
    #[sea_orm(string_value = "session_payment")]
    #[serde(rename = "session_payment")]
    SessionPayment,
    #[sea_orm(string_value = "refund")]
    #[serde(rename = "refund")]
    Refund,
    #[sea_orm(string_value = "payout")]
    #[serde(rename = "payout")]
    Payout,
    #[sea_orm(string_value = "adjustment")]
    #[serde(rename = "adjustment")]
    Adjustment,
}

/// Settlement state of a coach ledger entry.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum LedgerStatus {
    #[sea_orm(string_value = "pending")]
    #[serde(rename = "pending")]
    Pending,
    #[sea_orm(string_value = "available")]
    #[serde(rename = "available")]
    Available,
    #[sea_orm(string_value = "paid")]
    #[serde(rename = "paid")]
    Paid,
    #[sea_orm(string_value = "reversed")]
    #[serde(rename = "reversed")]
    Reversed,
}

/// External system that sent a webhook.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum WebhookProvider {
    #[sea_orm(string_value = "stripe")]
    #[serde(rename = "stripe")]
    Stripe,
    #[sea_orm(string_value = "calendly")]
    #[serde(rename = "calendly")]
    Calendly,
}

/// Processing state of an inbound webhook event.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum WebhookStatus {
    #[sea_orm(string_value = "processing")]
    #[serde(rename = "processing")]
    Processing,
    #[sea_orm(string_value = "processed")]
    #[serde(rename = "processed")]
    Processed,
    #[sea_orm(string_value = "failed")]
    #[serde(rename = "failed")]
    Failed,
}

/// Kind of chat room.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ChatRoomType {
    #[sea_orm(string_value = "direct")]
    #[serde(rename = "direct")]
    Direct,
    #[sea_orm(string_value = "group")]
    #[serde(rename = "group")]
    Group,
    #[sea_orm(string_value = "coaching")]
    #[serde(rename = "coaching")]
    Coaching,
}

/// Role of a member inside a chat room.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ChatMemberRole {
    #[sea_orm(string_value = "owner")]
    #[serde(rename = "owner")]
    Owner,
    #[sea_orm(string_value = "moderator")]
    #[serde(rename = "moderator")]
    Moderator,
    #[sea_orm(string_value = "member")]
    #[serde(rename = "member")]
    Member,
}

/// Kind of chat message.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ChatMessageType {
    #[sea_orm(string_value = "text")]
    #[serde(rename = "text")]
    Text,
    #[sea_orm(string_value = "image")]
    #[serde(rename = "image")]
    Image,
    #[sea_orm(string_value = "file")]
    #[serde(rename = "file")]
    File,
    #[sea_orm(string_value = "system")]
    #[serde(rename = "system")]
    System,
}

/// Whether a client organisation is active.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum OrganizationStatus {
    #[sea_orm(string_value = "active")]
    #[serde(rename = "active")]
    Active,
    #[sea_orm(string_value = "inactive")]
    #[serde(rename = "inactive")]
    Inactive,
}

/// Role of a person inside a client organisation.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum OrganizationRole {
    #[sea_orm(string_value = "manager")]
    #[serde(rename = "manager")]
    Manager,
    #[sea_orm(string_value = "member")]
    #[serde(rename = "member")]
    Member,
}

/// Generation state of a report.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ReportStatus {
    #[sea_orm(string_value = "queued")]
    #[serde(rename = "queued")]
    Queued,
    #[sea_orm(string_value = "running")]
    #[serde(rename = "running")]
    Running,
    #[sea_orm(string_value = "ready")]
    #[serde(rename = "ready")]
    Ready,
    #[sea_orm(string_value = "failed")]
    #[serde(rename = "failed")]
    Failed,
}

/// State of a background job.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum JobStatus {
    /// Waiting for its `runAt`.
    #[sea_orm(string_value = "queued")]
    #[serde(rename = "queued")]
    Queued,
    /// Claimed by a worker until `lockedUntil`; claimable again once that lease expires.
    #[sea_orm(string_value = "running")]
    #[serde(rename = "running")]
    Running,
    /// Done.
    #[sea_orm(string_value = "succeeded")]
    #[serde(rename = "succeeded")]
    Succeeded,
    /// The last attempt failed (`lastError`); retried at `runAt`.
    #[sea_orm(string_value = "failed")]
    #[serde(rename = "failed")]
    Failed,
    /// Every attempt failed; only an administrator's retry runs it again.
    #[sea_orm(string_value = "dead")]
    #[serde(rename = "dead")]
    Dead,
}
