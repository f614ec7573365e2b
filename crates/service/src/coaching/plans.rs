//! Coaching plans (prepaid packages of sessions): the public list, administrators' changes, and a
//! learner's balances (`GET /users/me/coaching-plans`). Purchases are created by the payments
//! domain once paid; a package booking takes one session from a balance.

use chrono::{DateTime, Utc};
use entity::coaching::{coaching_plan_purchases, coaching_plans};
use entity::enums::PlanPurchaseStatus;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession as _,
};

use super::CURRENCY;
use crate::Result;
use crate::admin::audit;
use crate::auth::actor::Actor;
use crate::auth::sessions::Client;
use crate::problem::NOT_FOUND;

/// Longest plan name (the column's length).
pub const MAX_NAME: usize = 255;
/// Most sessions in a plan.
pub const MAX_SESSIONS: i64 = 100;
/// Longest validity, in days (two years).
pub const MAX_VALIDITY_DAYS: i64 = 730;
/// Highest plan price, in cents ($20,000).
pub const MAX_PRICE: i64 = 2_000_000;

/// A plan's writable fields.
#[derive(Debug, Clone)]
pub struct PlanFields {
    pub name: String,
    pub name_fr: String,
    pub sessions_included: i32,
    pub validity_days: i32,
    pub price: i64,
    pub active: bool,
}

/// A change to a plan: the fields given.
#[derive(Debug, Clone, Default)]
pub struct PlanChanges {
    pub name: Option<String>,
    pub name_fr: Option<String>,
    pub sessions_included: Option<i32>,
    pub validity_days: Option<i32>,
    pub price: Option<i64>,
    pub active: Option<bool>,
}

/// The plans on sale, cheapest first; administrators also see inactive ones when they ask.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    include_inactive: bool,
) -> Result<Vec<coaching_plans::Model>> {
    let mut query = coaching_plans::Entity::find();
    if !(include_inactive && actor.is_some_and(super::administers)) {
        query = query.filter(coaching_plans::Column::Active.eq(true));
    }
    Ok(query
        .order_by_asc(coaching_plans::Column::Price)
        .order_by_asc(coaching_plans::Column::Id)
        .all(db)
        .await?)
}

/// One plan: on sale, or any for administrators.
pub async fn get(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    id: i64,
) -> Result<coaching_plans::Model> {
    let plan = coaching_plans::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    if plan.active || actor.is_some_and(super::administers) {
        Ok(plan)
    } else {
        Err(NOT_FOUND.into())
    }
}

fn snapshot(plan: &coaching_plans::Model) -> serde_json::Value {
    serde_json::json!({
        "name": plan.name, "nameFr": plan.name_fr, "sessionsIncluded": plan.sessions_included,
        "validityDays": plan.validity_days, "price": plan.price, "active": plan.active,
    })
}

/// Creates a plan (administrators).
pub async fn create(
    db: &impl crate::db::Db,
    actor: &Actor,
    client: &Client,
    fields: PlanFields,
) -> Result<coaching_plans::Model> {
    actor.require_admin("coaching:admin")?;
    crate::db::retrying(|| async {
        let fields = fields.clone();
        let txn = crate::db::begin(db).await?;
        let now = crate::now();
        let plan = coaching_plans::ActiveModel {
            name: Set(fields.name),
            name_fr: Set(fields.name_fr),
            sessions_included: Set(fields.sessions_included),
            validity_days: Set(fields.validity_days),
            price: Set(fields.price),
            currency: Set(CURRENCY.to_owned()),
            active: Set(fields.active),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            audit::Event {
                actor_id: Some(actor.user_id),
                action: "coaching_plan.created",
                entity_type: "coaching_plan",
                entity_id: Some(plan.id),
                after: Some(snapshot(&plan)),
                ..Default::default()
            },
            client,
        )
        .await?;
        txn.commit().await?;
        Ok(plan)
    })
    .await
}

/// Changes a plan (administrators). Purchases already made keep what they bought.
pub async fn update(
    db: &impl crate::db::Db,
    actor: &Actor,
    client: &Client,
    id: i64,
    changes: PlanChanges,
    precondition: Option<&crate::courses::Precondition>,
) -> Result<coaching_plans::Model> {
    actor.require_admin("coaching:admin")?;
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        crate::db::lock::<coaching_plans::Entity>(&txn, coaching_plans::Column::Id, id).await?;
        let plan = coaching_plans::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(NOT_FOUND)?;
        if let Some(precondition) = precondition {
            precondition.check(plan.id, plan.updated_at)?;
        }
        let before = snapshot(&plan);
        let mut row: coaching_plans::ActiveModel = plan.into();
        let c = changes.clone();
        if let Some(v) = c.name {
            row.name = Set(v);
        }
        if let Some(v) = c.name_fr {
            row.name_fr = Set(v);
        }
        if let Some(v) = c.sessions_included {
            row.sessions_included = Set(v);
        }
        if let Some(v) = c.validity_days {
            row.validity_days = Set(v);
        }
        if let Some(v) = c.price {
            row.price = Set(v);
        }
        if let Some(v) = c.active {
            row.active = Set(v);
        }
        row.updated_at = Set(crate::now());
        let plan = row.update(&txn).await?;
        audit::record(
            &txn,
            audit::Event {
                actor_id: Some(actor.user_id),
                action: "coaching_plan.updated",
                entity_type: "coaching_plan",
                entity_id: Some(plan.id),
                before: Some(before),
                after: Some(snapshot(&plan)),
            },
            client,
        )
        .await?;
        txn.commit().await?;
        Ok(plan)
    })
    .await
}

/// A learner's plan purchase with the plan's names.
#[derive(Debug, Clone, PartialEq)]
pub struct Balance {
    pub purchase: coaching_plan_purchases::Model,
    pub plan: Option<coaching_plans::Model>,
    /// `expired` once `expiresAt` has passed, whatever the stored status.
    pub status: PlanPurchaseStatus,
}

/// The status a purchase has at `now`.
pub fn status_at(
    purchase: &coaching_plan_purchases::Model,
    now: DateTime<Utc>,
) -> PlanPurchaseStatus {
    match purchase.status {
        PlanPurchaseStatus::Active | PlanPurchaseStatus::Exhausted
            if purchase.expires_at <= now =>
        {
            PlanPurchaseStatus::Expired
        }
        status => status,
    }
}

/// The caller's plan purchases, newest first.
pub async fn balances(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<Balance>> {
    actor.require_scope("coaching:read")?;
    let now = crate::now();
    Ok(coaching_plan_purchases::Entity::find()
        .find_also_related(coaching_plans::Entity)
        .filter(coaching_plan_purchases::Column::UserId.eq(actor.user_id))
        .order_by_desc(coaching_plan_purchases::Column::CreatedAt)
        .order_by_desc(coaching_plan_purchases::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|(purchase, plan)| Balance {
            status: status_at(&purchase, now),
            purchase,
            plan,
        })
        .collect())
}
