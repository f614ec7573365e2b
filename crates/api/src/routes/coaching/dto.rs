//! Request and response types of the coaching domain.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::coaching::{
    coach_applications, coach_availability_exceptions, coaching_plans, session_feedback,
    session_recordings,
};
use entity::enums::{
    ApplicationStatus, CoachStatus, PlanPurchaseStatus, SessionStatus, SessionType,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use service::coaching::{
    self, applications, availability, feedback, plans, profiles, recordings, sessions, status,
};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::bounded::{Day, Id, Instant, Int, List, Text, checked_text, one_of};
use crate::dto::{Versioned, nullable};
use crate::routes::notifications::dto::LocalTime;
use crate::routes::users::dto::TimeZone;

one_of! {
    /// A language coached: `en` or `fr`.
    CoachLanguage = coaching::LANGUAGES
}
one_of! {
    /// A specialisation tag.
    Specialization = coaching::SPECIALIZATIONS
}
one_of! {
    /// An SLE level: `A`, `B`, `C` or `E` (exempt).
    SleLevel = coaching::SLE_LEVELS
}
checked_text! {
    /// An `https://` URL.
    HttpsUrl: 9, recordings::MAX_URL,
    check = |url| url.starts_with("https://") && url.len() > "https://".len(),
    pattern = r"^https://[\s\S]+$",
    format = None,
    code = "invalid_url",
    message = "must be an https:// URL",
    example = "https://video.example.ca/r/8f2c"
}

/// An hourly rate in cents.
pub type HourlyRate = Int<{ coaching::MIN_HOURLY_RATE }, { coaching::MAX_RATE }>;
/// A trial rate in cents (0 for a free trial).
pub type TrialRate = Int<0, { coaching::MAX_RATE }>;
/// A headline (`specialization`).
pub type Headline = Text<1, { coaching::MAX_HEADLINE }>;
/// A bio.
pub type Bio = Text<0, { coaching::MAX_LONG_TEXT }>;

/// Codes, sorted, each once.
fn strings<T: Into<String>>(items: Vec<T>) -> Vec<String> {
    let mut out: Vec<String> = items.into_iter().map(Into::into).collect();
    out.sort();
    out.dedup();
    out
}

fn list_of(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Applications

/// The applicant's own SLE levels.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SleLevels {
    pub reading: SleLevel,
    pub writing: SleLevel,
    pub oral: SleLevel,
}

/// A become-a-coach application.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "motivation": "Certified SLE examiner with ten years of oral exam coaching for federal public servants.",
    "specialization": "Oral exam preparation (levels B and C)",
    "specializations": ["oral_exam", "exam_strategy"],
    "languages": ["fr", "en"],
    "sleLevels": {"reading": "E", "writing": "E", "oral": "E"},
    "proposedHourlyRate": 7500,
    "proposedTrialRate": 2500
}))]
pub struct ApplicationRequest {
    /// Why you want to coach, and your experience.
    pub motivation: Text<20, { coaching::MAX_LONG_TEXT }>,
    /// A headline shown on your profile.
    pub specialization: Option<Headline>,
    pub specializations: List<Specialization, 1, 8>,
    pub languages: List<CoachLanguage, 1, 2>,
    pub sle_levels: SleLevels,
    /// Cents per 60-minute session, before tax.
    pub proposed_hourly_rate: HourlyRate,
    /// Cents per 30-minute trial, before tax; at most the hourly rate.
    pub proposed_trial_rate: TrialRate,
}

impl From<ApplicationRequest> for applications::NewApplication {
    fn from(r: ApplicationRequest) -> Self {
        let levels = BTreeMap::from([
            ("reading".to_owned(), String::from(r.sle_levels.reading)),
            ("writing".to_owned(), String::from(r.sle_levels.writing)),
            ("oral".to_owned(), String::from(r.sle_levels.oral)),
        ]);
        Self {
            motivation: r.motivation.into_inner(),
            specialization: r.specialization.map(Text::into_inner),
            specializations: strings(r.specializations.into_inner()),
            languages: strings(r.languages.into_inner()),
            sle_levels: levels,
            proposed_hourly_rate: r.proposed_hourly_rate.get(),
            proposed_trial_rate: r.proposed_trial_rate.get(),
        }
    }
}

