//! Hourly clean-up of credentials that can no longer be used: reset and verification tokens a day
//! after they expired, idempotency records once expired, and refresh-token families whose every
//! token expired more than a day ago (a family is kept whole while any member could still be
//! presented, so that reuse of a rotated token is still detected).

use chrono::{DateTime, Duration, Utc};
use entity::auth::{email_verifications, idempotency_keys, password_resets, refresh_tokens};
use sea_orm::sea_query::{Expr, ExprTrait as _, Func};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::jobs::recurring::{RecurringJob, Schedule};
use crate::jobs::{Context, Job};

/// Families looked at per run (the rest waits for the next hour).
const FAMILIES_PER_RUN: u64 = 1000;

/// See the module docs.
#[derive(Debug, Serialize, Deserialize)]
pub struct PurgeExpiredCredentials {
    pub occurrence: DateTime<Utc>,
}

impl Job for PurgeExpiredCredentials {
    const KIND: &'static str = "auth.purge_expired_credentials";
    const MAX_ATTEMPTS: i32 = 3;

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let cutoff = ctx.now - Duration::days(1);
        password_resets::Entity::delete_many()
            .filter(password_resets::Column::ExpiresAt.lt(cutoff))
            .exec(ctx.db)
            .await?;
        email_verifications::Entity::delete_many()
            .filter(email_verifications::Column::ExpiresAt.lt(cutoff))
            .exec(ctx.db)
            .await?;
        idempotency_keys::Entity::delete_many()
            .filter(idempotency_keys::Column::ExpiresAt.lt(ctx.now))
            .exec(ctx.db)
            .await?;
        let dead_families: Vec<String> = refresh_tokens::Entity::find()
            .select_only()
            .column(refresh_tokens::Column::FamilyId)
            .group_by(refresh_tokens::Column::FamilyId)
            .having(Expr::expr(Func::max(Expr::col(refresh_tokens::Column::ExpiresAt))).lt(cutoff))
            .limit(FAMILIES_PER_RUN)
            .into_tuple()
            .all(ctx.db)
            .await?;
        if !dead_families.is_empty() {
            refresh_tokens::Entity::delete_many()
                .filter(refresh_tokens::Column::FamilyId.is_in(dead_families))
                .exec(ctx.db)
                .await?;
        }
        Ok(())
    }
}

impl RecurringJob for PurgeExpiredCredentials {
    const SCHEDULE: Schedule = Schedule::EverySeconds(3600);

    fn occurrence(at: DateTime<Utc>) -> Self {
        Self { occurrence: at }
    }
}

crate::register_recurring_job!(PurgeExpiredCredentials);
