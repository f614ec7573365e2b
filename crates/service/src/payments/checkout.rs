//! `POST /checkout`: a Stripe Checkout Session for a course, a learning path, a coaching session,
//! a coaching plan or a subscription.
//!
//! 1. The purchase is quoted and checked: published and priced, not already owned, the session
//!    still held for the caller and awaiting payment with a coach who can be paid, the plan
//!    offered, no subscription already running. A coupon is validated.
//! 2. One transaction locks the coupon (if any) and the buyer, checks the coupon's limits again
//!    and inserts the `payments` row `pending`; while open, it reserves one use of the coupon.
//!    An open checkout of the same purchase (same coupon) is answered again instead (200).
//! 3. The Checkout Session is created at Stripe with the idempotency key `checkout:<payment id>`
//!    (a retry never makes a second one), and its id, URL and expiry are stored on the row. If
//!    Stripe refuses, the row is marked failed (its reservation ends) and the caller gets 503
//!    `dependency_unavailable`.
//!
//! Coaching sessions are destination charges to the coach's connected account with
//! `application_fee_amount` = the fee on the pre-tax price ([`super::fees`]); HST is a line of
//! its own. Subscriptions are `mode=subscription` with a recurring line.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use entity::coaching::{coach_profiles, coaching_plans, sessions};
use entity::courses::{courses, learning_paths};
use entity::enums::{
    CourseStatus, Language, PaymentPurpose, PaymentStatus, PlanInterval, SessionStatus, SessionType,
};
use entity::payments::{coupons, payments, subscription_plans};
use entity::users::users;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, Set, TransactionSession as _,
};

use super::gateway::{CheckoutRequest, Destination, Gateway, Interval, Line, Mode};
use super::{
    ALREADY_OWNED, ALREADY_SUBSCRIBED, COACH_NOT_PAYABLE, CURRENCY, NOT_PURCHASABLE,
    SESSION_NOT_PAYABLE, configured, coupons as coupon_rules, fees,
};
use crate::auth::actor::Actor;
use crate::db::Db;
use crate::problem::NOT_FOUND;
use crate::{Error, Result};

/// How long a Checkout Session stays open (Stripe accepts 30 minutes to 24 hours). A pending
/// session waiting for its payment is held as long.
pub const CHECKOUT_LIFETIME: Duration = Duration::hours(1);
/// Stripe's smallest charge in CAD.
pub const MIN_CHARGE: i64 = 50;

/// What the caller wants to buy.
#[derive(Debug, Clone)]
pub struct Purchase {
    pub purpose: PaymentPurpose,
    pub reference_id: i64,
    pub coupon_code: Option<String>,
}

/// A checkout ready to pay.
#[derive(Debug, Clone)]
pub struct Started {
    pub payment: payments::Model,
    pub url: String,
    pub expires_at: DateTime<Utc>,
    /// An open checkout of the same purchase, answered again rather than made twice.
    pub reused: bool,
}

/// The priced purchase.
struct Quote {
    /// Lines before any discount, in the buyer's language.
    name: String,
    /// Pre-tax price (tax-included for everything but sessions).
    price: i64,
    /// Whether HST is added on its own line (coaching sessions).
    taxed: bool,
    /// Recurring interval (subscriptions).
    interval: Option<Interval>,
    /// The coach paid by a destination charge, and the fee rate.
    coach: Option<(coach_profiles::Model, i32)>,
    /// Subscription plan code.
    plan_code: Option<String>,
}