/// An application.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationDto {
    pub id: i64,
    pub user_id: i64,
    pub motivation: String,
    pub specialization: Option<String>,
    pub specializations: Vec<String>,
    pub languages: Vec<String>,
    /// Skill → level.
    pub sle_levels: BTreeMap<String, String>,
    pub proposed_hourly_rate: Option<i64>,
    pub proposed_trial_rate: Option<i64>,
    pub status: ApplicationStatus,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_note: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<coach_applications::Model> for ApplicationDto {
    fn from(a: coach_applications::Model) -> Self {
        Self {
            sle_levels: applications::levels_of(&a),
            specializations: list_of(a.specializations.as_ref()),
            languages: list_of(a.languages.as_ref()),
            id: a.id,
            user_id: a.user_id,
            motivation: a.motivation,
            specialization: a.specialization,
            proposed_hourly_rate: a.proposed_hourly_rate,
            proposed_trial_rate: a.proposed_trial_rate,
            status: a.status,
            reviewed_by: a.reviewed_by,
            reviewed_at: a.reviewed_at,
            review_note: a.review_note,
            created_at: a.created_at,
        }
    }
}

/// Filters of the application list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationsQuery {
    pub status: Option<ApplicationStatus>,
}

/// An administrator's decision (`{}` is enough).
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"note": "Welcome aboard.", "sleVerified": true}))]
pub struct ReviewRequest {
    /// Shown to the applicant.
    pub note: Option<Text<1, { applications::MAX_NOTE }>>,
    /// Approvals: the applicant's SLE results were checked (shown as "SLE-verified").
    #[serde(default)]
    pub sle_verified: bool,
}

impl From<ReviewRequest> for applications::Review {
    fn from(r: ReviewRequest) -> Self {
        Self {
            note: r.note.map(Text::into_inner),
            sle_verified: r.sle_verified,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Coaches

/// A coach as the public sees them.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CoachDto {
    /// The coach profile's id (what `/coaches/{id}` and bookings take).
    pub id: i64,
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub specialization: Option<String>,
    pub specializations: Vec<String>,
    pub bio: Option<String>,
    pub bio_fr: Option<String>,
    pub languages: Vec<String>,
    /// Cents per 60-minute session, before tax.
    pub hourly_rate: i64,
    /// Cents per 30-minute trial, before tax.
    pub trial_rate: i64,
    pub currency: String,
    /// The coach's IANA time zone (availability is in it).
    pub timezone: String,
    pub sle_verified: bool,
    pub status: CoachStatus,
    /// Mean of the learners' ratings (0 without any).
    pub rating_avg: f64,
    pub rating_count: i32,
}

impl From<profiles::CoachView> for CoachDto {
    fn from(v: profiles::CoachView) -> Self {
        let p = v.profile;
        Self {
            specializations: list_of(p.specializations.as_ref()),
            languages: list_of(Some(&p.languages)),
            id: p.id,
            user_id: p.user_id,
            first_name: v.first_name,
            last_name: v.last_name,
            specialization: p.specialization,
            bio: p.bio,
            bio_fr: p.bio_fr,
            hourly_rate: p.hourly_rate,
            trial_rate: p.trial_rate,
            currency: p.currency,
            timezone: p.timezone,
            sle_verified: p.sle_verified,
            status: p.status,
            rating_avg: p.rating_avg,
            rating_count: p.rating_count,
        }
    }
}

/// The caller's own coach profile.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyCoachDto {
    #[serde(flatten)]
    pub coach: CoachDto,
    /// Stripe Connect onboarding finished: paid sessions can be booked.
    pub payouts_enabled: bool,
    pub updated_at: DateTime<Utc>,
}

impl From<profiles::CoachView> for MyCoachDto {
    fn from(v: profiles::CoachView) -> Self {
        let (payouts_enabled, updated_at) = (v.profile.payouts_enabled, v.profile.updated_at);
        Self {
            coach: v.into(),
            payouts_enabled,
            updated_at,
        }
    }
}

impl Versioned for MyCoachDto {
    fn etag(&self) -> String {
        service::courses::etag(self.coach.id, self.updated_at)
    }
}

/// Filters of the coach search (combined).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct CoachesQuery {
    pub language: Option<CoachLanguage>,
    pub specialization: Option<Specialization>,
    /// Lowest hourly rate, cents.
    pub min_price: Option<Int<0, { coaching::MAX_RATE }>>,
    /// Highest hourly rate, cents.
    pub max_price: Option<Int<0, { coaching::MAX_RATE }>>,
    pub sle_verified: Option<bool>,
    /// Lowest mean rating.
    pub min_rating: Option<Int<1, 5>>,
}

