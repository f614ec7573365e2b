//! A coach's weekly availability (replaced as a whole) and dated exceptions, in their time zone.

use chrono::{NaiveDate, NaiveTime};
use entity::coaching::{coach_availability, coach_availability_exceptions, coach_profiles};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionSession as _,
};

use super::my_profile;
use super::slots::parse_time;
use crate::auth::actor::Actor;
use crate::db::Db;
use crate::problem::NOT_FOUND;
use crate::{Error, Result};

/// Most weekly windows.
pub const MAX_WINDOWS: usize = 50;
/// Longest exception reason (the column's length).
pub const MAX_REASON: usize = 255;
/// Most exceptions kept ahead (dated today or later).
pub const MAX_EXCEPTIONS: u64 = 200;

/// A weekly window as stored and shown (`HH:MM` local times).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub day_of_week: i32,
    pub start_time: String,
    pub end_time: String,
}

/// The whole weekly availability and the exceptions from today on.
#[derive(Debug, Clone)]
pub struct Availability {
    pub timezone: String,
    pub windows: Vec<Window>,
    pub exceptions: Vec<coach_availability_exceptions::Model>,
}

/// A new exception.
#[derive(Debug, Clone)]
pub struct NewException {
    pub date: NaiveDate,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub available: bool,
    pub reason: Option<String>,
}

/// Both times of a window, checked: `start` before `end`.
fn times(field: &str, start: &str, end: &str) -> Result<(NaiveTime, NaiveTime)> {
    match (parse_time(start), parse_time(end)) {
        (Some(s), Some(e)) if s < e => Ok((s, e)),
        _ => Err(Error::field(
            field,
            "invalid_window",
            "must end after it starts, on the same day (HH:MM)",
        )),
    }
}

/// The caller's availability (coaches).
pub async fn get(db: &impl ConnectionTrait, actor: &Actor) -> Result<Availability> {
    actor.require_session()?;
    let profile = my_profile(db, actor).await?;
    read(db, &profile).await
}

async fn read(db: &impl ConnectionTrait, profile: &coach_profiles::Model) -> Result<Availability> {
    let windows = coach_availability::Entity::find()
        .filter(coach_availability::Column::CoachId.eq(profile.id))
        .order_by_asc(coach_availability::Column::DayOfWeek)
        .order_by_asc(coach_availability::Column::StartTime)
        .all(db)
        .await?
        .into_iter()
        .map(|w| Window {
            day_of_week: w.day_of_week,
            start_time: w.start_time,
            end_time: w.end_time,
        })
        .collect();
    let today = crate::now().date_naive() - chrono::Duration::days(1);
    let exceptions = coach_availability_exceptions::Entity::find()
        .filter(coach_availability_exceptions::Column::CoachId.eq(profile.id))
        .filter(coach_availability_exceptions::Column::Date.gte(today))
        .order_by_asc(coach_availability_exceptions::Column::Date)
        .order_by_asc(coach_availability_exceptions::Column::Id)
        .all(db)
        .await?;
    Ok(Availability {
        timezone: profile.timezone.clone(),
        windows,
        exceptions,
    })
}

