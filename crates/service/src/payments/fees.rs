//! The platform's fee on a coaching payment (RULES.md, Money): 0 for a trial; otherwise the
//! commission tier matching the coach's completed hours, or the SLE-verified tier when the coach
//! is verified and it is lower. `fee = round(gross × bps / 10000)` on the pre-tax amount.
//! The tiers are the `commissionTiers` rows; with none, [`DEFAULT_TIERS`].

use entity::coaching::{coach_profiles, sessions};
use entity::enums::{SessionStatus, SessionType};
use entity::payments::commission_tiers;
use sea_orm::sea_query::{Expr, ExprTrait as _, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::Result;

/// One tier: `minHours <= hours < maxHours` (no upper bound when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    pub min_hours: i32,
    pub max_hours: Option<i32>,
    pub fee_bps: i32,
    pub sle_verified_only: bool,
}

/// The tiers the business rules set.
pub const DEFAULT_TIERS: &[Tier] = &[
    Tier {
        min_hours: 0,
        max_hours: Some(10),
        fee_bps: 2600,
        sle_verified_only: false,
    },
    Tier {
        min_hours: 10,
        max_hours: Some(30),
        fee_bps: 2200,
        sle_verified_only: false,
    },
    Tier {
        min_hours: 30,
        max_hours: Some(60),
        fee_bps: 1900,
        sle_verified_only: false,
    },
    Tier {
        min_hours: 60,
        max_hours: Some(100),
        fee_bps: 1700,
        sle_verified_only: false,
    },
    Tier {
        min_hours: 100,
        max_hours: None,
        fee_bps: 1500,
        sle_verified_only: false,
    },
    Tier {
        min_hours: 0,
        max_hours: None,
        fee_bps: 1500,
        sle_verified_only: true,
    },
];

/// The fee rate for a coach with `completed_minutes` taught.
pub fn fee_bps(
    tiers: &[Tier],
    completed_minutes: i64,
    sle_verified: bool,
    kind: SessionType,
) -> i32 {
    if kind == SessionType::Trial {
        return 0;
    }
    let hours = Ord::max(completed_minutes, 0) / 60;
    let matches = |t: &&Tier| {
        i64::from(t.min_hours) <= hours && t.max_hours.is_none_or(|max| hours < i64::from(max))
    };
    let by_hours = tiers
        .iter()
        .filter(|t| !t.sle_verified_only)
        .filter(matches)
        .map(|t| t.fee_bps)
        .min();
    let verified = sle_verified
        .then(|| {
            tiers
                .iter()
                .filter(|t| t.sle_verified_only)
                .filter(matches)
                .map(|t| t.fee_bps)
                .min()
        })
        .flatten();
    match (by_hours, verified) {
        (Some(a), Some(b)) => Ord::min(a, b),
        (Some(a), None) | (None, Some(a)) => a,
        // No tier covers these hours: the highest rate of the table, never nothing.
        (None, None) => tiers.iter().map(|t| t.fee_bps).max().unwrap_or(0),
    }
}

/// `round(gross × bps / 10000)`, half up.
pub fn fee(gross: i64, bps: i32) -> i64 {
    (Ord::max(gross, 0) * i64::from(bps) + 5_000) / 10_000
}

