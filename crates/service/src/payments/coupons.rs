//! Coupons: validated at checkout, redeemed only when the payment succeeds (RULES.md, Money).
//!
//! A coupon's limits (`maxUses` overall, `maxUsesPerUser`) count its redemptions **and** the open
//! checkouts that use it (pending payments whose Checkout Session has not expired): an open
//! checkout reserves one use until it expires or is paid. [`reserve`] runs in the checkout's
//! transaction after locking the coupon's row and the buyer's, so concurrent checkouts are
//! counted one after the other and the limits hold. [`redeem`] records the use when the payment
//! succeeds, once per payment (unique `couponRedemptions.paymentId`).

use chrono::{DateTime, Utc};
use entity::enums::{CouponKind, CouponScope, PaymentPurpose};
use entity::payments::{coupon_redemptions, coupons, payments};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait as _, PaginatorTrait,
    QueryFilter, Set,
};

use crate::{Error, Result};

/// Longest coupon code (the column's length).
pub const MAX_CODE: usize = 64;

/// A code as stored: trimmed, upper case.
pub fn normalize(code: &str) -> String {
    code.trim().to_uppercase()
}

fn refused(code: &str, message: &str) -> Error {
    Error::field("couponCode", code, message)
}

/// Whether the coupon's scope covers `purpose`.
fn applies(scope: CouponScope, purpose: PaymentPurpose) -> bool {
    matches!(
        (scope, purpose),
        (CouponScope::All, _)
            | (CouponScope::Course, PaymentPurpose::Course)
            | (CouponScope::Path, PaymentPurpose::Path)
            | (CouponScope::Session, PaymentPurpose::Session)
            | (CouponScope::Plan, PaymentPurpose::Plan)
            | (CouponScope::Subscription, PaymentPurpose::Subscription)
    )
}

/// The discount of `coupon` on `amount` cents (never more than the amount).
pub fn discount(coupon: &coupons::Model, amount: i64) -> i64 {
    let off = match coupon.kind {
        CouponKind::Percentage => (amount * coupon.value.clamp(0, 100) + 50) / 100,
        CouponKind::FixedAmount => Ord::max(coupon.value, 0),
    };
    Ord::min(off, amount)
}

/// Finds an active coupon by code that applies to `purpose` now (422 on `couponCode`
/// otherwise). Limits are checked by [`reserve`].
pub async fn find_valid(
    db: &impl ConnectionTrait,
    code: &str,
    purpose: PaymentPurpose,
    now: DateTime<Utc>,
) -> Result<coupons::Model> {
    let code = normalize(code);
    let coupon = coupons::Entity::find()
        .filter(coupons::Column::Code.eq(code))
        .one(db)
        .await?
        .filter(|c| c.active)
        .ok_or_else(|| refused("unknown_coupon", "is not a valid coupon code"))?;
    if coupon.valid_from.is_some_and(|from| now < from)
        || coupon.valid_until.is_some_and(|until| now >= until)
    {
        return Err(refused("coupon_expired", "is not valid at this time"));
    }
    if !applies(coupon.applies_to, purpose) {
        return Err(refused(
            "coupon_not_applicable",
            "does not apply to this kind of purchase",
        ));
    }
    Ok(coupon)
}

/// Uses of a coupon so far: redemptions plus checkouts that can still be paid
/// ([`super::settle::is_open`]: a declined attempt does not end one), overall and by `user_id`.
async fn uses(
    db: &impl ConnectionTrait,
    coupon_id: i64,
    user_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let mut redeemed = coupon_redemptions::Entity::find()
        .filter(coupon_redemptions::Column::CouponId.eq(coupon_id));
    let mut open = payments::Entity::find()
        .filter(payments::Column::CouponId.eq(coupon_id))
        .filter(super::settle::open_condition(now));
    if let Some(user_id) = user_id {
        redeemed = redeemed.filter(coupon_redemptions::Column::UserId.eq(user_id));
        open = open.filter(payments::Column::UserId.eq(user_id));
    }
    Ok(redeemed.count(db).await? + open.count(db).await?)
}

