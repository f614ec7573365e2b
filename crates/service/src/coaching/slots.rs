//! Free slots: a coach's weekly availability in their time zone, plus dated extra windows, minus
//! dated days off, minus the sessions that hold their time, as UTC start instants.
//!
//! Windows are local wall-clock times (`HH:MM`) on local dates, converted to instants one date at
//! a time, so a window keeps its local hours across a daylight-saving change: `09:00–10:00` in
//! America/Toronto is 13:00Z in October and 14:00Z in November. A local time that does not exist
//! (the hour skipped in spring) moves to the first instant after the gap; one that occurs twice
//! (the hour repeated in autumn) is taken at its first occurrence for a window's start and its
//! last for its end, so a window spans every instant the coach's clock shows inside it.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use entity::coaching::{
    coach_availability, coach_availability_exceptions, coach_profiles, sessions,
};
use entity::enums::{SessionStatus, SessionType};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::Result;

/// Slots start on this grid (minutes after a window's start).
pub const STEP_MINUTES: i64 = 30;
/// Longest range `GET /coaches/{id}/slots` answers for, in days.
pub const MAX_RANGE_DAYS: i64 = 31;

/// Minutes a session of this type lasts.
pub fn duration_of(kind: SessionType) -> i64 {
    match kind {
        SessionType::Trial => 30,
        SessionType::Single | SessionType::Package => 60,
    }
}

/// A weekly window: `day` 0 = Sunday … 6 = Saturday, local times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weekly {
    pub day: u32,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// A dated change: a day off (`available = false`, all day when it has no times), an absence
/// of some hours, or an extra window (`available = true` with times).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exception {
    pub date: NaiveDate,
    pub hours: Option<(NaiveTime, NaiveTime)>,
    pub available: bool,
}

/// A span of time already taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// What slots are computed from.
#[derive(Debug, Clone)]
pub struct Calendar {
    pub timezone: Tz,
    pub weekly: Vec<Weekly>,
    pub exceptions: Vec<Exception>,
    pub busy: Vec<Busy>,
}

/// Parses `HH:MM` (00:00–23:59).
pub fn parse_time(value: &str) -> Option<NaiveTime> {
    if value.len() != 5 {
        return None;
    }
    NaiveTime::parse_from_str(value, "%H:%M").ok()
}

/// The first instant at or after the local time `at` (the end of a skipped hour for one that
/// does not exist), or the first occurrence of a repeated one.
fn earliest(tz: Tz, at: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&at) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
        LocalResult::None => earliest(tz, at + Duration::minutes(STEP_MINUTES)),
    }
}

/// Like [`earliest`], but the last occurrence of a repeated local time.
fn latest(tz: Tz, at: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&at) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.max(b).with_timezone(&Utc),
        LocalResult::None => earliest(tz, at),
    }
}

/// The instants of a local window on `date` (`end` at or before `start` means none).
fn span(tz: Tz, date: NaiveDate, start: NaiveTime, end: NaiveTime) -> Option<Busy> {
    (start < end).then(|| Busy {
        start: earliest(tz, date.and_time(start)),
        end: latest(tz, date.and_time(end)),
    })
}

fn weekday(date: NaiveDate) -> u32 {
    use chrono::Datelike as _;
    date.weekday().num_days_from_sunday()
}

impl Calendar {
    /// Free start instants in `[from, to)` for sessions of `minutes`, after `now`, ascending.
    pub fn free(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        minutes: i64,
        now: DateTime<Utc>,
    ) -> Vec<DateTime<Utc>> {
        let length = Duration::minutes(minutes);
        let tz = self.timezone;
        // Local dates whose windows can reach into the range (a day either side for the offset).
        let first = from.with_timezone(&tz).date_naive() - Duration::days(1);
        let last = to.with_timezone(&tz).date_naive() + Duration::days(1);
        let mut starts = BTreeSet::new();
        let mut date = first;
        while date <= last {
            let exceptions: Vec<&Exception> =
                self.exceptions.iter().filter(|e| e.date == date).collect();
            let day_off = exceptions.iter().any(|e| !e.available && e.hours.is_none());
            let absences: Vec<Busy> = exceptions
                .iter()
                .filter(|e| !e.available)
                .filter_map(|e| e.hours.and_then(|(s, t)| span(tz, date, s, t)))
                .collect();
            let weekly = self
                .weekly
                .iter()
                .filter(|w| !day_off && w.day == weekday(date))
                .map(|w| (w.start, w.end));
            let extra = exceptions
                .iter()
                .filter(|e| e.available)
                .filter_map(|e| e.hours);
            // Windows that overlap or touch make one stretch: a session may span their seam.
            let mut windows: Vec<Busy> = weekly
                .chain(extra)
                .filter_map(|(start, end)| span(tz, date, start, end))
                .collect();
            windows.sort_by_key(|w| (w.start, w.end));
            let mut merged: Vec<Busy> = Vec::with_capacity(windows.len());
            for window in windows {
                match merged.last_mut() {
                    Some(last) if window.start <= last.end => last.end = last.end.max(window.end),
                    _ => merged.push(window),
                }
            }
            for window in merged {
                let mut at = window.start;
                while at + length <= window.end {
                    let slot = Busy {
                        start: at,
                        end: at + length,
                    };
                    let taken = absences
                        .iter()
                        .chain(&self.busy)
                        .any(|b| overlaps(b, &slot));
                    if at >= from && at < to && at >= now && !taken {
                        starts.insert(at);
                    }
                    at += Duration::minutes(STEP_MINUTES);
                }
            }
            date += Duration::days(1);
        }
        starts.into_iter().collect()
    }
}

