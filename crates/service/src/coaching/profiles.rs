//! Coach profiles: the public search and profile, and a coach's own profile.

use entity::coaching::coach_profiles;
use entity::enums::{CoachStatus, UserRole};
use entity::users::users;
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession as _,
};
use serde_json::Value;

use super::{my_profile, visible_profile};
use crate::auth::actor::Actor;
use crate::courses::Precondition;
use crate::db::Db;
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::NOT_FOUND;
use crate::{Error, Result};

/// A profile with its coach's name.
#[derive(Debug, Clone, PartialEq)]
pub struct CoachView {
    pub profile: coach_profiles::Model,
    pub first_name: String,
    pub last_name: String,
}

/// Filters of the public search (all optional, combined with AND).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Coaches in this language (`en`, `fr`).
    pub language: Option<String>,
    /// Coaches with this specialisation tag.
    pub specialization: Option<String>,
    /// Hourly rate at least / at most (cents).
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub sle_verified: Option<bool>,
    /// Rating at least.
    pub min_rating: Option<f64>,
}

/// A list of codes stored as a JSON array holds `code` (codes are plain words: their quoted form
/// cannot occur inside another).
fn holds(column: coach_profiles::Column, code: &str) -> sea_orm::sea_query::SimpleExpr {
    Expr::col(column)
        .cast_as("CHAR")
        .like(format!("%\"{code}\"%"))
}

/// Active coaches matching `filter`, newest first (public).
pub async fn search(
    db: &impl ConnectionTrait,
    filter: Filter,
    page: PageRequest,
) -> Result<Page<CoachView>> {
    let mut query = coach_profiles::Entity::find()
        .find_also_related(users::Entity)
        .filter(coach_profiles::Column::Status.eq(CoachStatus::Active))
        .filter(users::Column::Status.eq(entity::enums::UserStatus::Active))
        .filter(users::Column::Role.is_in([UserRole::Coach, UserRole::Admin]));
    if let Some(language) = &filter.language {
        query = query.filter(holds(coach_profiles::Column::Languages, language));
    }
    if let Some(tag) = &filter.specialization {
        query = query.filter(holds(coach_profiles::Column::Specializations, tag));
    }
    if let Some(min) = filter.min_price {
        query = query.filter(coach_profiles::Column::HourlyRate.gte(min));
    }
    if let Some(max) = filter.max_price {
        query = query.filter(coach_profiles::Column::HourlyRate.lte(max));
    }
    if let Some(verified) = filter.sle_verified {
        query = query.filter(coach_profiles::Column::SleVerified.eq(verified));
    }
    if let Some(rating) = filter.min_rating {
        query = query.filter(coach_profiles::Column::RatingAvg.gte(rating));
    }
    {
        use sea_orm::{QueryOrder as _, QuerySelect as _};
        query = query
            .order_by_desc(coach_profiles::Column::CreatedAt)
            .order_by_desc(coach_profiles::Column::Id)
            .limit(page.limit + 1);
        if let Some(after) = page.after {
            query = query.filter(pagination::before(
                coach_profiles::Column::CreatedAt,
                coach_profiles::Column::Id,
                after.at,
                after.id,
            ));
        }
    }
    let rows = query.all(db).await?;
    let page = pagination::finish(rows, &page, |(p, _)| Cursor {
        at: p.created_at,
        id: p.id,
    });
    Ok(page.map(|(profile, user)| view(profile, user)))
}

fn view(profile: coach_profiles::Model, user: Option<users::Model>) -> CoachView {
    let (first_name, last_name) =
        user.map_or_else(Default::default, |u| (u.first_name, u.last_name));
    CoachView {
        profile,
        first_name,
        last_name,
    }
}

/// A coach's public profile (an active one; a paused one to its coach and administrators).
pub async fn get(db: &impl ConnectionTrait, actor: Option<&Actor>, id: i64) -> Result<CoachView> {
    let profile = visible_profile(db, actor, id).await?;
    let user = users::Entity::find_by_id(profile.user_id).one(db).await?;
    Ok(view(profile, user))
}

/// The caller's own profile.
pub async fn mine(db: &impl ConnectionTrait, actor: &Actor) -> Result<CoachView> {
    actor.require_session()?;
    let profile = my_profile(db, actor).await?;
    let user = users::Entity::find_by_id(profile.user_id).one(db).await?;
    Ok(view(profile, user))
}

/// A change to the caller's profile: the fields given. `None` inside clears a text.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    pub specialization: Option<Option<String>>,
    pub specializations: Option<Vec<String>>,
    pub bio: Option<Option<String>>,
    pub bio_fr: Option<Option<String>>,
    pub languages: Option<Vec<String>>,
    pub hourly_rate: Option<i64>,
    pub trial_rate: Option<i64>,
    /// `paused` hides the coach from search and booking.
    pub status: Option<CoachStatus>,
}

/// Changes the caller's profile (coaches), checking `If-Match` when given. The trial rate may
/// not exceed the hourly rate.
pub async fn update(
    db: &impl Db,
    actor: &Actor,
    changes: Changes,
    precondition: Option<&Precondition>,
) -> Result<CoachView> {
    actor.require_session()?;
    let profile = my_profile(db, actor).await?;
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        crate::db::lock::<coach_profiles::Entity>(&txn, coach_profiles::Column::Id, profile.id)
            .await?;
        let current = coach_profiles::Entity::find_by_id(profile.id)
            .one(&txn)
            .await?
            .ok_or(NOT_FOUND)?;
        if let Some(precondition) = precondition {
            precondition.check(current.id, current.updated_at)?;
        }
        let c = changes.clone();
        let hourly = c.hourly_rate.unwrap_or(current.hourly_rate);
        let trial = c.trial_rate.unwrap_or(current.trial_rate);
        if trial > hourly {
            return Err(Error::field(
                "trialRate",
                "above_hourly_rate",
                "must not exceed the hourly rate",
            ));
        }
        let mut row: coach_profiles::ActiveModel = current.into();
        if let Some(v) = c.specialization {
            row.specialization = Set(v);
        }
        if let Some(v) = c.specializations {
            row.specializations = Set(Some(Value::from(v)));
        }
        if let Some(v) = c.bio {
            row.bio = Set(v);
        }
        if let Some(v) = c.bio_fr {
            row.bio_fr = Set(v);
        }
        if let Some(v) = c.languages {
            row.languages = Set(Value::from(v));
        }
        if let Some(v) = c.status {
            row.status = Set(v);
        }
        row.hourly_rate = Set(hourly);
        row.trial_rate = Set(trial);
        row.updated_at = Set(crate::now());
        let updated = row.update(&txn).await?;
        let user = users::Entity::find_by_id(updated.user_id).one(&txn).await?;
        txn.commit().await?;
        Ok(view(updated, user))
    })
    .await
}
