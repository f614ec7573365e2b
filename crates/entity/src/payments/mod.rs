//! Money: payments, refunds, subscriptions, invoices, coupons, commission tiers, payouts and webhook events.

pub mod commission_tiers;
pub mod coupon_redemptions;
pub mod coupons;
pub mod invoices;
pub mod payments;
pub mod payout_ledger;
pub mod refunds;
pub mod subscription_plans;
pub mod subscriptions;
pub mod webhook_events;
