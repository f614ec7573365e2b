//! Request and response types of the notifications domain.

use chrono::{DateTime, Utc};
use entity::notifications::{notifications, push_subscriptions};
use serde::{Deserialize, Serialize};
use service::notifications::preferences::{self, Categories, Channels, Preferences, QuietHours};
use service::notifications::push;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::bounded::{Int, Text, checked_text};
use crate::routes::users::dto::TimeZone;

/// A notification, in the recipient's language.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationDto {
    pub id: i64,
    /// What it tells of: `enrollment.granted`, `course.completed`, `certificate.issued`, ...
    #[schema(example = "certificate.issued")]
    pub r#type: String,
    pub title: String,
    pub message: String,
    pub read: bool,
    /// Ids of what it is about (`courseId`, `certificateId`, `roomId`, ...).
    #[schema(value_type = Object)]
    pub data: Option<serde_json::Value>,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<notifications::Model> for NotificationDto {
    fn from(n: notifications::Model) -> Self {
        Self {
            id: n.id,
            r#type: n.r#type,
            title: n.title,
            message: n.message,
            read: n.read,
            data: n.data,
            read_at: n.read_at,
            created_at: n.created_at,
        }
    }
}

/// Filter of the notification list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationsQuery {
    /// Only unread notifications.
    pub unread: Option<bool>,
}

/// How many notifications are unread.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnreadCountDto {
    pub count: u64,
}

/// The channels of one category.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChannelsDto {
    /// Listed under `/notifications` (and on the real-time stream).
    pub in_app: bool,
    pub email: bool,
    pub push: bool,
}

impl From<Channels> for ChannelsDto {
    fn from(c: Channels) -> Self {
        Self {
            in_app: c.in_app,
            email: c.email,
            push: c.push,
        }
    }
}

impl From<ChannelsDto> for Channels {
    fn from(c: ChannelsDto) -> Self {
        Self {
            in_app: c.in_app,
            email: c.email,
            push: c.push,
        }
    }
}

/// The channels of every category (a category left out takes its defaults).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CategoriesDto {
    /// Enrollments and completed courses.
    pub learning: ChannelsDto,
    /// Certificates issued.
    pub certificates: ChannelsDto,
    /// Chat messages (by default pushed only: the chat keeps its own unread counts).
    pub chat: ChannelsDto,
    /// Coaching sessions.
    pub coaching: ChannelsDto,
    /// Payments and refunds.
    pub payments: ChannelsDto,
    /// The account (administrators' grants, security).
    pub account: ChannelsDto,
}

impl Default for CategoriesDto {
    fn default() -> Self {
        Categories::default().into()
    }
}

impl From<Categories> for CategoriesDto {
    fn from(c: Categories) -> Self {
        Self {
            learning: c.learning.into(),
            certificates: c.certificates.into(),
            chat: c.chat.into(),
            coaching: c.coaching.into(),
            payments: c.payments.into(),
            account: c.account.into(),
        }
    }
}

impl From<CategoriesDto> for Categories {
    fn from(c: CategoriesDto) -> Self {
        Self {
            learning: c.learning.into(),
            certificates: c.certificates.into(),
            chat: c.chat.into(),
            coaching: c.coaching.into(),
            payments: c.payments.into(),
            account: c.account.into(),
        }
    }
}

/// Notification preferences.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PreferencesDto {
    /// Master switch of e-mail notifications.
    pub email_enabled: bool,
    /// Master switch of push notifications.
    pub push_enabled: bool,
    pub categories: CategoriesDto,
    /// Start of the quiet hours (`HH:MM`, local time), when e-mail and push wait.
    #[schema(example = "22:00")]
    pub quiet_hours_start: Option<String>,
    /// End of the quiet hours (`HH:MM`, local time); before the start when they span midnight.
    #[schema(example = "07:00")]
    pub quiet_hours_end: Option<String>,
    /// IANA time zone of the quiet hours.
    #[schema(example = "America/Toronto")]
    pub timezone: String,
}

impl From<Preferences> for PreferencesDto {
    fn from(p: Preferences) -> Self {
        let fmt = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
        Self {
            email_enabled: p.email_enabled,
            push_enabled: p.push_enabled,
            categories: p.categories.into(),
            quiet_hours_start: p.quiet_hours.map(|q| fmt(q.start)),
            quiet_hours_end: p.quiet_hours.map(|q| fmt(q.end)),
            timezone: p.timezone,
        }
    }
}