/// Checks the coupon's limits for one more use by `user_id`. Call it in the checkout's
/// transaction after locking the coupon's row (then the buyer's): the pending payment inserted
/// next is the reservation.
pub async fn reserve(
    db: &impl ConnectionTrait,
    coupon: &coupons::Model,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    crate::db::lock::<coupons::Entity>(db, coupons::Column::Id, coupon.id).await?;
    if let Some(max) = coupon.max_uses
        && uses(db, coupon.id, None, now).await? >= u64::try_from(max).unwrap_or(0)
    {
        return Err(refused(
            "coupon_used_up",
            "has been used as often as allowed",
        ));
    }
    if let Some(max) = coupon.max_uses_per_user
        && uses(db, coupon.id, Some(user_id), now).await? >= u64::try_from(max).unwrap_or(0)
    {
        return Err(refused(
            "coupon_used_up",
            "has been used as often as allowed for your account",
        ));
    }
    Ok(())
}

/// Records the coupon's use by a succeeded payment, once per payment.
pub async fn redeem(db: &impl ConnectionTrait, payment: &payments::Model) -> Result<()> {
    let Some(coupon_id) = payment.coupon_id else {
        return Ok(());
    };
    let inserted = coupon_redemptions::ActiveModel {
        coupon_id: Set(coupon_id),
        user_id: Set(payment.user_id),
        payment_id: Set(payment.id),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => {
            coupons::Entity::update_many()
                .col_expr(
                    coupons::Column::UsedCount,
                    Expr::col(coupons::Column::UsedCount).add(1),
                )
                .col_expr(coupons::Column::UpdatedAt, Expr::value(crate::now()))
                .filter(coupons::Column::Id.eq(coupon_id))
                .exec(db)
                .await?;
            Ok(())
        }
        Err(err) if Error::is_unique_violation(&err) => Ok(()),
        Err(err) => Err(err.into()),
    }
}

crate::problems! {
    pub COUPON_CODE_TAKEN: Conflict = "coupon_code_taken",
        "A coupon with this code already exists.",
        "Un coupon avec ce code existe déjà.";
}

/// A new coupon (the API has bounded every field).
#[derive(Debug, Clone)]
pub struct NewCoupon {
    pub code: String,
    pub kind: CouponKind,
    pub value: i64,
    pub max_uses: Option<i32>,
    pub max_uses_per_user: Option<i32>,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    pub applies_to: CouponScope,
    pub active: bool,
}

/// Changes to a coupon: `None` keeps a field, `Some(None)` clears a limit or a date.
#[derive(Debug, Clone, Default)]
pub struct CouponChanges {
    pub max_uses: Option<Option<i32>>,
    pub max_uses_per_user: Option<Option<i32>>,
    pub valid_from: Option<Option<DateTime<Utc>>>,
    pub valid_until: Option<Option<DateTime<Utc>>>,
    pub active: Option<bool>,
}

fn check(
    kind: CouponKind,
    value: i64,
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Result<()> {
    if kind == CouponKind::Percentage && !(1..=100).contains(&value) {
        return Err(Error::field(
            "value",
            "out_of_range",
            "a percentage is 1 to 100",
        ));
    }
    if let (Some(from), Some(until)) = (from, until)
        && until <= from
    {
        return Err(Error::field(
            "validUntil",
            "before_start",
            "must be after validFrom",
        ));
    }
    Ok(())
}

/// Every coupon, newest first (administrators, `payments:admin`).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &crate::auth::actor::Actor,
) -> Result<Vec<coupons::Model>> {
    use sea_orm::QueryOrder as _;
    actor.require_admin("payments:admin")?;
    Ok(coupons::Entity::find()
        .order_by_desc(coupons::Column::CreatedAt)
        .order_by_desc(coupons::Column::Id)
        .all(db)
        .await?)
}

