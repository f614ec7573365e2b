//! Request and response types of the users domain: one's own account and profile, SLE results,
//! and users as administrators see them. [`UserDto`] itself is shared (`crate::dto`).

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{
    Language, SleLevel, SleSkill, SleSource, TargetLanguage, UserRole, UserStatus,
};
use entity::users::{sle_results, users};
use serde::{Deserialize, Serialize};
use service::users::admin::{Changes, Filter};
use service::users::{self as account, AccountChanges, DEFAULT_TIMEZONE, Profile, sle};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::bounded::{Day, List, Text, checked_text};
use crate::dto::UserDto;
use crate::routes::auth::dto::PersonName;

// ---------------------------------------------------------------------------------------------
// My account
// ---------------------------------------------------------------------------------------------

/// Fields of one's own account that can change here. Role, status and e-mail cannot: unknown
/// fields are refused with 422.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"firstName": "Marie", "lastName": "Tremblay", "language": "fr"}))]
pub struct UpdateMeRequest {
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
    pub language: Option<Language>,
}

impl From<UpdateMeRequest> for AccountChanges {
    fn from(r: UpdateMeRequest) -> Self {
        Self {
            first_name: r.first_name.map(Into::into),
            last_name: r.last_name.map(Into::into),
            language: r.language,
        }
    }
}

/// The extended profile.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileDto {
    pub bio: Option<String>,
    /// `https://` URL of the picture.
    pub avatar: Option<String>,
    /// IANA time zone.
    #[schema(example = "America/Toronto")]
    pub timezone: String,
    pub phone: Option<String>,
    #[schema(example = "Health Canada")]
    pub department: Option<String>,
    #[schema(example = "Policy Analyst (EC-04)")]
    pub position: Option<String>,
    pub target_language: Option<TargetLanguage>,
}

/// The extended profile to store (replaces the previous one; omitted fields become empty).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "bio": "Policy analyst preparing for my CBC.",
    "timezone": "America/Toronto",
    "department": "Health Canada",
    "position": "Policy Analyst (EC-04)",
    "targetLanguage": "french"
}))]
pub struct ProfileRequest {
    pub bio: Option<Text<0, { account::MAX_BIO }>>,
    /// `https://` URL of the picture.
    pub avatar: Option<AvatarUrl>,
    /// `America/Toronto` when omitted.
    #[serde(default = "default_timezone")]
    pub timezone: TimeZone,
    pub phone: Option<Text<0, { account::MAX_PHONE }>>,
    pub department: Option<Text<0, { account::MAX_ORGANISATION_TEXT }>>,
    pub position: Option<Text<0, { account::MAX_ORGANISATION_TEXT }>>,
    pub target_language: Option<TargetLanguage>,
}

fn default_timezone() -> TimeZone {
    TimeZone::new_unchecked(DEFAULT_TIMEZONE.to_owned())
}

checked_text! {
    /// An IANA time zone name such as `America/Toronto` (or `UTC`).
    TimeZone: 1, account::MAX_TIMEZONE,
    check = account::valid_timezone,
    pattern = r"^(UTC|[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)+)$",
    format = None,
    code = "invalid_timezone",
    message = "must be an IANA time zone such as America/Toronto",
    example = "America/Toronto"
}

checked_text! {
    /// An `https://` URL (or empty for none).
    AvatarUrl: 0, account::MAX_AVATAR,
    check = |url| url.is_empty() || url.starts_with("https://"),
    pattern = r"^(https://[\s\S]*)?$",
    format = None,
    code = "invalid_url",
    message = "must be an https:// URL"
}

impl From<Profile> for ProfileDto {
    fn from(p: Profile) -> Self {
        Self {
            bio: p.bio,
            avatar: p.avatar,
            timezone: p.timezone,
            phone: p.phone,
            department: p.department,
            position: p.position,
            target_language: p.target_language,
        }
    }
}