/// The fee rate for a session of `kind` with this coach, from the tiers table and the coach's
/// completed sessions.
pub async fn rate_for(
    db: &impl ConnectionTrait,
    coach: &coach_profiles::Model,
    kind: SessionType,
) -> Result<i32> {
    if kind == SessionType::Trial {
        return Ok(0);
    }
    let rows = commission_tiers::Entity::find().all(db).await?;
    let tiers: Vec<Tier> = if rows.is_empty() {
        DEFAULT_TIERS.to_vec()
    } else {
        rows.iter()
            .map(|r| Tier {
                min_hours: r.min_hours,
                max_hours: r.max_hours,
                fee_bps: r.fee_bps,
                sle_verified_only: r.sle_verified_only,
            })
            .collect()
    };
    let minutes: Option<i64> = sessions::Entity::find()
        .select_only()
        // MySQL sums integers as DECIMAL: read back as a 64-bit integer.
        .column_as(
            Expr::expr(Func::sum(Expr::col((
                sessions::Entity,
                sessions::Column::DurationMinutes,
            ))))
            .cast_as("SIGNED"),
            "minutes",
        )
        .filter(sessions::Column::CoachId.eq(coach.id))
        .filter(sessions::Column::Status.eq(SessionStatus::Completed))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    Ok(fee_bps(
        &tiers,
        minutes.unwrap_or(0),
        coach.sle_verified,
        kind,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_follow_completed_hours_and_verification() {
        let t = DEFAULT_TIERS;
        assert_eq!(fee_bps(t, 0, false, SessionType::Single), 2600);
        assert_eq!(fee_bps(t, 599, false, SessionType::Single), 2600);
        assert_eq!(fee_bps(t, 600, false, SessionType::Single), 2200);
        assert_eq!(fee_bps(t, 30 * 60, false, SessionType::Single), 1900);
        assert_eq!(fee_bps(t, 99 * 60 + 59, false, SessionType::Single), 1700);
        assert_eq!(fee_bps(t, 100 * 60, false, SessionType::Single), 1500);
        assert_eq!(fee_bps(t, 0, true, SessionType::Single), 1500);
        assert_eq!(fee_bps(t, 0, true, SessionType::Trial), 0);
        assert_eq!(fee_bps(t, 10_000, false, SessionType::Trial), 0);
    }

    #[test]
    fn the_fee_rounds_half_up_on_the_pre_tax_amount() {
        assert_eq!(fee(8_000, 2600), 2_080);
        assert_eq!(fee(1, 5000), 1);
        assert_eq!(fee(3, 1500), 0);
        assert_eq!(fee(0, 2600), 0);
    }
}

/// A tier as an administrator sets it.
#[derive(Debug, Clone)]
pub struct NamedTier {
    pub name: String,
    pub tier: Tier,
}

/// The tiers in force: the table's rows, or [`DEFAULT_TIERS`] (with ids 0) when it is empty.
pub async fn tiers(
    db: &impl ConnectionTrait,
    actor: &crate::auth::actor::Actor,
) -> Result<Vec<commission_tiers::Model>> {
    use sea_orm::QueryOrder as _;
    actor.require_admin("payments:admin")?;
    Ok(commission_tiers::Entity::find()
        .order_by_asc(commission_tiers::Column::SleVerifiedOnly)
        .order_by_asc(commission_tiers::Column::MinHours)
        .all(db)
        .await?)
}

/// Replaces every tier (administrators). The hour ranges of the non-verified tiers must start at
/// 0, touch and not overlap, the last one open-ended, so every coach matches exactly one.
/// Audited.
pub async fn replace(
    db: &impl crate::db::Db,
    actor: &crate::auth::actor::Actor,
    client: &crate::auth::sessions::Client,
    mut new: Vec<NamedTier>,
) -> Result<Vec<commission_tiers::Model>> {
    use sea_orm::{ActiveModelTrait as _, Set, TransactionSession as _};
    actor.require_admin("payments:admin")?;
    new.sort_by_key(|t| (t.tier.sle_verified_only, t.tier.min_hours));
    let general: Vec<&Tier> = new
        .iter()
        .map(|t| &t.tier)
        .filter(|t| !t.sle_verified_only)
        .collect();
    let mut expected = 0;
    for (i, tier) in general.iter().enumerate() {
        let last = i + 1 == general.len();
        let bad_end = match tier.max_hours {
            Some(max) => last || max <= tier.min_hours,
            None => !last,
        };
        if tier.min_hours != expected || bad_end {
            return Err(crate::Error::field(
                "tiers",
                "invalid_ranges",
                "the hour ranges must start at 0, follow each other without gap or overlap, and the last be open-ended",
            ));
        }
        expected = tier.max_hours.unwrap_or(i32::MAX);
    }
    if general.is_empty() {
        return Err(crate::Error::field(
            "tiers",
            "invalid_ranges",
            "at least one tier applies to every coach",
        ));
    }
    let before = commission_tiers::Entity::find().all(db).await?;
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        commission_tiers::Entity::delete_many().exec(&txn).await?;
        let now = crate::now();
        let mut out = Vec::new();
        for t in &new {
            out.push(
                commission_tiers::ActiveModel {
                    name: Set(t.name.clone()),
                    min_hours: Set(t.tier.min_hours),
                    max_hours: Set(t.tier.max_hours),
                    fee_bps: Set(t.tier.fee_bps),
                    sle_verified_only: Set(t.tier.sle_verified_only),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?,
            );
        }
        crate::admin::audit::record(
            &txn,
            crate::admin::audit::Event {
                actor_id: Some(actor.user_id),
                action: "commission_tiers.replaced",
                entity_type: "commission_tier",
                entity_id: None,
                before: Some(serde_json::json!(
                    before
                        .iter()
                        .map(|t| (t.min_hours, t.fee_bps))
                        .collect::<Vec<_>>()
                )),
                after: Some(serde_json::json!(
                    out.iter()
                        .map(|t| (t.min_hours, t.fee_bps))
                        .collect::<Vec<_>>()
                )),
            },
            client,
        )
        .await?;
        txn.commit().await?;
        Ok(out)
    })
    .await
}
