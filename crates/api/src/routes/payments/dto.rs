//! Request and response types of the payments domain.

use chrono::{DateTime, Utc};
use entity::enums::{
    CouponKind, CouponScope, InvoiceStatus, PaymentPurpose, PaymentStatus, PlanInterval,
    RefundStatus, SubscriptionStatus,
};
use entity::payments::{
    commission_tiers, coupons, invoices, payments, refunds, subscription_plans, subscriptions,
};
use serde::{Deserialize, Serialize};
use service::payments::{
    checkout, connect, coupons as coupon_rules, fees, listing, refunds as refund_rules,
};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::bounded::{Id, Instant, Int, List, Text, checked_text};
use crate::dto::nullable;

/// Largest amount a client may name, in cents ($1,000,000).
pub const MAX_AMOUNT: i64 = 100_000_000;
/// Largest use count of a coupon.
pub const MAX_USES: i64 = 1_000_000;

checked_text! {
    /// A coupon code: letters, digits, `-` and `_` (compared without case).
    CouponCode: 1, coupon_rules::MAX_CODE,
    check = |code| code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
    pattern = r"^[A-Za-z0-9_-]+$",
    format = None,
    code = "invalid_coupon_code",
    message = "must be letters, digits, - or _",
    example = "WELCOME10"
}

// ---------------------------------------------------------------------------------------------
// Checkout

/// What to buy.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"purpose": "course", "referenceId": 12, "couponCode": "WELCOME10"}))]
pub struct CheckoutRequest {
    /// `course`, `path` (a learning path), `session` (a pending coaching session of yours),
    /// `plan` (a coaching plan) or `subscription` (a subscription plan).
    pub purpose: PaymentPurpose,
    /// The id of the course, path, session, coaching plan or subscription plan.
    pub reference_id: Id,
    pub coupon_code: Option<CouponCode>,
}

impl From<CheckoutRequest> for checkout::Purchase {
    fn from(r: CheckoutRequest) -> Self {
        Self {
            purpose: r.purpose,
            reference_id: r.reference_id.get(),
            coupon_code: r.coupon_code.map(Into::into),
        }
    }
}

/// A checkout to pay at Stripe.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutDto {
    /// The `payments` row, `pending` until Stripe confirms the payment.
    pub payment_id: i64,
    /// Stripe Checkout's page: send the buyer's browser there.
    #[schema(example = "https://checkout.stripe.com/c/pay/cs_test_a1b2c3")]
    pub url: String,
    /// The page works until then; a pending session is held as long.
    pub expires_at: DateTime<Utc>,
    /// Total in cents, tax included.
    pub amount: i64,
    /// HST in cents (coaching sessions; 0 when tax-included).
    pub tax_amount: i64,
    /// The coupon's discount in cents.
    pub discount_amount: i64,
    pub currency: String,
}

