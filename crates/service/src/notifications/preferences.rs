//! Notification preferences: channel switches per category, and quiet hours in the user's time
//! zone during which e-mail and push wait (in-app notifications do not).

use chrono::{DateTime, Duration, NaiveTime, TimeZone as _, Utc};
use chrono_tz::Tz;
use entity::notifications::notification_preferences;
use entity::users::user_profiles;
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    sea_query::OnConflict,
};
use serde::{Deserialize, Serialize};

use crate::auth::actor::Actor;
use crate::{Error, Result};

/// What a notification is about; each category has its own channel switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Category {
    /// Enrollments, completed courses.
    Learning,
    /// Certificates issued.
    Certificates,
    /// Chat messages.
    Chat,
    /// Coaching sessions: bookings, confirmations, cancellations.
    Coaching,
    /// Payments, refunds, invoices.
    Payments,
    /// The account itself (grants by administrators, security).
    Account,
}

/// The channels of one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Channels {
    pub in_app: bool,
    pub email: bool,
    pub push: bool,
}

const fn channels(in_app: bool, email: bool, push: bool) -> Channels {
    Channels {
        in_app,
        email,
        push,
    }
}

/// The channels of every category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Categories {
    pub learning: Channels,
    pub certificates: Channels,
    /// Chat has its own unread counts: by default a message is pushed, not listed or mailed.
    pub chat: Channels,
    pub coaching: Channels,
    pub payments: Channels,
    pub account: Channels,
}

impl Default for Categories {
    fn default() -> Self {
        Self {
            learning: channels(true, false, true),
            certificates: channels(true, true, true),
            chat: channels(false, false, true),
            coaching: channels(true, true, true),
            payments: channels(true, true, false),
            account: channels(true, true, false),
        }
    }
}

impl Categories {
    /// The channels of `category`.
    pub fn of(&self, category: Category) -> Channels {
        match category {
            Category::Learning => self.learning,
            Category::Certificates => self.certificates,
            Category::Chat => self.chat,
            Category::Coaching => self.coaching,
            Category::Payments => self.payments,
            Category::Account => self.account,
        }
    }
}

/// Quiet hours: local times `HH:MM`; `start` after `end` spans midnight; equal is never quiet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// A user's preferences (the defaults until they save theirs).
#[derive(Debug, Clone, PartialEq)]
pub struct Preferences {
    /// Master switch of e-mail notifications.
    pub email_enabled: bool,
    /// Master switch of push notifications.
    pub push_enabled: bool,
    pub categories: Categories,
    pub quiet_hours: Option<QuietHours>,
    /// IANA time zone of the quiet hours.
    pub timezone: String,
}

/// `HH:MM`, 24-hour.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// Whether `name` is an IANA time zone this server knows.
pub fn known_timezone(name: &str) -> bool {
    name.parse::<Tz>().is_ok()
}

impl Preferences {
    /// The defaults, quiet hours off, in `timezone`.
    pub fn defaults(timezone: String) -> Self {
        Self {
            email_enabled: true,
            push_enabled: true,
            categories: Categories::default(),
            quiet_hours: None,
            timezone,
        }
    }

    /// Whether e-mail of `category` is wanted.
    pub fn wants_email(&self, category: Category) -> bool {
        self.email_enabled && self.categories.of(category).email
    }

    /// Whether push of `category` is wanted.
    pub fn wants_push(&self, category: Category) -> bool {
        self.push_enabled && self.categories.of(category).push
    }

    /// When quiet hours hold at `now`, the instant they end; `None` outside them. Computed in
    /// the user's time zone, so quiet hours follow daylight saving time (an end that falls in a
    /// spring-forward gap moves one hour later, past the gap).
    pub fn quiet_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let quiet = self.quiet_hours?;
        let tz: Tz = self.timezone.parse().unwrap_or(Tz::UTC);
        let local = now.with_timezone(&tz);
        let time = local.time();
        let inside = if quiet.start < quiet.end {
            quiet.start <= time && time < quiet.end
        } else if quiet.start > quiet.end {
            time >= quiet.start || time < quiet.end
        } else {
            false
        };
        if !inside {
            return None;
        }
        let day = if time < quiet.end {
            local.date_naive()
        } else {
            local.date_naive() + Duration::days(1)
        };
        let end = day.and_time(quiet.end);
        // An end the clocks pass twice (fall back) is its next passage; an end in a
        // spring-forward gap moves an hour later.
        let local = tz.from_local_datetime(&end);
        [
            local.earliest(),
            local.latest(),
            tz.from_local_datetime(&(end + Duration::hours(1)))
                .earliest(),
        ]
        .into_iter()
        .flatten()
        .map(|at| at.with_timezone(&Utc))
        .find(|at| *at > now)
    }
}

/// The user's preferences (defaults in their profile's time zone until they save theirs).
pub async fn load(db: &impl ConnectionTrait, user_id: i64) -> Result<Preferences> {
    let row = notification_preferences::Entity::find()
        .filter(notification_preferences::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    let Some(row) = row else {
        let timezone = user_profiles::Entity::find()
            .filter(user_profiles::Column::UserId.eq(user_id))
            .one(db)
            .await?
            .map(|p| p.timezone)
            .filter(|tz| known_timezone(tz))
            .unwrap_or_else(|| crate::users::DEFAULT_TIMEZONE.to_owned());
        return Ok(Preferences::defaults(timezone));
    };
    let quiet_hours = match (
        row.quiet_hours_start.as_deref().and_then(parse_time),
        row.quiet_hours_end.as_deref().and_then(parse_time),
    ) {
        (Some(start), Some(end)) => Some(QuietHours { start, end }),
        _ => None,
    };
    Ok(Preferences {
        email_enabled: row.email_enabled,
        push_enabled: row.push_enabled,
        categories: serde_json::from_value(row.categories).unwrap_or_default(),
        quiet_hours,
        timezone: row.timezone,
    })
}

/// The caller's preferences.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor) -> Result<Preferences> {
    actor.require_session()?;
    load(db, actor.user_id).await
}