impl From<CoachesQuery> for profiles::Filter {
    fn from(q: CoachesQuery) -> Self {
        Self {
            language: q.language.map(Into::into),
            specialization: q.specialization.map(Into::into),
            min_price: q.min_price.map(Int::get),
            max_price: q.max_price.map(Int::get),
            sle_verified: q.sle_verified,
            #[allow(clippy::cast_precision_loss)]
            min_rating: q.min_rating.map(|r| r.get() as f64),
        }
    }
}

/// Changes to the caller's profile (fields left out stay; `null` clears a text).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"bio": "Ten years of SLE oral exam coaching.", "hourlyRate": 8000, "status": "active"}))]
pub struct UpdateCoachRequest {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(nullable)]
    pub specialization: Option<Option<Headline>>,
    pub specializations: Option<List<Specialization, 0, 8>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(nullable)]
    pub bio: Option<Option<Bio>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(nullable)]
    pub bio_fr: Option<Option<Bio>>,
    pub languages: Option<List<CoachLanguage, 1, 2>>,
    pub hourly_rate: Option<HourlyRate>,
    pub trial_rate: Option<TrialRate>,
    /// `paused` hides you from search and new bookings.
    pub status: Option<CoachStatus>,
}

impl From<UpdateCoachRequest> for profiles::Changes {
    fn from(r: UpdateCoachRequest) -> Self {
        Self {
            specialization: r.specialization.map(|v| v.map(Text::into_inner)),
            specializations: r.specializations.map(|l| strings(l.into_inner())),
            bio: r.bio.map(|v| v.map(Text::into_inner)),
            bio_fr: r.bio_fr.map(|v| v.map(Text::into_inner)),
            languages: r.languages.map(|l| strings(l.into_inner())),
            hourly_rate: r.hourly_rate.map(Int::get),
            trial_rate: r.trial_rate.map(Int::get),
            status: r.status,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Availability and slots

/// A weekly window, local times in the coach's time zone.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WindowDto {
    /// 0 = Sunday … 6 = Saturday.
    pub day_of_week: i32,
    #[schema(example = "09:00")]
    pub start_time: String,
    #[schema(example = "12:00")]
    pub end_time: String,
}

/// A weekly window to store.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WindowRequest {
    /// 0 = Sunday … 6 = Saturday.
    pub day_of_week: Int<0, 6>,
    pub start_time: LocalTime,
    /// After `startTime`, same day.
    pub end_time: LocalTime,
}

/// The weekly availability (replaces the previous one) and the time zone it is in.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "timezone": "America/Toronto",
    "windows": [{"dayOfWeek": 1, "startTime": "09:00", "endTime": "12:00"}, {"dayOfWeek": 3, "startTime": "13:00", "endTime": "17:00"}]
}))]
pub struct AvailabilityRequest {
    pub timezone: TimeZone,
    pub windows: List<WindowRequest, 0, { availability::MAX_WINDOWS }>,
}

impl AvailabilityRequest {
    /// The service's windows.
    pub fn windows(self) -> (String, Vec<availability::Window>) {
        let windows = self
            .windows
            .into_inner()
            .into_iter()
            .map(|w| availability::Window {
                day_of_week: w.day_of_week.to_i32(),
                start_time: w.start_time.into(),
                end_time: w.end_time.into(),
            })
            .collect();
        (self.timezone.into(), windows)
    }
}

/// A dated exception.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionDto {
    pub id: i64,
    pub date: NaiveDate,
    /// With `endTime`: the hours concerned; neither: the whole day.
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    /// `false`: time off; `true`: extra hours.
    pub available: bool,
    pub reason: Option<String>,
}

