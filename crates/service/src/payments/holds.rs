//! Unpaid sessions do not hold a coach's time for ever: when payments are on, a priced session
//! still `pending` without a payment is released (cancelled) once no checkout for it is open and
//! it is older than a checkout's lifetime ([`super::checkout::CHECKOUT_LIFETIME`]). A checkout
//! that expires releases its session at once (`checkout.session.expired`); this sweep, every
//! five minutes, covers bookings never taken to checkout.

use chrono::{DateTime, Utc};
use entity::coaching::{coach_profiles, sessions};
use entity::enums::{SessionStatus, SessionType};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use serde::{Deserialize, Serialize};

use super::checkout::CHECKOUT_LIFETIME;
use crate::Result;
use crate::coaching::events::{Change, SessionChanged};
use crate::jobs::events;
use crate::jobs::recurring::{RecurringJob, Schedule};
use crate::jobs::{Context, Job};

/// Sessions released per run (the next run takes the rest).
const PER_RUN: u64 = 200;

/// The sweep.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReleaseUnpaidSessions {
    pub occurrence: DateTime<Utc>,
}

impl Job for ReleaseUnpaidSessions {
    const KIND: &'static str = "payments.release_unpaid_sessions";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        if ctx.deps.payments.is_none() {
            return Ok(());
        }
        let cutoff = ctx.now - CHECKOUT_LIFETIME;
        let stale = sessions::Entity::find()
            .filter(sessions::Column::Status.eq(SessionStatus::Pending))
            .filter(sessions::Column::Type.ne(SessionType::Package))
            .filter(sessions::Column::Price.gt(0))
            .filter(sessions::Column::PaymentId.is_null())
            .filter(sessions::Column::CreatedAt.lt(cutoff))
            .limit(PER_RUN)
            .all(ctx.db)
            .await?;
        for session in stale {
            release(ctx, &session).await?;
        }
        Ok(())
    }
}

impl RecurringJob for ReleaseUnpaidSessions {
    const SCHEDULE: Schedule = Schedule::EverySeconds(300);

    fn occurrence(at: DateTime<Utc>) -> Self {
        Self { occurrence: at }
    }
}

crate::register_job!(ReleaseUnpaidSessions);
crate::register_recurring_job!(ReleaseUnpaidSessions);

/// Cancels one unpaid session unless, under its parties' locks, it is paid, no longer pending, or
/// a checkout for it is open.
async fn release(ctx: &Context<'_>, session: &sessions::Model) -> Result<()> {
    let Some(coach) = coach_profiles::Entity::find_by_id(session.coach_id)
        .one(ctx.db)
        .await?
    else {
        return Ok(());
    };
    crate::db::retrying(|| async {
        let txn = crate::db::begin(ctx.db).await?;
        crate::coaching::lock_parties(&txn, &coach, session.learner_id).await?;
        let Some(current) = sessions::Entity::find_by_id(session.id).one(&txn).await? else {
            return Ok(());
        };
        let open = super::settle::session_held(&txn, session.id, ctx.now).await?;
        if open || current.status != SessionStatus::Pending || current.payment_id.is_some() {
            return Ok(());
        }
        let mut row: sessions::ActiveModel = current.into();
        row.status = Set(SessionStatus::Cancelled);
        row.cancelled_at = Set(Some(ctx.now));
        row.cancellation_reason = Set(Some("The session was not paid in time.".to_owned()));
        row.updated_at = Set(crate::now());
        row.update(&txn).await?;
        events::publish(
            &txn,
            &SessionChanged {
                session_id: session.id,
                change: Change::Cancelled,
                by_user_id: None,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    })
    .await
}