/// Creates a coupon (409 `coupon_code_taken`). Audited.
pub async fn create(
    db: &impl crate::db::Db,
    actor: &crate::auth::actor::Actor,
    client: &crate::auth::sessions::Client,
    new: NewCoupon,
) -> Result<coupons::Model> {
    use sea_orm::TransactionSession as _;
    actor.require_admin("payments:admin")?;
    check(new.kind, new.value, new.valid_from, new.valid_until)?;
    let now = crate::now();
    let txn = crate::db::begin(db).await?;
    let inserted = coupons::ActiveModel {
        code: Set(normalize(&new.code)),
        kind: Set(new.kind),
        value: Set(new.value),
        max_uses: Set(new.max_uses),
        max_uses_per_user: Set(new.max_uses_per_user),
        used_count: Set(0),
        valid_from: Set(new.valid_from),
        valid_until: Set(new.valid_until),
        applies_to: Set(new.applies_to),
        active: Set(new.active),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let coupon = match inserted {
        Ok(coupon) => coupon,
        Err(err) if Error::is_unique_violation(&err) => return Err(COUPON_CODE_TAKEN.into()),
        Err(err) => return Err(err.into()),
    };
    crate::admin::audit::record(
        &txn,
        crate::admin::audit::Event {
            actor_id: Some(actor.user_id),
            action: "coupon.created",
            entity_type: "coupon",
            entity_id: Some(coupon.id),
            before: None,
            after: Some(serde_json::json!({ "code": coupon.code, "value": coupon.value })),
        },
        client,
    )
    .await?;
    txn.commit().await?;
    Ok(coupon)
}

/// Changes a coupon (404 when unknown). Audited.
pub async fn update(
    db: &impl crate::db::Db,
    actor: &crate::auth::actor::Actor,
    client: &crate::auth::sessions::Client,
    id: i64,
    changes: CouponChanges,
) -> Result<coupons::Model> {
    use sea_orm::TransactionSession as _;
    actor.require_admin("payments:admin")?;
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        crate::db::lock::<coupons::Entity>(&txn, coupons::Column::Id, id).await?;
        let coupon = coupons::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(crate::problem::NOT_FOUND)?;
        let valid_from = changes.valid_from.unwrap_or(coupon.valid_from);
        let valid_until = changes.valid_until.unwrap_or(coupon.valid_until);
        check(coupon.kind, coupon.value, valid_from, valid_until)?;
        let mut row: coupons::ActiveModel = coupon.clone().into();
        if let Some(v) = changes.max_uses {
            row.max_uses = Set(v);
        }
        if let Some(v) = changes.max_uses_per_user {
            row.max_uses_per_user = Set(v);
        }
        row.valid_from = Set(valid_from);
        row.valid_until = Set(valid_until);
        if let Some(v) = changes.active {
            row.active = Set(v);
        }
        row.updated_at = Set(crate::now());
        let updated = row.update(&txn).await?;
        crate::admin::audit::record(
            &txn,
            crate::admin::audit::Event {
                actor_id: Some(actor.user_id),
                action: "coupon.updated",
                entity_type: "coupon",
                entity_id: Some(id),
                before: Some(
                    serde_json::json!({ "active": coupon.active, "maxUses": coupon.max_uses }),
                ),
                after: Some(
                    serde_json::json!({ "active": updated.active, "maxUses": updated.max_uses }),
                ),
            },
            client,
        )
        .await?;
        txn.commit().await?;
        Ok(updated)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coupon(kind: CouponKind, value: i64) -> coupons::Model {
        let now = crate::now();
        coupons::Model {
            id: 1,
            code: "X".to_owned(),
            kind,
            value,
            max_uses: None,
            max_uses_per_user: None,
            used_count: 0,
            valid_from: None,
            valid_until: None,
            applies_to: CouponScope::All,
            active: true,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn a_discount_never_exceeds_the_amount_and_rounds_half_up() {
        assert_eq!(discount(&coupon(CouponKind::Percentage, 10), 4900), 490);
        assert_eq!(discount(&coupon(CouponKind::Percentage, 15), 4999), 750);
        assert_eq!(discount(&coupon(CouponKind::Percentage, 100), 4900), 4900);
        assert_eq!(discount(&coupon(CouponKind::FixedAmount, 1000), 4900), 1000);
        assert_eq!(discount(&coupon(CouponKind::FixedAmount, 9000), 4900), 4900);
    }

    #[test]
    fn scopes_cover_their_purpose_and_all_covers_every_one() {
        assert!(applies(CouponScope::All, PaymentPurpose::Session));
        assert!(applies(CouponScope::Course, PaymentPurpose::Course));
        assert!(!applies(CouponScope::Course, PaymentPurpose::Path));
        assert!(!applies(CouponScope::Subscription, PaymentPurpose::Plan));
        assert_eq!(normalize("  welcome10 "), "WELCOME10");
    }
}