impl From<checkout::Started> for CheckoutDto {
    fn from(s: checkout::Started) -> Self {
        Self {
            payment_id: s.payment.id,
            url: s.url,
            expires_at: s.expires_at,
            amount: s.payment.amount,
            tax_amount: s.payment.tax_amount,
            discount_amount: s.payment.discount_amount,
            currency: s.payment.currency,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Payments and refunds

/// A payment.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDto {
    pub id: i64,
    pub user_id: i64,
    /// Total in cents, tax included, after the discount.
    pub amount: i64,
    pub currency: String,
    pub status: PaymentStatus,
    pub purpose: PaymentPurpose,
    pub reference_id: i64,
    pub tax_amount: i64,
    pub discount_amount: i64,
    pub refunded_amount: i64,
    pub coupon_id: Option<i64>,
    /// When Stripe confirmed the money.
    pub paid_at: Option<DateTime<Utc>>,
    /// While `pending`: Stripe Checkout's page and until when it works.
    pub checkout_url: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Why it failed.
    pub failure_message: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<payments::Model> for PaymentDto {
    fn from(p: payments::Model) -> Self {
        let open = p.status == PaymentStatus::Pending;
        Self {
            id: p.id,
            user_id: p.user_id,
            amount: p.amount,
            currency: p.currency,
            status: p.status,
            purpose: p.purpose,
            reference_id: p.reference_id,
            tax_amount: p.tax_amount,
            discount_amount: p.discount_amount,
            refunded_amount: p.refunded_amount,
            coupon_id: p.coupon_id,
            paid_at: p.paid_at,
            checkout_url: p.checkout_url.filter(|_| open),
            expires_at: p.expires_at,
            failure_message: p.failure_message,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A payment with its refunds.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDetailDto {
    #[serde(flatten)]
    pub payment: PaymentDto,
    pub refunds: Vec<RefundDto>,
}

/// Filters of `GET /payments`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct PaymentsQuery {
    /// Everyone's payments (administrators; API keys need `payments:admin`).
    pub all: Option<bool>,
    pub status: Option<PaymentStatus>,
    pub purpose: Option<PaymentPurpose>,
    /// One user's payments (with `all=true`).
    pub user_id: Option<Id>,
}

impl From<PaymentsQuery> for listing::Filter {
    fn from(q: PaymentsQuery) -> Self {
        Self {
            all: q.all.unwrap_or(false),
            status: q.status,
            purpose: q.purpose,
            user_id: q.user_id.map(Int::get),
        }
    }
}

/// A refund to make.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"amount": 2500, "reason": "Course opened by mistake"}))]
pub struct RefundRequest {
    /// Cents; all that is left to refund when absent.
    pub amount: Option<Int<1, { MAX_AMOUNT }>>,
    pub reason: Option<Text<1, { refund_rules::MAX_REASON }>>,
}

/// A refund.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefundDto {
    pub id: i64,
    pub payment_id: i64,
    /// Cents.
    pub amount: i64,
    pub reason: Option<String>,
    /// `pending` until Stripe has made it.
    pub status: RefundStatus,
    pub requested_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<refunds::Model> for RefundDto {
    fn from(r: refunds::Model) -> Self {
        Self {
            id: r.id,
            payment_id: r.payment_id,
            amount: r.amount,
            reason: r.reason,
            status: r.status,
            requested_by: r.requested_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Subscriptions and invoices

/// A subscription plan on sale.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionPlanDto {
    /// Buy it with `POST /checkout` `{"purpose": "subscription", "referenceId": id}`.
    pub id: i64,
    pub code: String,
    pub name: String,
    pub name_fr: String,
    pub interval: PlanInterval,
    /// Cents per interval, tax included.
    pub price: i64,
    pub currency: String,
}

impl From<subscription_plans::Model> for SubscriptionPlanDto {
    fn from(p: subscription_plans::Model) -> Self {
        Self {
            id: p.id,
            code: p.code,
            name: p.name,
            name_fr: p.name_fr,
            interval: p.interval,
            price: p.price,
            currency: p.currency,
        }
    }
}

/// A subscription, as Stripe last reported it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionDto {
    pub id: i64,
    /// The plan's code.
    pub plan: String,
    /// `trialing`, `active` and `past_due` open the paid catalog.
    pub status: SubscriptionStatus,
    pub current_period_end: Option<DateTime<Utc>>,
    /// Ends at `currentPeriodEnd` instead of renewing.
    pub cancel_at_period_end: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<subscriptions::Model> for SubscriptionDto {
    fn from(s: subscriptions::Model) -> Self {
        Self {
            id: s.id,
            plan: s.plan,
            status: s.status,
            current_period_end: s.current_period_end,
            cancel_at_period_end: s.cancel_at_period_end,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// A link to a Stripe page.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UrlDto {
    #[schema(example = "https://billing.stripe.com/p/session/test_a1b2c3")]
    pub url: String,
}

/// An invoice.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceDto {
    pub id: i64,
    /// `RA-<year>-<payment>` for purchases, `RA-S-<Stripe number>` for subscription periods.
    pub number: String,
    pub payment_id: Option<i64>,
    /// Total in cents, tax included.
    pub amount: i64,
    pub tax_amount: i64,
    pub currency: String,
    pub status: InvoiceStatus,
    pub paid_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<invoices::Model> for InvoiceDto {
    fn from(i: invoices::Model) -> Self {
        Self {
            id: i.id,
            number: i.number,
            payment_id: i.payment_id,
            amount: i.amount,
            tax_amount: i.tax_amount,
            currency: i.currency,
            status: i.status,
            paid_at: i.paid_at,
            created_at: i.created_at,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Connect

/// Where the coach continues their Stripe onboarding.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OnboardingDto {
    /// Stripe's onboarding page (single use).
    #[schema(example = "https://connect.stripe.com/setup/e/acct_1/abc")]
    pub url: String,
    pub expires_at: DateTime<Utc>,
    /// Whether learners can already pay you (Stripe enabled charges and payouts).
    pub payouts_enabled: bool,
}

impl From<connect::Onboarding> for OnboardingDto {
    fn from(o: connect::Onboarding) -> Self {
        Self {
            url: o.url,
            expires_at: o.expires_at,
            payouts_enabled: o.payouts_enabled,
        }
    }
}

/// Sums of the ledger, in cents.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TotalsDto {
    /// Paid sessions, before tax.
    pub gross: i64,
    /// The platform's fees, less fees given back with refunds.
    pub fees: i64,
    /// What you keep: gross − fees − refunds plus the fees given back.
    pub net: i64,
    /// Refunded to learners, before tax.
    pub refunds: i64,
}

impl From<connect::Totals> for TotalsDto {
    fn from(t: connect::Totals) -> Self {
        Self {
            gross: t.gross,
            fees: t.fees,
            net: t.net,
            refunds: t.refunds,
        }
    }
}

/// One month of earnings.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MonthDto {
    /// `YYYY-MM` (UTC).
    #[schema(example = "2026-11")]
    pub month: String,
    #[serde(flatten)]
    pub totals: TotalsDto,
}

/// A coach's earnings from the ledger.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EarningsDto {
    pub currency: String,
    pub total: TotalsDto,
    /// Newest first.
    pub months: Vec<MonthDto>,
}

impl From<connect::Earnings> for EarningsDto {
    fn from(e: connect::Earnings) -> Self {
        Self {
            currency: e.currency.to_owned(),
            total: e.total.into(),
            months: e
                .months
                .into_iter()
                .map(|(month, totals)| MonthDto {
                    month,
                    totals: totals.into(),
                })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Coupons and commission tiers (administrators)

/// A coupon.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CouponDto {
    pub id: i64,
    pub code: String,
    pub kind: CouponKind,
    /// Percent (1-100) or cents, by `kind`.
    pub value: i64,
    pub max_uses: Option<i32>,
    pub max_uses_per_user: Option<i32>,
    /// Redemptions by succeeded payments.
    pub used_count: i32,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    pub applies_to: CouponScope,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<coupons::Model> for CouponDto {
    fn from(c: coupons::Model) -> Self {
        Self {
            id: c.id,
            code: c.code,
            kind: c.kind,
            value: c.value,
            max_uses: c.max_uses,
            max_uses_per_user: c.max_uses_per_user,
            used_count: c.used_count,
            valid_from: c.valid_from,
            valid_until: c.valid_until,
            applies_to: c.applies_to,
            active: c.active,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A new coupon.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"code": "WELCOME10", "kind": "percentage", "value": 10, "appliesTo": "all", "maxUsesPerUser": 1}))]
pub struct CreateCouponRequest {
    /// Stored in upper case.
    pub code: CouponCode,
    pub kind: CouponKind,
    /// Percent (1-100) or cents off, by `kind`.
    pub value: Int<1, { MAX_AMOUNT }>,
    pub max_uses: Option<Int<1, { MAX_USES }>>,
    pub max_uses_per_user: Option<Int<1, { MAX_USES }>>,
    pub valid_from: Option<Instant>,
    /// After `validFrom`.
    pub valid_until: Option<Instant>,
    pub applies_to: CouponScope,
    /// Default `true`.
    pub active: Option<bool>,
}

impl From<CreateCouponRequest> for coupon_rules::NewCoupon {
    fn from(r: CreateCouponRequest) -> Self {
        Self {
            code: r.code.into(),
            kind: r.kind,
            value: r.value.get(),
            max_uses: r.max_uses.map(i32::from),
            max_uses_per_user: r.max_uses_per_user.map(i32::from),
            valid_from: r.valid_from.map(Into::into),
            valid_until: r.valid_until.map(Into::into),
            applies_to: r.applies_to,
            active: r.active.unwrap_or(true),
        }
    }
}

/// Changes to a coupon (fields left out stay; `null` removes a limit or a date).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct UpdateCouponRequest {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(nullable)]
    pub max_uses: Option<Option<Int<1, { MAX_USES }>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(nullable)]
    pub max_uses_per_user: Option<Option<Int<1, { MAX_USES }>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(nullable)]
    pub valid_from: Option<Option<Instant>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(nullable)]
    pub valid_until: Option<Option<Instant>>,
    pub active: Option<bool>,
}

impl From<UpdateCouponRequest> for coupon_rules::CouponChanges {
    fn from(r: UpdateCouponRequest) -> Self {
        Self {
            max_uses: r.max_uses.map(|v| v.map(i32::from)),
            max_uses_per_user: r.max_uses_per_user.map(|v| v.map(i32::from)),
            valid_from: r.valid_from.map(|v| v.map(Into::into)),
            valid_until: r.valid_until.map(|v| v.map(Into::into)),
            active: r.active,
        }
    }
}

/// A commission tier.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TierDto {
    pub name: Text<1, 100>,
    /// Completed hours from (inclusive).
    pub min_hours: Int<0, 100_000>,
    /// Up to (exclusive); `null` for no upper bound.
    pub max_hours: Option<Int<1, 100_000>>,
    /// The platform's fee in basis points (1500 = 15 %).
    pub fee_bps: Int<0, 10_000>,
    /// Applies only to SLE-verified coaches (the lower of it and the hours' tier is used).
    pub sle_verified_only: bool,
}

/// A stored commission tier.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommissionTierDto {
    pub id: i64,
    pub name: String,
    pub min_hours: i32,
    pub max_hours: Option<i32>,
    pub fee_bps: i32,
    pub sle_verified_only: bool,
}

impl From<commission_tiers::Model> for CommissionTierDto {
    fn from(t: commission_tiers::Model) -> Self {
        Self {
            id: t.id,
            name: t.name,
            min_hours: t.min_hours,
            max_hours: t.max_hours,
            fee_bps: t.fee_bps,
            sle_verified_only: t.sle_verified_only,
        }
    }
}

/// Every tier, replacing the current ones.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"tiers": [
    {"name": "0-10 hours", "minHours": 0, "maxHours": 10, "feeBps": 2600, "sleVerifiedOnly": false},
    {"name": "10+ hours", "minHours": 10, "maxHours": null, "feeBps": 2000, "sleVerifiedOnly": false},
    {"name": "SLE-verified", "minHours": 0, "maxHours": null, "feeBps": 1500, "sleVerifiedOnly": true}
]}))]
pub struct ReplaceTiersRequest {
    pub tiers: List<TierDto, 1, 20>,
}

