//! Stripe Connect: a coach's Express account (country CA) and onboarding link
//! (`POST /coaches/me/stripe/onboarding`), `account.updated` making the coach payable, and the
//! coach's earnings from the ledger (`GET /coaches/me/earnings`).
//!
//! A coach is payable when Stripe reports both charges and payouts enabled on their account;
//! until then paid bookings with them are refused (409 `coach_not_payable`). The account is
//! created once per coach profile (idempotency key `connect:<profile id>`; the id is stored with
//! a conditional update, so concurrent requests keep one account).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Utc};
use entity::coaching::coach_profiles;
use entity::enums::LedgerType;
use entity::payments::payout_ledger;
use entity::users::users;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::gateway::{AccountFacts, Gateway};
use super::{CURRENCY, configured};
use crate::Result;
use crate::auth::actor::Actor;
use crate::db::Db;
use crate::problem::NOT_FOUND;

/// Where the coach continues their onboarding.
#[derive(Debug, Clone)]
pub struct Onboarding {
    pub url: String,
    pub expires_at: DateTime<Utc>,
    pub payouts_enabled: bool,
}

/// Creates the coach's Express account if needed, and an onboarding link to it.
pub async fn onboarding(
    db: &impl Db,
    gateway: Option<&Gateway>,
    actor: &Actor,
    app_base_url: &str,
) -> Result<Onboarding> {
    actor.require_session()?;
    let profile = crate::coaching::my_profile(db, actor).await?;
    let gateway = configured(gateway)?;
    let account = match profile.stripe_connect_id.clone() {
        Some(account) => account,
        None => {
            let user = users::Entity::find_by_id(actor.user_id)
                .one(db)
                .await?
                .ok_or(NOT_FOUND)?;
            let created = gateway
                .create_express_account(&format!("connect:{}", profile.id), &user.email, profile.id)
                .await?;
            coach_profiles::Entity::update_many()
                .col_expr(
                    coach_profiles::Column::StripeConnectId,
                    Expr::value(Some(created)),
                )
                .col_expr(coach_profiles::Column::UpdatedAt, Expr::value(crate::now()))
                .filter(coach_profiles::Column::Id.eq(profile.id))
                .filter(coach_profiles::Column::StripeConnectId.is_null())
                .exec(db)
                .await?;
            coach_profiles::Entity::find_by_id(profile.id)
                .one(db)
                .await?
                .and_then(|p| p.stripe_connect_id)
                .ok_or(NOT_FOUND)?
        }
    };
    let base = app_base_url.trim_end_matches('/');
    let link = gateway
        .account_link(
            &account,
            &format!("{base}/coach/payouts?onboarding=refresh"),
            &format!("{base}/coach/payouts?onboarding=done"),
        )
        .await?;
    Ok(Onboarding {
        url: link.url,
        expires_at: link.expires_at,
        payouts_enabled: profile.payouts_enabled,
    })
}

/// `account.updated`: the coach whose account it is becomes payable, or stops being.
pub async fn account_updated(
    db: &impl ConnectionTrait,
    facts: &AccountFacts,
) -> Result<Option<String>> {
    let payable = facts.charges_enabled && facts.payouts_enabled;
    let updated = coach_profiles::Entity::update_many()
        .col_expr(coach_profiles::Column::PayoutsEnabled, Expr::value(payable))
        .col_expr(coach_profiles::Column::UpdatedAt, Expr::value(crate::now()))
        .filter(coach_profiles::Column::StripeConnectId.eq(&facts.id))
        .exec(db)
        .await?;
    Ok((updated.rows_affected == 0).then(|| format!("account {} is no coach's", facts.id)))
}

/// Sums of ledger entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Paid sessions, pre-tax.
    pub gross: i64,
    /// The platform's fees (net of reversed fees).
    pub fees: i64,
    /// What the coach keeps (net of refunds).
    pub net: i64,
    /// Refunded to learners (pre-tax, positive).
    pub refunds: i64,
}

impl Totals {
    fn add(&mut self, row: &payout_ledger::Model) {
        match row.r#type {
            LedgerType::Refund => {
                self.refunds -= row.gross_amount;
                self.fees += row.fee_amount;
                self.net += row.net_amount;
            }
            _ => {
                self.gross += row.gross_amount;
                self.fees += row.fee_amount;
                self.net += row.net_amount;
            }
        }
    }
}

/// A coach's earnings: all time and by month (`YYYY-MM`, newest first).
#[derive(Debug, Clone)]
pub struct Earnings {
    pub currency: &'static str,
    pub total: Totals,
    pub months: Vec<(String, Totals)>,
}

/// The caller's earnings as a coach, from the ledger.
pub async fn earnings(db: &impl ConnectionTrait, actor: &Actor) -> Result<Earnings> {
    let profile = crate::coaching::my_profile(db, actor).await?;
    let rows = payout_ledger::Entity::find()
        .filter(payout_ledger::Column::CoachId.eq(profile.id))
        .order_by_asc(payout_ledger::Column::CreatedAt)
        .all(db)
        .await?;
    let mut total = Totals::default();
    let mut months: BTreeMap<String, Totals> = BTreeMap::new();
    for row in &rows {
        total.add(row);
        let month = format!("{:04}-{:02}", row.created_at.year(), row.created_at.month());
        months.entry(month).or_default().add(row);
    }
    Ok(Earnings {
        currency: CURRENCY,
        total,
        months: months.into_iter().rev().collect(),
    })
}
