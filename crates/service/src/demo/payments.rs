//! Payments: the subscription plans, the coaches' commission tiers and a welcome coupon.

use entity::enums::{CouponKind, CouponScope, PlanInterval};
use entity::payments::{commission_tiers, coupons, subscription_plans};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::{CURRENCY, Seeder};

/// Seeds [`SUBSCRIPTION_PLANS`], then [`COMMISSION_TIERS`].
pub(super) async fn seed(seeder: &mut Seeder<'_>) -> Result<(), DbErr> {
    subscription_plans(seeder).await?;
    commission_tiers(seeder).await?;
    coupon(seeder).await
}

/// `BIENVENUE10`: 10 % off anything, once per learner.
async fn coupon(seeder: &mut Seeder<'_>) -> Result<(), DbErr> {
    let row = coupons::ActiveModel {
        code: Set("BIENVENUE10".to_owned()),
        kind: Set(CouponKind::Percentage),
        value: Set(10),
        max_uses: Set(None),
        max_uses_per_user: Set(Some(1)),
        used_count: Set(0),
        valid_from: Set(None),
        valid_until: Set(None),
        applies_to: Set(CouponScope::All),
        active: Set(true),
        created_at: Set(seeder.now),
        updated_at: Set(seeder.now),
        ..Default::default()
    };
    let existing = coupons::Entity::find().filter(coupons::Column::Code.eq("BIENVENUE10"));
    seeder.find_or_insert(existing, row).await?;
    Ok(())
}

async fn subscription_plans(seeder: &mut Seeder<'_>) -> Result<(), DbErr> {
    for plan in SUBSCRIPTION_PLANS {
        let row = subscription_plans::ActiveModel {
            code: Set(plan.code.to_owned()),
            name: Set(plan.name.to_owned()),
            name_fr: Set(plan.name_fr.to_owned()),
            interval: Set(plan.interval),
            price: Set(plan.price),
            currency: Set(CURRENCY.to_owned()),
            stripe_price_id: Set(None),
            active: Set(true),
            created_at: Set(seeder.now),
            updated_at: Set(seeder.now),
            ..Default::default()
        };
        let existing = subscription_plans::Entity::find()
            .filter(subscription_plans::Column::Code.eq(plan.code));
        seeder.find_or_insert(existing, row).await?;
    }
    Ok(())
}

async fn commission_tiers(seeder: &mut Seeder<'_>) -> Result<(), DbErr> {
    for tier in COMMISSION_TIERS {
        let row = commission_tiers::ActiveModel {
            name: Set(tier.name.to_owned()),
            min_hours: Set(tier.min_hours),
            max_hours: Set(tier.max_hours),
            fee_bps: Set(tier.fee_bps),
            sle_verified_only: Set(tier.sle_verified_only),
            created_at: Set(seeder.now),
            updated_at: Set(seeder.now),
            ..Default::default()
        };
        let existing =
            commission_tiers::Entity::find().filter(commission_tiers::Column::Name.eq(tier.name));
        seeder.find_or_insert(existing, row).await?;
    }
    Ok(())
}

struct DemoSubscriptionPlan {
    code: &'static str,
    name: &'static str,
    name_fr: &'static str,
    interval: PlanInterval,
    price: i64,
}

struct DemoCommissionTier {
    name: &'static str,
    min_hours: i32,
    max_hours: Option<i32>,
    fee_bps: i32,
    sle_verified_only: bool,
}

const SUBSCRIPTION_PLANS: &[DemoSubscriptionPlan] = &[
    DemoSubscriptionPlan {
        code: "monthly",
        name: "All-access monthly",
        name_fr: "Accès complet mensuel",
        interval: PlanInterval::Month,
        price: 3900,
    },
    DemoSubscriptionPlan {
        code: "yearly",
        name: "All-access yearly",
        name_fr: "Accès complet annuel",
        interval: PlanInterval::Year,
        price: 39000,
    },
];

/// Platform fee by hours taught (upper bound exclusive), as the business rules set them.
const COMMISSION_TIERS: &[DemoCommissionTier] = &[
    DemoCommissionTier {
        name: "0-10 hours",
        min_hours: 0,
        max_hours: Some(10),
        fee_bps: 2600,
        sle_verified_only: false,
    },
    DemoCommissionTier {
        name: "10-30 hours",
        min_hours: 10,
        max_hours: Some(30),
        fee_bps: 2200,
        sle_verified_only: false,
    },
    DemoCommissionTier {
        name: "30-60 hours",
        min_hours: 30,
        max_hours: Some(60),
        fee_bps: 1900,
        sle_verified_only: false,
    },
    DemoCommissionTier {
        name: "60-100 hours",
        min_hours: 60,
        max_hours: Some(100),
        fee_bps: 1700,
        sle_verified_only: false,
    },
    DemoCommissionTier {
        name: "100+ hours",
        min_hours: 100,
        max_hours: None,
        fee_bps: 1500,
        sle_verified_only: false,
    },
    DemoCommissionTier {
        name: "SLE verified",
        min_hours: 0,
        max_hours: None,
        fee_bps: 1500,
        sle_verified_only: true,
    },
];