impl From<ReplaceTiersRequest> for Vec<fees::NamedTier> {
    fn from(r: ReplaceTiersRequest) -> Self {
        r.tiers
            .into_inner()
            .into_iter()
            .map(|t| fees::NamedTier {
                name: t.name.into(),
                tier: fees::Tier {
                    min_hours: i32::from(t.min_hours),
                    max_hours: t.max_hours.map(i32::from),
                    fee_bps: i32::from(t.fee_bps),
                    sle_verified_only: t.sle_verified_only,
                },
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Webhook

/// A Stripe event, verified against its `Stripe-Signature` before it is read.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StripeEventBody {
    /// `evt_…`.
    #[schema(pattern = r"^evt_[A-Za-z0-9_]+$", example = "evt_1QkZ3x2eZvKYlo2C")]
    pub id: String,
    #[schema(pattern = "^event$", example = "event")]
    pub object: String,
    /// `checkout.session.completed`, `checkout.session.expired`,
    /// `payment_intent.payment_failed`, `charge.refunded`,
    /// `customer.subscription.created|updated|deleted`, `invoice.paid`,
    /// `invoice.payment_failed`, `account.updated` (others are recorded and ignored).
    #[serde(rename = "type")]
    #[schema(
        pattern = r"^[a-z_]+(\.[a-z_]+)+$",
        example = "checkout.session.completed"
    )]
    pub kind: String,
    /// `{ "object": { … } }`: the Stripe object.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// The delivery was accepted.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StripeAckDto {
    /// `processed` now, or `duplicate`: processed before, nothing changed.
    #[schema(example = "processed")]
    pub status: String,
}