impl From<coach_availability_exceptions::Model> for ExceptionDto {
    fn from(e: coach_availability_exceptions::Model) -> Self {
        Self {
            id: e.id,
            date: e.date,
            start_time: e.start_time,
            end_time: e.end_time,
            available: e.available,
            reason: e.reason,
        }
    }
}

/// A coach's availability.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityDto {
    pub timezone: String,
    pub windows: Vec<WindowDto>,
    /// Exceptions from yesterday on.
    pub exceptions: Vec<ExceptionDto>,
}

impl From<availability::Availability> for AvailabilityDto {
    fn from(a: availability::Availability) -> Self {
        Self {
            timezone: a.timezone,
            windows: a
                .windows
                .into_iter()
                .map(|w| WindowDto {
                    day_of_week: w.day_of_week,
                    start_time: w.start_time,
                    end_time: w.end_time,
                })
                .collect(),
            exceptions: a.exceptions.into_iter().map(Into::into).collect(),
        }
    }
}

/// A day off, hours off, or extra hours.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-24", "available": false, "reason": "Holidays"}))]
pub struct ExceptionRequest {
    /// A date in the coach's time zone, today or later.
    pub date: Day,
    pub start_time: Option<LocalTime>,
    pub end_time: Option<LocalTime>,
    /// `false`: time off (the whole day without times); `true`: extra hours (times required).
    pub available: bool,
    pub reason: Option<Text<1, { availability::MAX_REASON }>>,
}

impl From<ExceptionRequest> for availability::NewException {
    fn from(r: ExceptionRequest) -> Self {
        Self {
            date: r.date.into(),
            start_time: r.start_time.map(Into::into),
            end_time: r.end_time.map(Into::into),
            available: r.available,
            reason: r.reason.map(Text::into_inner),
        }
    }
}

/// Which free slots to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotsQuery {
    /// Start of the range (default: now).
    pub from: Option<Instant>,
    /// End of the range (default: `from` + 7 days; at most 31 days after `from`).
    pub to: Option<Instant>,
    /// `trial` (30 min) or `single`/`package` (60 min; the default).
    pub r#type: Option<SessionType>,
}

/// Free slots of a coach.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SlotsDto {
    pub coach_id: i64,
    pub r#type: SessionType,
    pub duration_minutes: i64,
    /// The coach's time zone, for display.
    pub timezone: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Start instants (UTC) of free slots, ascending.
    pub slots: Vec<DateTime<Utc>>,
}

// ---------------------------------------------------------------------------------------------
// Sessions

/// A booking.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"coachId": 3, "type": "single", "scheduledAt": "2026-12-07T14:00:00Z"}))]
pub struct BookRequest {
    /// The coach profile's id.
    pub coach_id: Id,
    pub r#type: SessionType,
    /// A free slot's start (`GET /coaches/{id}/slots`).
    pub scheduled_at: Instant,
    /// `package` sessions: the plan purchase to take it from (`GET /users/me/coaching-plans`).
    pub plan_purchase_id: Option<Id>,
}

impl From<BookRequest> for sessions::Booking {
    fn from(r: BookRequest) -> Self {
        Self {
            coach_id: r.coach_id.get(),
            kind: r.r#type,
            scheduled_at: r.scheduled_at.into(),
            plan_purchase_id: r.plan_purchase_id.map(Int::get),
            payments: false,
        }
    }
}