checked_text! {
    /// A local time of day, `HH:MM` (24-hour).
    LocalTime: 5, 5,
    check = |t| preferences::parse_time(t).is_some(),
    pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
    format = None,
    code = "invalid_time",
    message = "must be a time of day HH:MM, 00:00 to 23:59",
    example = "09:00"
}

/// Notification preferences to store (they replace the previous ones). Quiet hours are both
/// times or neither.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "emailEnabled": true,
    "pushEnabled": true,
    "categories": {"chat": {"inApp": false, "email": false, "push": true}},
    "quietHoursStart": "22:00",
    "quietHoursEnd": "07:00",
    "timezone": "America/Toronto"
}))]
pub struct PreferencesRequest {
    pub email_enabled: bool,
    pub push_enabled: bool,
    /// Categories left out take their defaults.
    pub categories: Option<CategoriesDto>,
    pub quiet_hours_start: Option<LocalTime>,
    pub quiet_hours_end: Option<LocalTime>,
    /// IANA time zone of the quiet hours; the profile's time zone when omitted.
    pub timezone: Option<TimeZone>,
}

impl PreferencesRequest {
    /// The preferences to store; `timezone` fills in an omitted time zone. Refuses quiet hours
    /// with one end only.
    pub fn into_preferences(self, timezone: String) -> Result<Preferences, service::Error> {
        let time = |t: Option<LocalTime>| t.and_then(|t| preferences::parse_time(&t));
        let quiet_hours = match (time(self.quiet_hours_start), time(self.quiet_hours_end)) {
            (Some(start), Some(end)) => Some(QuietHours { start, end }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(service::Error::field(
                    "quietHoursEnd",
                    "required",
                    "is required with quietHoursStart",
                ));
            }
            (None, Some(_)) => {
                return Err(service::Error::field(
                    "quietHoursStart",
                    "required",
                    "is required with quietHoursEnd",
                ));
            }
        };
        Ok(Preferences {
            email_enabled: self.email_enabled,
            push_enabled: self.push_enabled,
            categories: self.categories.unwrap_or_default().into(),
            quiet_hours,
            timezone: self.timezone.map_or(timezone, Into::into),
        })
    }
}

/// The server's VAPID public key.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VapidKeyDto {
    /// Base64url of the uncompressed P-256 point: `applicationServerKey` for
    /// `pushManager.subscribe`.
    pub public_key: String,
}

/// The keys of a push subscription.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PushKeys {
    /// Base64url P-256 public key of the subscription.
    pub p256dh: Text<1, { push::MAX_P256DH }>,
    /// Base64url 16-byte authentication secret.
    pub auth: Text<1, { push::MAX_AUTH }>,
}

/// A push subscription, as `PushSubscription.toJSON()` gives it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "endpoint": "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk",
    "expirationTime": null,
    "keys": {
        "p256dh": "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
        "auth": "BTBZMqHH6r4Tts7J_aSIgg"
    }
}))]
pub struct SubscribeRequest {
    /// The push service's URL for this subscription (`https`).
    pub endpoint: Text<1, { push::MAX_ENDPOINT }>,
    /// When the subscription expires (ms since the epoch), if the browser says; not used.
    pub expiration_time: Option<Int<0, 4_102_444_800_000>>,
    pub keys: PushKeys,
    /// The device, to tell subscriptions apart.
    pub user_agent: Option<Text<0, { push::MAX_USER_AGENT }>>,
}

impl From<SubscribeRequest> for push::NewSubscription {
    fn from(r: SubscribeRequest) -> Self {
        Self {
            endpoint: r.endpoint.into(),
            p256dh: r.keys.p256dh.into(),
            auth: r.keys.auth.into(),
            user_agent: r.user_agent.map(Into::into),
        }
    }
}

/// A saved push subscription (its keys are not shown).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionDto {
    pub id: i64,
    pub endpoint: String,
    pub user_agent: Option<String>,
    pub active: bool,
    pub last_success_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<push_subscriptions::Model> for SubscriptionDto {
    fn from(s: push_subscriptions::Model) -> Self {
        Self {
            id: s.id,
            endpoint: s.endpoint,
            user_agent: s.user_agent,
            active: s.active,
            last_success_at: s.last_success_at,
            created_at: s.created_at,
        }
    }
}

/// Which subscription to delete.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnsubscribeQuery {
    /// The subscription's endpoint URL.
    pub endpoint: Text<1, { push::MAX_ENDPOINT }>,
}
