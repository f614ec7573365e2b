//! A learner's Second Language Evaluation results (reading, writing, oral).
//!
//! Learners record their own results from official tests or self-assessments; at most one per
//! (skill, source). Coach-assessed results are written by coaches (coaching issue), so a learner
//! cannot claim one.

use chrono::NaiveDate;
use entity::enums::{SleLevel, SleSkill, SleSource};
use entity::users::{sle_results, users};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::auth::actor::Actor;
use crate::db::Db;
use crate::{Error, FieldError, Result};
use sea_orm::TransactionSession as _;

/// One result to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewResult {
    pub skill: SleSkill,
    pub level: SleLevel,
    pub tested_at: Option<NaiveDate>,
    pub expires_at: Option<NaiveDate>,
    pub source: SleSource,
}

/// Most results one replacement holds: one per skill (3) and self-reported source (2).
pub const MAX_RESULTS: usize = 6;

/// The caller's results.
pub async fn mine(db: &impl Db, actor: &Actor) -> Result<Vec<sle_results::Model>> {
    actor.require_scope("profile:read")?;
    Ok(sle_results::Entity::find()
        .filter(sle_results::Column::UserId.eq(actor.user_id))
        .order_by_asc(sle_results::Column::Skill)
        .order_by_asc(sle_results::Column::Source)
        .all(db)
        .await?)
}

/// Replaces the caller's self-reported results (official and assessment); coach-assessed ones
/// are kept.
pub async fn replace(
    db: &impl Db,
    actor: &Actor,
    results: Vec<NewResult>,
) -> Result<Vec<sle_results::Model>> {
    actor.require_session()?;
    let today = crate::now().date_naive();
    let mut problems = Vec::new();
    for (i, r) in results.iter().enumerate() {
        if r.source == SleSource::Coach {
            problems.push(FieldError {
                field: format!("results.{i}.source"),
                code: "not_allowed".into(),
                message: "coach assessments are recorded by coaches".into(),
            });
        }
        if r.tested_at.is_some_and(|t| t > today) {
            problems.push(FieldError {
                field: format!("results.{i}.testedAt"),
                code: "in_the_future".into(),
                message: "cannot be in the future".into(),
            });
        }
        if let (Some(tested), Some(expires)) = (r.tested_at, r.expires_at)
            && expires <= tested
        {
            problems.push(FieldError {
                field: format!("results.{i}.expiresAt"),
                code: "before_test".into(),
                message: "must be after testedAt".into(),
            });
        }
        if results[..i]
            .iter()
            .any(|o| o.skill == r.skill && o.source == r.source)
        {
            problems.push(FieldError {
                field: format!("results.{i}"),
                code: "duplicate".into(),
                message: "one result per skill and source".into(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(Error::Validation(problems));
    }
    let now = crate::now();
    let txn = crate::db::begin(db).await?;
    // One user's results are replaced one request at a time (no deadlock on the index gaps).
    crate::db::lock::<users::Entity>(&txn, users::Column::Id, actor.user_id).await?;
    sle_results::Entity::delete_many()
        .filter(sle_results::Column::UserId.eq(actor.user_id))
        .filter(sle_results::Column::Source.ne(SleSource::Coach))
        .exec(&txn)
        .await?;
    if !results.is_empty() {
        let rows = results.into_iter().map(|r| sle_results::ActiveModel {
            user_id: Set(actor.user_id),
            skill: Set(r.skill),
            level: Set(r.level),
            tested_at: Set(r.tested_at),
            expires_at: Set(r.expires_at),
            source: Set(r.source),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        sle_results::Entity::insert_many(rows).exec(&txn).await?;
    }
    txn.commit().await?;
    mine(db, actor).await
}