/// A coaching session.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionDto {
    pub id: i64,
    /// The coach profile's id.
    pub coach_id: i64,
    /// The coach's user id.
    pub coach_user_id: i64,
    pub learner_id: i64,
    pub scheduled_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: SessionStatus,
    pub r#type: SessionType,
    pub duration_minutes: i32,
    /// Cents, before tax.
    pub price: i64,
    /// HST, cents.
    pub tax_amount: i64,
    pub currency: String,
    pub meeting_url: Option<String>,
    pub plan_purchase_id: Option<i64>,
    pub cancelled_by: Option<i64>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancellation_reason: Option<String>,
    /// Cents (tax included) owed back under the cancellation policy; refunded by payments.
    pub refund_due: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<sessions::SessionView> for SessionDto {
    fn from(v: sessions::SessionView) -> Self {
        let s = v.session;
        Self {
            ends_at: s.scheduled_at + Duration::minutes(i64::from(s.duration_minutes)),
            id: s.id,
            coach_id: s.coach_id,
            coach_user_id: v.coach_user_id,
            learner_id: s.learner_id,
            scheduled_at: s.scheduled_at,
            status: s.status,
            r#type: s.r#type,
            duration_minutes: s.duration_minutes,
            price: s.price,
            tax_amount: s.tax_amount,
            currency: s.currency,
            meeting_url: s.meeting_url,
            plan_purchase_id: s.plan_purchase_id,
            cancelled_by: s.cancelled_by,
            cancelled_at: s.cancelled_at,
            cancellation_reason: s.cancellation_reason,
            refund_due: s.refund_due,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// Which of the caller's sessions to list.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SideParam {
    Learner,
    Coach,
}

/// Filters of the caller's sessions.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionsQuery {
    /// Only the sessions where the caller is the learner, or the coach (default: both).
    pub r#as: Option<SideParam>,
    pub status: Option<SessionStatus>,
    /// Starting at or after.
    pub from: Option<Instant>,
    /// Starting before.
    pub to: Option<Instant>,
}

impl From<SessionsQuery> for sessions::Filter {
    fn from(q: SessionsQuery) -> Self {
        Self {
            side: q.r#as.map(|s| match s {
                SideParam::Learner => sessions::Side::Learner,
                SideParam::Coach => sessions::Side::Coach,
            }),
            status: q.status,
            from: q.from.map(Into::into),
            to: q.to.map(Into::into),
        }
    }
}

/// Why (optional; `{}` is enough).
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"reason": "Conflict with a work meeting"}))]
pub struct ReasonRequest {
    pub reason: Option<Text<1, { status::MAX_REASON }>>,
}

/// The new start of a session.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"scheduledAt": "2026-12-09T15:00:00Z"}))]
pub struct RescheduleRequest {
    /// A free slot's start, 24 hours or more ahead.
    pub scheduled_at: Instant,
}

/// Feedback on a completed session.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"rating": 5, "comment": "Clear, patient, and exactly on the exam's format."}))]
pub struct FeedbackRequest {
    pub rating: Int<1, 5>,
    pub comment: Option<Text<1, { feedback::MAX_COMMENT }>>,
}

impl From<FeedbackRequest> for feedback::NewFeedback {
    fn from(r: FeedbackRequest) -> Self {
        Self {
            rating: r.rating.to_i32(),
            comment: r.comment.map(Text::into_inner),
        }
    }
}

/// Feedback given on a session.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackDto {
    pub id: i64,
    pub session_id: i64,
    pub from_user_id: i64,
    pub rating: i32,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<session_feedback::Model> for FeedbackDto {
    fn from(f: session_feedback::Model) -> Self {
        Self {
            id: f.id,
            session_id: f.session_id,
            from_user_id: f.from_user_id,
            rating: f.rating,
            comment: f.comment,
            created_at: f.created_at,
        }
    }
}

/// A recording to add.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"recordingUrl": "https://video.example.ca/r/8f2c", "duration": 3540, "expiresAt": "2027-03-01T00:00:00Z"}))]
pub struct RecordingRequest {
    pub recording_url: HttpsUrl,
    /// Seconds.
    pub duration: Int<1, { recordings::MAX_DURATION }>,
    /// When the link stops working (hidden after it).
    pub expires_at: Option<Instant>,
}

impl From<RecordingRequest> for recordings::NewRecording {
    fn from(r: RecordingRequest) -> Self {
        Self {
            recording_url: r.recording_url.into(),
            duration: r.duration.to_i32(),
            expires_at: r.expires_at.map(Into::into),
        }
    }
}