/// Replaces the caller's weekly availability and time zone (coaches). Overlapping windows are
/// merged by the slot computation; identical ones are stored once.
pub async fn put(
    db: &impl Db,
    actor: &Actor,
    timezone: String,
    windows: Vec<Window>,
) -> Result<Availability> {
    actor.require_session()?;
    // Slots are computed in this zone: a name that merely looks like one would silently fall
    // back to another zone there.
    if timezone.parse::<chrono_tz::Tz>().is_err() {
        return Err(Error::field(
            "timezone",
            "invalid_timezone",
            "must be an IANA time zone such as America/Toronto",
        ));
    }
    if windows.len() > MAX_WINDOWS {
        return Err(Error::field("windows", "too_many", "at most 50 windows"));
    }
    for (i, w) in windows.iter().enumerate() {
        times(&format!("windows.{i}"), &w.start_time, &w.end_time)?;
        if !(0..=6).contains(&w.day_of_week) {
            return Err(Error::field(
                &format!("windows.{i}.dayOfWeek"),
                "out_of_range",
                "must be 0 (Sunday) to 6 (Saturday)",
            ));
        }
    }
    let mut windows = windows;
    windows.sort_by(|a, b| {
        (a.day_of_week, &a.start_time, &a.end_time).cmp(&(
            b.day_of_week,
            &b.start_time,
            &b.end_time,
        ))
    });
    windows.dedup();
    let profile = my_profile(db, actor).await?;
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        crate::db::lock::<coach_profiles::Entity>(&txn, coach_profiles::Column::Id, profile.id)
            .await?;
        let now = crate::now();
        coach_availability::Entity::delete_many()
            .filter(coach_availability::Column::CoachId.eq(profile.id))
            .exec(&txn)
            .await?;
        if !windows.is_empty() {
            coach_availability::Entity::insert_many(windows.iter().map(|w| {
                coach_availability::ActiveModel {
                    coach_id: Set(profile.id),
                    day_of_week: Set(w.day_of_week),
                    start_time: Set(w.start_time.clone()),
                    end_time: Set(w.end_time.clone()),
                    timezone: Set(timezone.clone()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
            }))
            .exec(&txn)
            .await?;
        }
        coach_profiles::Entity::update_many()
            .col_expr(coach_profiles::Column::Timezone, timezone.clone().into())
            .col_expr(coach_profiles::Column::UpdatedAt, now.into())
            .filter(coach_profiles::Column::Id.eq(profile.id))
            .exec(&txn)
            .await?;
        let profile = coach_profiles::Entity::find_by_id(profile.id)
            .one(&txn)
            .await?
            .ok_or(NOT_FOUND)?;
        let availability = read(&txn, &profile).await?;
        txn.commit().await?;
        Ok(availability)
    })
    .await
}

/// Adds a dated exception (coaches): a day off (no times), hours off, or extra hours
/// (`available` with times).
pub async fn add_exception(
    db: &impl Db,
    actor: &Actor,
    new: NewException,
) -> Result<coach_availability_exceptions::Model> {
    actor.require_session()?;
    match (&new.start_time, &new.end_time) {
        (Some(s), Some(e)) => {
            times("endTime", s, e)?;
        }
        (None, None) if !new.available => {}
        (None, None) => {
            return Err(Error::field(
                "startTime",
                "required",
                "extra availability needs startTime and endTime",
            ));
        }
        _ => {
            return Err(Error::field(
                "endTime",
                "required",
                "give both startTime and endTime, or neither for a whole day off",
            ));
        }
    }
    if new.date < crate::now().date_naive() - chrono::Duration::days(1) {
        return Err(Error::field(
            "date",
            "in_the_past",
            "must be today or later",
        ));
    }
    let profile = my_profile(db, actor).await?;
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        crate::db::lock::<coach_profiles::Entity>(&txn, coach_profiles::Column::Id, profile.id)
            .await?;
        let ahead = coach_availability_exceptions::Entity::find()
            .filter(coach_availability_exceptions::Column::CoachId.eq(profile.id))
            .filter(
                coach_availability_exceptions::Column::Date
                    .gte(crate::now().date_naive() - chrono::Duration::days(1)),
            )
            .count(&txn)
            .await?;
        if ahead >= MAX_EXCEPTIONS {
            return Err(Error::field(
                "date",
                "too_many",
                "at most 200 exceptions ahead; delete some first",
            ));
        }
        let row = coach_availability_exceptions::ActiveModel {
            coach_id: Set(profile.id),
            date: Set(new.date),
            start_time: Set(new.start_time.clone()),
            end_time: Set(new.end_time.clone()),
            available: Set(new.available),
            reason: Set(new.reason.clone()),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(row)
    })
    .await
}

/// Deletes one of the caller's exceptions (idempotent: a second delete finds nothing, 404).
pub async fn delete_exception(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<()> {
    actor.require_session()?;
    let profile = my_profile(db, actor).await?;
    let deleted = coach_availability_exceptions::Entity::delete_many()
        .filter(coach_availability_exceptions::Column::Id.eq(id))
        .filter(coach_availability_exceptions::Column::CoachId.eq(profile.id))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(NOT_FOUND.into());
    }
    Ok(())
}