/// Whether two half-open spans share an instant.
pub fn overlaps(a: &Busy, b: &Busy) -> bool {
    a.start < b.end && b.start < a.end
}

/// The calendar of `coach` around `[from, to)`: availability, exceptions and the coach's
/// sessions that hold their time (all but cancelled ones, as coach or as learner), leaving out
/// `except_session` (the one being rescheduled). Four queries.
pub async fn calendar(
    db: &impl ConnectionTrait,
    coach: &coach_profiles::Model,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except_session: Option<i64>,
) -> Result<Calendar> {
    let timezone: Tz = coach
        .timezone
        .parse()
        .unwrap_or(chrono_tz::America::Toronto);
    let weekly = coach_availability::Entity::find()
        .filter(coach_availability::Column::CoachId.eq(coach.id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|w| {
            Some(Weekly {
                day: u32::try_from(w.day_of_week).ok()?,
                start: parse_time(&w.start_time)?,
                end: parse_time(&w.end_time)?,
            })
        })
        .collect();
    let first = from.with_timezone(&timezone).date_naive() - Duration::days(1);
    let last = to.with_timezone(&timezone).date_naive() + Duration::days(1);
    let exceptions = coach_availability_exceptions::Entity::find()
        .filter(coach_availability_exceptions::Column::CoachId.eq(coach.id))
        .filter(coach_availability_exceptions::Column::Date.between(first, last))
        .all(db)
        .await?
        .into_iter()
        .map(|e| Exception {
            date: e.date,
            hours: e
                .start_time
                .as_deref()
                .and_then(parse_time)
                .zip(e.end_time.as_deref().and_then(parse_time)),
            available: e.available,
        })
        .collect();
    // Sessions starting up to a day after `to` can overlap a slot that starts before it.
    let busy = held(
        db,
        coach.user_id,
        from,
        to + Duration::days(1),
        except_session,
    )
    .await?;
    Ok(Calendar {
        timezone,
        weekly,
        exceptions,
        busy,
    })
}

/// The spans of the sessions of one person, `user_id`, that hold time around `[from, to)` (all
/// statuses but `cancelled`), leaving out `except_session`. A person is one person in both
/// roles: the sessions they take as a learner and those they give as a coach. One query.
pub async fn held(
    db: &impl ConnectionTrait,
    user_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except_session: Option<i64>,
) -> Result<Vec<Busy>> {
    use sea_orm::{QuerySelect as _, QueryTrait as _};
    let coaching = coach_profiles::Entity::find()
        .select_only()
        .column(coach_profiles::Column::Id)
        .filter(coach_profiles::Column::UserId.eq(user_id))
        .into_query();
    let theirs = sea_orm::Condition::any()
        .add(sessions::Column::LearnerId.eq(user_id))
        .add(sessions::Column::CoachId.in_subquery(coaching));
    // No session lasts longer than a day: one starting a day before `from` is the earliest that
    // can reach into the range.
    let mut query = sessions::Entity::find()
        .filter(theirs)
        .filter(sessions::Column::ScheduledAt.gt(from - Duration::days(1)))
        .filter(sessions::Column::ScheduledAt.lt(to))
        .filter(sessions::Column::Status.ne(SessionStatus::Cancelled));
    if let Some(except) = except_session {
        query = query.filter(sessions::Column::Id.ne(except));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|s| Busy {
            start: s.scheduled_at,
            end: s.scheduled_at + Duration::minutes(i64::from(s.duration_minutes)),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn t(s: &str) -> NaiveTime {
        parse_time(s).unwrap()
    }

    fn every_day(start: &str, end: &str) -> Vec<Weekly> {
        (0..7)
            .map(|day| Weekly {
                day,
                start: t(start),
                end: t(end),
            })
            .collect()
    }

    fn toronto(weekly: Vec<Weekly>) -> Calendar {
        Calendar {
            timezone: chrono_tz::America::Toronto,
            weekly,
            exceptions: Vec::new(),
            busy: Vec::new(),
        }
    }

    const LONG_AGO: &str = "2000-01-01T00:00:00Z";

    #[test]
    fn local_hours_hold_across_the_autumn_change() {
        // 2026-11-01 02:00 EDT becomes 01:00 EST in America/Toronto.
        let calendar = toronto(every_day("09:00", "10:00"));
        let free = calendar.free(
            at("2026-10-31T00:00:00Z"),
            at("2026-11-03T00:00:00Z"),
            60,
            at(LONG_AGO),
        );
        assert_eq!(
            free,
            vec![
                at("2026-10-31T13:00:00Z"),
                at("2026-11-01T14:00:00Z"),
                at("2026-11-02T14:00:00Z"),
            ]
        );
    }

    #[test]
    fn the_repeated_hour_counts_twice() {
        // 00:00–03:00 local on the change day lasts four real hours.
        let calendar = toronto(every_day("00:00", "03:00"));
        let free = calendar.free(
            at("2026-11-01T00:00:00Z"),
            at("2026-11-01T12:00:00Z"),
            60,
            at(LONG_AGO),
        );
        assert_eq!(free.first(), Some(&at("2026-11-01T04:00:00Z")));
        assert_eq!(free.last(), Some(&at("2026-11-01T07:00:00Z")));
        assert_eq!(free.len(), 7); // 04:00 … 07:00 every 30 minutes
    }

    #[test]
    fn the_skipped_hour_has_no_slots() {
        // 2026-03-08 02:00 EST becomes 03:00 EDT.
        let calendar = toronto(every_day("01:00", "04:00"));
        let free = calendar.free(
            at("2026-03-08T00:00:00Z"),
            at("2026-03-08T12:00:00Z"),
            60,
            at(LONG_AGO),
        );
        // 01:00 EST = 06:00Z, 04:00 EDT = 08:00Z: two real hours.
        assert_eq!(
            free,
            vec![
                at("2026-03-08T06:00:00Z"),
                at("2026-03-08T06:30:00Z"),
                at("2026-03-08T07:00:00Z"),
            ]
        );
    }

    #[test]
    fn sessions_exceptions_and_the_past_are_left_out() {
        let mut calendar = toronto(every_day("09:00", "12:00"));
        // Monday 2026-12-07: 14:00Z–17:00Z (EST).
        calendar.busy.push(Busy {
            start: at("2026-12-07T15:00:00Z"),
            end: at("2026-12-07T16:00:00Z"),
        });
        calendar.exceptions.push(Exception {
            date: NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
            hours: None,
            available: false,
        });
        calendar.exceptions.push(Exception {
            date: NaiveDate::from_ymd_opt(2026, 12, 9).unwrap(),
            hours: Some((t("10:00"), t("12:00"))),
            available: false,
        });
        calendar.exceptions.push(Exception {
            date: NaiveDate::from_ymd_opt(2026, 12, 9).unwrap(),
            hours: Some((t("18:00"), t("19:00"))),
            available: true,
        });
        let free = calendar.free(
            at("2026-12-07T00:00:00Z"),
            at("2026-12-10T00:00:00Z"),
            60,
            at("2026-12-07T14:10:00Z"),
        );
        assert_eq!(
            free,
            vec![
                // Monday: 14:00 is past, 14:30 and 15:30 overlap the session.
                at("2026-12-07T16:00:00Z"),
                // Tuesday: day off. Wednesday: 09:00–10:00 left, and the extra hour.
                at("2026-12-09T14:00:00Z"),
                at("2026-12-09T23:00:00Z"),
            ]
        );
    }

    #[test]
    fn trials_fit_half_hours() {
        let calendar = toronto(every_day("09:00", "10:00"));
        let free = calendar.free(
            at("2026-12-07T00:00:00Z"),
            at("2026-12-08T00:00:00Z"),
            30,
            at(LONG_AGO),
        );
        assert_eq!(
            free,
            vec![at("2026-12-07T14:00:00Z"), at("2026-12-07T14:30:00Z")]
        );
    }
}

/// The free slots of a coach over a range.
#[derive(Debug, Clone)]
pub struct FreeSlots {
    pub coach: coach_profiles::Model,
    pub kind: SessionType,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub starts: Vec<DateTime<Utc>>,
}

/// Free slots of a visible coach for sessions of `kind` (default `single`) in `[from, to)`
/// (default: from now, for 7 days; at most [`MAX_RANGE_DAYS`]). Public.
pub async fn free(
    db: &impl ConnectionTrait,
    actor: Option<&crate::auth::actor::Actor>,
    coach_id: i64,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    kind: Option<SessionType>,
) -> Result<FreeSlots> {
    let now = crate::now();
    let from = from.unwrap_or(now);
    let to = to.unwrap_or(from + Duration::days(7));
    if to <= from {
        return Err(crate::Error::field(
            "to",
            "before_from",
            "must be after from",
        ));
    }
    if to - from > Duration::days(MAX_RANGE_DAYS) {
        return Err(crate::Error::field(
            "to",
            "range_too_long",
            "must be at most 31 days after from",
        ));
    }
    let coach = super::visible_profile(db, actor, coach_id).await?;
    let kind = kind.unwrap_or(SessionType::Single);
    let calendar = calendar(db, &coach, from, to, None).await?;
    let starts = calendar.free(from, to, duration_of(kind), now);
    Ok(FreeSlots {
        coach,
        kind,
        from,
        to,
        starts,
    })
}
