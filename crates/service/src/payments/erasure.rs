//! Account deletion and payments: the financial records stay (payments, refunds, invoices,
//! coupon redemptions, the coaches' ledger: legal retention; the account row is anonymised, not
//! deleted), and a running subscription is ended at Stripe, so that a deleted account is never
//! charged again.

use entity::payments::subscriptions;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use super::subscriptions::RUNNING;
use crate::Result;
use crate::jobs::{self, Context, Job};

/// Queues, in the deletion's transaction, the end of each running subscription of `user_id`.
pub async fn erase(db: &impl ConnectionTrait, user_id: i64) -> Result<()> {
    let running = subscriptions::Entity::find()
        .filter(subscriptions::Column::UserId.eq(user_id))
        .filter(subscriptions::Column::Status.is_in(RUNNING))
        .all(db)
        .await?;
    for subscription in running {
        end_subscription(db, &subscription.stripe_subscription_id).await?;
    }
    Ok(())
}

/// Queues, in the caller's transaction, telling Stripe not to renew `subscription` (once).
pub(crate) async fn end_subscription(db: &impl ConnectionTrait, subscription: &str) -> Result<()> {
    let job = EndSubscription {
        subscription: subscription.to_owned(),
    };
    let key = format!("end-subscription:{subscription}");
    jobs::enqueue_once(db, &job, crate::now(), &key).await?;
    Ok(())
}

/// Tells Stripe not to renew a subscription (it ends at the end of the period already paid).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EndSubscription {
    /// `sub_…`.
    pub subscription: String,
}

impl Job for EndSubscription {
    const KIND: &'static str = "payments.end_subscription";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let gateway = super::configured(ctx.deps.payments.as_ref())?;
        gateway
            .set_cancel_at_period_end(&self.subscription, true)
            .await
    }
}

crate::register_job!(EndSubscription);