impl From<ProfileRequest> for Profile {
    fn from(p: ProfileRequest) -> Self {
        Self {
            bio: p.bio.map(Into::into),
            avatar: p.avatar.map(Into::into),
            timezone: p.timezone.into(),
            phone: p.phone.map(Into::into),
            department: p.department.map(Into::into),
            position: p.position.map(Into::into),
            target_language: p.target_language,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SLE results
// ---------------------------------------------------------------------------------------------

/// One Second Language Evaluation result.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SleResultDto {
    pub skill: SleSkill,
    pub level: SleLevel,
    pub tested_at: Option<NaiveDate>,
    pub expires_at: Option<NaiveDate>,
    /// `official` or `assessment` (coach assessments are recorded by coaches).
    pub source: SleSource,
}

impl From<sle_results::Model> for SleResultDto {
    fn from(r: sle_results::Model) -> Self {
        Self {
            skill: r.skill,
            level: r.level,
            tested_at: r.tested_at,
            expires_at: r.expires_at,
            source: r.source,
        }
    }
}

/// One result to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SleResultInput {
    pub skill: SleSkill,
    pub level: SleLevel,
    pub tested_at: Option<Day>,
    pub expires_at: Option<Day>,
    /// Coach assessments are recorded by coaches.
    pub source: SelfReportedSource,
}

impl From<SleResultInput> for sle::NewResult {
    fn from(r: SleResultInput) -> Self {
        Self {
            skill: r.skill,
            level: r.level,
            tested_at: r.tested_at.map(Into::into),
            expires_at: r.expires_at.map(Into::into),
            source: r.source.into(),
        }
    }
}

/// All of the caller's self-reported results.
#[derive(Debug, Serialize, ToSchema)]
pub struct SleResultsDto {
    pub results: Vec<SleResultDto>,
}

impl From<Vec<sle_results::Model>> for SleResultsDto {
    fn from(rows: Vec<sle_results::Model>) -> Self {
        Self {
            results: rows.into_iter().map(Into::into).collect(),
        }
    }
}

/// The caller's self-reported results, replacing the previous ones.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"results": [
    {"skill": "reading", "level": "C", "testedAt": "2026-03-12", "expiresAt": "2031-03-12", "source": "official"},
    {"skill": "oral", "level": "B", "testedAt": "2026-04-02", "source": "official"}
]}))]
pub struct SleResultsRequest {
    pub results: List<SleResultInput, 0, { sle::MAX_RESULTS }>,
}

impl From<SleResultsRequest> for Vec<sle::NewResult> {
    fn from(dto: SleResultsRequest) -> Self {
        dto.results.convert()
    }
}

/// Where a self-reported result comes from.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SelfReportedSource {
    /// An official Public Service Commission result.
    Official,
    /// A self-assessment.
    Assessment,
}

impl From<SelfReportedSource> for SleSource {
    fn from(source: SelfReportedSource) -> Self {
        match source {
            SelfReportedSource::Official => Self::Official,
            SelfReportedSource::Assessment => Self::Assessment,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// User management (administrators)
// ---------------------------------------------------------------------------------------------

/// A user as administrators see it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdminUserDto {
    #[serde(flatten)]
    pub user: UserDto,
    pub last_login_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<users::Model> for AdminUserDto {
    fn from(u: users::Model) -> Self {
        let (last_login_at, updated_at) = (u.last_login_at, u.updated_at);
        Self {
            user: u.into(),
            last_login_at,
            updated_at,
        }
    }
}

/// Filters of the user list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    pub role: Option<UserRole>,
    pub status: Option<UserStatus>,
    /// Case-insensitive search in e-mail, first and last name.
    pub q: Option<Text<1, 255>>,
}

impl From<UserListQuery> for Filter {
    fn from(q: UserListQuery) -> Self {
        Self {
            role: q.role,
            status: q.status,
            q: q.q.map(Into::into),
        }
    }
}

/// A status an administrator may set (deletion is the owner's decision).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusChange {
    Active,
    Suspended,
}

impl From<StatusChange> for UserStatus {
    fn from(status: StatusChange) -> Self {
        match status {
            StatusChange::Active => Self::Active,
            StatusChange::Suspended => Self::Suspended,
        }
    }
}

/// Role or status change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"role": "coach"}))]
pub struct AdminUserPatch {
    pub role: Option<UserRole>,
    /// `active` or `suspended` (deletion is the owner's decision).
    pub status: Option<StatusChange>,
}

impl From<AdminUserPatch> for Changes {
    fn from(p: AdminUserPatch) -> Self {
        Self {
            role: p.role,
            status: p.status.map(Into::into),
        }
    }
}
