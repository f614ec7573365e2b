//! Payments with Stripe: checkout for courses, learning paths, coaching sessions, coaching plans
//! and subscriptions; the verified webhook that grants what was bought; refunds; Connect
//! onboarding and the coaches' ledger; invoices.
//!
//! Rules (RULES.md, Money):
//! - Amounts are CAD cents. Coaching sessions add 13 % HST as a separate line; courses, paths,
//!   plans and subscriptions are tax-included. Fees are computed on the pre-tax amount
//!   ([`fees`]).
//! - [`checkout::start`] creates a `payments` row `pending` and a Stripe Checkout Session; only
//!   the verified webhook marks it paid and grants what was bought ([`settle`]). Coaching is a
//!   destination charge with `application_fee_amount`: Stripe moves the coach's share, so no
//!   transfer is ever created for it.
//! - A payment's status is derived from facts that only grow (`paidAt`, `refundedAmount`, a
//!   failure), so the webhook's events converge whatever their order ([`settle::status_of`]).
//! - Coupons are validated at checkout, where an open checkout reserves one use until it
//!   expires, and redeemed only when the payment succeeds ([`coupons`]).
//! - Refunds (an administrator's, or the cancellation policy's `sessions.refundDue`) are
//!   `refunds` rows executed by a job ([`refunds`]), with negative ledger entries.
//! - Without `STRIPE_SECRET_KEY` every payment route answers 503 `payments_unavailable`; the rest
//!   of the API works.

pub mod checkout;
pub mod connect;
pub mod coupons;
pub mod erasure;
pub mod fees;
pub mod gateway;
pub mod holds;
pub mod invoice_pdf;
pub mod invoices;
pub mod listing;
pub mod refunds;
pub mod settle;
pub mod subscriptions;
pub mod webhook;

pub use gateway::Gateway;

use crate::Result;

/// The currency of every price.
pub const CURRENCY: &str = "CAD";

crate::problems! {
    pub PAYMENTS_UNAVAILABLE: Unavailable = "payments_unavailable",
        "Payments are not available on this server right now.",
        "Les paiements ne sont pas disponibles sur ce serveur pour le moment.";
    pub ALREADY_OWNED: Conflict = "already_owned",
        "You already have access to this.",
        "Vous y avez déjà accès.";
    pub NOT_PURCHASABLE: Conflict = "not_purchasable",
        "This cannot be bought: it is free, not published or no longer offered.",
        "Ceci ne peut pas être acheté : c'est gratuit, non publié ou plus offert.";
    pub SESSION_NOT_PAYABLE: Conflict = "session_not_payable",
        "This session cannot be paid: it is not awaiting payment or has already started.",
        "Cette séance ne peut pas être payée : elle n'attend pas de paiement ou a déjà commencé.";
    pub COACH_NOT_PAYABLE: Conflict = "coach_not_payable",
        "This coach cannot receive payments yet.",
        "Ce coach ne peut pas encore recevoir de paiements.";
    pub ALREADY_SUBSCRIBED: Conflict = "already_subscribed",
        "You already have a subscription.",
        "Vous avez déjà un abonnement.";
    pub PAYMENT_NOT_REFUNDABLE: Conflict = "payment_not_refundable",
        "This payment has nothing left to refund.",
        "Ce paiement n'a plus rien à rembourser.";
    pub NO_SUBSCRIPTION: NotFound = "no_subscription",
        "You have no subscription.",
        "Vous n'avez pas d'abonnement.";
}

/// The gateway, or 503 `payments_unavailable` when Stripe is not configured.
pub fn configured(gateway: Option<&Gateway>) -> Result<&Gateway> {
    gateway.ok_or_else(|| PAYMENTS_UNAVAILABLE.into())
}