/// Replaces the caller's preferences (one upsert: concurrent saves never conflict).
pub async fn put(
    db: &impl ConnectionTrait,
    actor: &Actor,
    prefs: Preferences,
) -> Result<Preferences> {
    actor.require_session()?;
    if !known_timezone(&prefs.timezone) {
        return Err(Error::field(
            "timezone",
            "invalid_timezone",
            "is not an IANA time zone name",
        ));
    }
    let now = crate::now();
    let fmt = |t: NaiveTime| t.format("%H:%M").to_string();
    let row = notification_preferences::ActiveModel {
        id: NotSet,
        user_id: Set(actor.user_id),
        email_enabled: Set(prefs.email_enabled),
        push_enabled: Set(prefs.push_enabled),
        categories: Set(serde_json::to_value(prefs.categories)
            .map_err(|e| Error::Internal(format!("preferences: {e}")))?),
        quiet_hours_start: Set(prefs.quiet_hours.map(|q| fmt(q.start))),
        quiet_hours_end: Set(prefs.quiet_hours.map(|q| fmt(q.end))),
        timezone: Set(prefs.timezone.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    notification_preferences::Entity::insert(row)
        .on_conflict(
            OnConflict::column(notification_preferences::Column::UserId)
                .update_columns([
                    notification_preferences::Column::EmailEnabled,
                    notification_preferences::Column::PushEnabled,
                    notification_preferences::Column::Categories,
                    notification_preferences::Column::QuietHoursStart,
                    notification_preferences::Column::QuietHoursEnd,
                    notification_preferences::Column::Timezone,
                    notification_preferences::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(prefs)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn quiet(start: &str, end: &str, tz: &str) -> Preferences {
        Preferences {
            quiet_hours: Some(QuietHours {
                start: parse_time(start).unwrap(),
                end: parse_time(end).unwrap(),
            }),
            ..Preferences::defaults(tz.to_owned())
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn overnight_quiet_hours_end_the_next_local_morning() {
        let prefs = quiet("22:00", "07:00", "America/Toronto");
        // 23:30 in Toronto (EST, UTC-5) is 04:30 UTC; quiet until 07:00 local = 12:00 UTC.
        assert_eq!(
            prefs.quiet_until(at("2026-12-02T04:30:00Z")),
            Some(at("2026-12-02T12:00:00Z"))
        );
        // 06:59 local: still quiet, same morning.
        assert_eq!(
            prefs.quiet_until(at("2026-12-02T11:59:00Z")),
            Some(at("2026-12-02T12:00:00Z"))
        );
        // 07:00 local: not quiet.
        assert_eq!(prefs.quiet_until(at("2026-12-02T12:00:00Z")), None);
        assert_eq!(prefs.quiet_until(at("2026-12-02T18:00:00Z")), None);
    }

    #[test]
    fn quiet_hours_follow_daylight_saving_time() {
        let prefs = quiet("22:00", "07:00", "America/Toronto");
        // The night of the 2026-11-01 switch: 23:00 EDT (03:00 UTC) → 07:00 EST = 12:00 UTC.
        assert_eq!(
            prefs.quiet_until(at("2026-11-01T03:00:00Z")),
            Some(at("2026-11-01T12:00:00Z"))
        );
        // An end inside the spring-forward gap (02:30 on 2027-03-14) moves past it.
        let gap = quiet("01:00", "02:30", "America/Toronto");
        assert_eq!(
            gap.quiet_until(at("2027-03-14T06:30:00Z")),
            Some(at("2027-03-14T07:30:00Z"))
        );
    }

    #[test]
    fn an_end_in_the_repeated_hour_is_its_next_passage() {
        let prefs = quiet("22:00", "01:30", "America/Toronto");
        // 2026-11-01: 01:00-02:00 happens twice. At 01:10 EDT (05:10 UTC) the first 01:30 is next.
        assert_eq!(
            prefs.quiet_until(at("2026-11-01T05:10:00Z")),
            Some(at("2026-11-01T05:30:00Z"))
        );
        // At 01:10 EST (06:10 UTC) the first 01:30 is past: the second one, 01:30 EST.
        assert_eq!(
            prefs.quiet_until(at("2026-11-01T06:10:00Z")),
            Some(at("2026-11-01T06:30:00Z"))
        );
    }

    #[test]
    fn daytime_and_empty_quiet_hours() {
        let prefs = quiet("09:00", "17:00", "UTC");
        assert_eq!(
            prefs.quiet_until(at("2026-12-02T10:00:00Z")),
            Some(at("2026-12-02T17:00:00Z"))
        );
        assert_eq!(prefs.quiet_until(at("2026-12-02T08:59:00Z")), None);
        assert_eq!(
            quiet("09:00", "09:00", "UTC").quiet_until(at("2026-12-02T09:00:00Z")),
            None
        );
        assert!(parse_time("24:00").is_none() && parse_time("7:00").is_none());
    }
}