/// A session recording.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordingDto {
    pub id: i64,
    pub session_id: i64,
    pub recording_url: String,
    /// Seconds.
    pub duration: i32,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<session_recordings::Model> for RecordingDto {
    fn from(r: session_recordings::Model) -> Self {
        Self {
            id: r.id,
            session_id: r.session_id,
            recording_url: r.recording_url,
            duration: r.duration,
            expires_at: r.expires_at,
            created_at: r.created_at,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Plans

/// A coaching plan: a prepaid package of sessions.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanDto {
    pub id: i64,
    pub name: String,
    pub name_fr: String,
    pub sessions_included: i32,
    /// Days the sessions can be used after purchase.
    pub validity_days: i32,
    /// Cents, tax included.
    pub price: i64,
    pub currency: String,
    pub active: bool,
    pub updated_at: DateTime<Utc>,
}

impl From<coaching_plans::Model> for PlanDto {
    fn from(p: coaching_plans::Model) -> Self {
        Self {
            id: p.id,
            name: p.name,
            name_fr: p.name_fr,
            sessions_included: p.sessions_included,
            validity_days: p.validity_days,
            price: p.price,
            currency: p.currency,
            active: p.active,
            updated_at: p.updated_at,
        }
    }
}

impl Versioned for PlanDto {
    fn etag(&self) -> String {
        service::courses::etag(self.id, self.updated_at)
    }
}

/// Plan list options.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct PlansQuery {
    /// Administrators: include plans no longer on sale.
    pub include_inactive: Option<bool>,
}

/// A new plan.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"name": "10 sessions", "nameFr": "10 séances", "sessionsIncluded": 10, "validityDays": 180, "price": 65000}))]
pub struct PlanRequest {
    pub name: Text<1, { plans::MAX_NAME }>,
    pub name_fr: Text<1, { plans::MAX_NAME }>,
    pub sessions_included: Int<1, { plans::MAX_SESSIONS }>,
    pub validity_days: Int<1, { plans::MAX_VALIDITY_DAYS }>,
    /// Cents, tax included.
    pub price: Int<0, { plans::MAX_PRICE }>,
    /// On sale (default true).
    pub active: Option<bool>,
}

impl From<PlanRequest> for plans::PlanFields {
    fn from(r: PlanRequest) -> Self {
        Self {
            name: r.name.into_inner(),
            name_fr: r.name_fr.into_inner(),
            sessions_included: r.sessions_included.to_i32(),
            validity_days: r.validity_days.to_i32(),
            price: r.price.get(),
            active: r.active.unwrap_or(true),
        }
    }
}

/// Changes to a plan (fields left out stay).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"price": 60000, "active": true}))]
pub struct UpdatePlanRequest {
    pub name: Option<Text<1, { plans::MAX_NAME }>>,
    pub name_fr: Option<Text<1, { plans::MAX_NAME }>>,
    pub sessions_included: Option<Int<1, { plans::MAX_SESSIONS }>>,
    pub validity_days: Option<Int<1, { plans::MAX_VALIDITY_DAYS }>>,
    pub price: Option<Int<0, { plans::MAX_PRICE }>>,
    pub active: Option<bool>,
}

impl From<UpdatePlanRequest> for plans::PlanChanges {
    fn from(r: UpdatePlanRequest) -> Self {
        Self {
            name: r.name.map(Text::into_inner),
            name_fr: r.name_fr.map(Text::into_inner),
            sessions_included: r.sessions_included.map(Int::to_i32),
            validity_days: r.validity_days.map(Int::to_i32),
            price: r.price.map(Int::get),
            active: r.active,
        }
    }
}

/// One of the caller's plan purchases and what is left of it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BalanceDto {
    /// The purchase's id (what a `package` booking takes as `planPurchaseId`).
    pub id: i64,
    pub plan_id: i64,
    pub name: String,
    pub name_fr: String,
    pub sessions_included: i32,
    pub remaining_sessions: i32,
    pub expires_at: DateTime<Utc>,
    /// `expired` once `expiresAt` has passed.
    pub status: PlanPurchaseStatus,
    pub created_at: DateTime<Utc>,
}

impl From<plans::Balance> for BalanceDto {
    fn from(b: plans::Balance) -> Self {
        let (name, name_fr, sessions_included) = b
            .plan
            .map(|p| (p.name, p.name_fr, p.sessions_included))
            .unwrap_or_default();
        Self {
            id: b.purchase.id,
            plan_id: b.purchase.plan_id,
            name,
            name_fr,
            sessions_included,
            remaining_sessions: b.purchase.remaining_sessions,
            expires_at: b.purchase.expires_at,
            status: b.status,
            created_at: b.purchase.created_at,
        }
    }
}