/// Quotes and checks a purchase for `user` (see the module docs).
async fn quote(
    db: &impl ConnectionTrait,
    user: &users::Model,
    purpose: PaymentPurpose,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Quote> {
    let french = user.language == Language::Fr;
    let pick = |en: &str, fr: &str| if french { fr.to_owned() } else { en.to_owned() };
    let plain = |name: String, price: i64| Quote {
        name,
        price,
        taxed: false,
        interval: None,
        coach: None,
        plan_code: None,
    };
    match purpose {
        PaymentPurpose::Course => {
            let course = courses::Entity::find_by_id(id)
                .filter(courses::Column::Status.eq(CourseStatus::Published))
                .one(db)
                .await?
                .ok_or(NOT_FOUND)?;
            if course.price <= 0 {
                return Err(NOT_PURCHASABLE.into());
            }
            if crate::enrollments::has_access(db, user.id, course.id).await? {
                return Err(ALREADY_OWNED.into());
            }
            Ok(plain(pick(&course.title, &course.title_fr), course.price))
        }
        PaymentPurpose::Path => {
            let path = learning_paths::Entity::find_by_id(id)
                .filter(learning_paths::Column::Status.eq(CourseStatus::Published))
                .one(db)
                .await?
                .ok_or(NOT_FOUND)?;
            if path.price <= 0 {
                return Err(NOT_PURCHASABLE.into());
            }
            let owned = payments::Entity::find()
                .filter(payments::Column::UserId.eq(user.id))
                .filter(payments::Column::Purpose.eq(PaymentPurpose::Path))
                .filter(payments::Column::ReferenceId.eq(path.id))
                .filter(
                    payments::Column::Status
                        .is_in([PaymentStatus::Succeeded, PaymentStatus::PartiallyRefunded]),
                )
                .count(db)
                .await?;
            if owned > 0 {
                return Err(ALREADY_OWNED.into());
            }
            Ok(plain(pick(&path.title, &path.title_fr), path.price))
        }
        PaymentPurpose::Session => {
            // Only the learner may see their session here (404 for anyone else).
            let session = sessions::Entity::find_by_id(id)
                .filter(sessions::Column::LearnerId.eq(user.id))
                .one(db)
                .await?
                .ok_or(NOT_FOUND)?;
            if !matches!(
                session.status,
                SessionStatus::Pending | SessionStatus::Confirmed
            ) || session.r#type == SessionType::Package
                || session.payment_id.is_some()
                || session.price <= 0
                || session.scheduled_at <= now
            {
                return Err(SESSION_NOT_PAYABLE.into());
            }
            let coach = coach_profiles::Entity::find_by_id(session.coach_id)
                .one(db)
                .await?
                .ok_or(NOT_FOUND)?;
            if !coach.payouts_enabled || coach.stripe_connect_id.is_none() {
                return Err(COACH_NOT_PAYABLE.into());
            }
            let bps = fees::rate_for(db, &coach, session.r#type).await?;
            let name = match session.r#type {
                SessionType::Trial => pick(
                    "Coaching trial session (30 min)",
                    "Séance d'essai d'accompagnement (30 min)",
                ),
                _ => pick(
                    "Coaching session (60 min)",
                    "Séance d'accompagnement (60 min)",
                ),
            };
            Ok(Quote {
                name: format!(
                    "{name} — {}",
                    session.scheduled_at.format("%Y-%m-%d %H:%M UTC")
                ),
                price: session.price,
                taxed: true,
                interval: None,
                coach: Some((coach, bps)),
                plan_code: None,
            })
        }
        PaymentPurpose::Plan => {
            let plan = coaching_plans::Entity::find_by_id(id)
                .filter(coaching_plans::Column::Active.eq(true))
                .one(db)
                .await?
                .ok_or(NOT_FOUND)?;
            if plan.price <= 0 {
                return Err(NOT_PURCHASABLE.into());
            }
            Ok(plain(pick(&plan.name, &plan.name_fr), plan.price))
        }
        PaymentPurpose::Subscription => {
            let plan = subscription_plans::Entity::find_by_id(id)
                .filter(subscription_plans::Column::Active.eq(true))
                .one(db)
                .await?
                .ok_or(NOT_FOUND)?;
            if plan.price <= 0 {
                return Err(NOT_PURCHASABLE.into());
            }
            if super::subscriptions::running(db, user.id).await? {
                return Err(ALREADY_SUBSCRIBED.into());
            }
            Ok(Quote {
                name: pick(&plan.name, &plan.name_fr),
                price: plan.price,
                taxed: false,
                interval: Some(match plan.interval {
                    PlanInterval::Month => Interval::Month,
                    PlanInterval::Year => Interval::Year,
                }),
                coach: None,
                plan_code: Some(plan.code),
            })
        }
    }
}

/// Starts a checkout for the caller (see the module docs).
pub async fn start(
    db: &impl Db,
    gateway: Option<&Gateway>,
    actor: &Actor,
    app_base_url: &str,
    purchase: Purchase,
) -> Result<Started> {
    actor.require_session()?;
    let gateway = configured(gateway)?;
    let user = users::Entity::find_by_id(actor.user_id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    let now = crate::now();
    let priced = quote(db, &user, purchase.purpose, purchase.reference_id, now).await?;
    let coupon = match purchase.coupon_code.as_deref() {
        Some(code) => Some(coupon_rules::find_valid(db, code, purchase.purpose, now).await?),
        None => None,
    };
    let discount = coupon
        .as_ref()
        .map_or(0, |c| coupon_rules::discount(c, priced.price));
    let price = priced.price - discount;
    let tax = if priced.taxed {
        crate::coaching::hst(price)
    } else {
        0
    };
    let total = price + tax;
    if total < MIN_CHARGE {
        return Err(Error::field(
            "couponCode",
            "amount_too_small",
            "leaves less than the smallest amount that can be charged ($0.50)",
        ));
    }
    let fee = priced.coach.as_ref().map(|(_, bps)| fees::fee(price, *bps));
    let expires_at = now + CHECKOUT_LIFETIME;

    let coupon_id = coupon.as_ref().map(|c: &coupons::Model| c.id);
    let payment = crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        // The house order: the coupon, then the buyer.
        if let Some(coupon) = &coupon {
            crate::db::lock::<coupons::Entity>(&txn, coupons::Column::Id, coupon.id).await?;
        }
        crate::db::lock::<users::Entity>(&txn, users::Column::Id, user.id).await?;
        // Checked again under the buyer's lock: two checkouts of one thing, one at a time.
        quote(&txn, &user, purchase.purpose, purchase.reference_id, now).await?;
        // The same purchase already open: that checkout, not a second one.
        if let Some(open) = open_checkout(&txn, user.id, &purchase, coupon_id, now).await? {
            return Ok(Err(open));
        }
        if let Some(coupon) = &coupon {
            coupon_rules::reserve(&txn, coupon, user.id, now).await?;
        }
        let payment = payments::ActiveModel {
            user_id: Set(user.id),
            amount: Set(total),
            currency: Set(CURRENCY.to_owned()),
            status: Set(PaymentStatus::Pending),
            purpose: Set(purchase.purpose),
            reference_id: Set(purchase.reference_id),
            tax_amount: Set(tax),
            application_fee_amount: Set(fee),
            discount_amount: Set(discount),
            refunded_amount: Set(0),
            coupon_id: Set(coupon_id),
            expires_at: Set(Some(expires_at)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(Ok(payment))
    })
    .await?;
    let payment = match payment {
        Ok(payment) => payment,
        Err(open) => return Ok(open),
    };

    let mut lines = vec![Line {
        name: priced.name.clone(),
        amount: price,
        interval: priced.interval,
    }];
    if tax > 0 {
        lines.push(Line {
            name: if user.language == Language::Fr {
                "TVH 13 %"
            } else {
                "HST 13%"
            }
            .to_owned(),
            amount: tax,
            interval: None,
        });
    }
    let mut metadata = BTreeMap::from([
        ("paymentId".to_owned(), payment.id.to_string()),
        ("userId".to_owned(), user.id.to_string()),
        ("purpose".to_owned(), purchase.purpose.to_value()),
        ("referenceId".to_owned(), purchase.reference_id.to_string()),
    ]);
    if let Some(code) = &priced.plan_code {
        metadata.insert("plan".to_owned(), code.clone());
    }
    let base = app_base_url.trim_end_matches('/');
    let request = CheckoutRequest {
        idempotency_key: format!("checkout:{}", payment.id),
        mode: if priced.interval.is_some() {
            Mode::Subscription
        } else {
            Mode::Payment
        },
        currency: CURRENCY.to_lowercase(),
        lines,
        client_reference_id: payment.id.to_string(),
        customer_email: Some(user.email.clone()),
        metadata,
        destination: priced.coach.as_ref().and_then(|(coach, _)| {
            coach.stripe_connect_id.clone().map(|account| Destination {
                account,
                application_fee: fee.unwrap_or(0),
            })
        }),
        expires_at,
        success_url: format!("{base}/checkout/success?payment={}", payment.id),
        cancel_url: format!("{base}/checkout/cancelled?payment={}", payment.id),
    };
    match gateway.create_checkout(&request).await {
        Ok(created) => {
            let mut row: payments::ActiveModel = payment.into();
            row.stripe_checkout_session_id = Set(Some(created.id));
            row.checkout_url = Set(Some(created.url.clone()));
            row.expires_at = Set(Some(created.expires_at));
            row.updated_at = Set(crate::now());
            let payment = row.update(db).await?;
            Ok(Started {
                payment,
                url: created.url,
                expires_at: created.expires_at,
                reused: false,
            })
        }
        Err(err) => {
            let mut row: payments::ActiveModel = payment.into();
            row.status = Set(PaymentStatus::Failed);
            row.failure_message = Set(Some("the checkout could not be created".to_owned()));
            row.closed_at = Set(Some(crate::now()));
            row.updated_at = Set(crate::now());
            row.update(db).await?;
            Err(err)
        }
    }
}

/// How long before its end an open checkout is still handed out again.
const REUSE_MARGIN: Duration = Duration::minutes(10);
/// How long a checkout being created (no URL yet) holds its purchase.
const CREATING: Duration = Duration::minutes(1);

/// The caller's open checkout of the same purchase with the same coupon, if any: handed out again
/// while it has [`REUSE_MARGIN`] left; one still being created (no URL yet, younger than
/// [`CREATING`]) is 409 `checkout_in_progress`.
async fn open_checkout(
    db: &impl ConnectionTrait,
    user_id: i64,
    purchase: &Purchase,
    coupon_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Option<Started>> {
    let open = payments::Entity::find()
        .filter(payments::Column::UserId.eq(user_id))
        .filter(payments::Column::Purpose.eq(purchase.purpose))
        .filter(payments::Column::ReferenceId.eq(purchase.reference_id))
        .filter(payments::Column::PaidAt.is_null())
        .filter(payments::Column::ClosedAt.is_null())
        .filter(payments::Column::ExpiresAt.gt(now + REUSE_MARGIN))
        .all(db)
        .await?;
    for payment in open.into_iter().filter(|p| p.coupon_id == coupon_id) {
        match (&payment.checkout_url, payment.expires_at) {
            (Some(url), Some(expires_at)) => {
                return Ok(Some(Started {
                    url: url.clone(),
                    expires_at,
                    payment,
                    reused: true,
                }));
            }
            _ if payment.created_at > now - CREATING => return Err(CHECKOUT_IN_PROGRESS.into()),
            _ => {}
        }
    }
    Ok(None)
}

crate::problems! {
    pub CHECKOUT_IN_PROGRESS: Conflict = "checkout_in_progress",
        "A checkout of this purchase is being created; retry in a moment.",
        "Un paiement de cet achat est en cours de création ; réessayez dans un instant.";
}
