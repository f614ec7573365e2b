//! Withheld certificates: a learner who completes a course before verifying their e-mail address
//! gets the completion (the enrollment is `completed`) but not yet the certificate; verifying the
//! address ([`EmailVerified`]) issues every certificate withheld so far, without completing again.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::certificates::certificates;
use entity::courses::courses;
use entity::enrollments::enrollments;
use entity::enums::EnrollmentStatus;
use entity::users::users;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use super::{Signer, issue, may_hold};
use crate::Result;
use crate::auth::recovery::EmailVerified;
use crate::db::Db;
use crate::jobs::{Context, Job};
use sea_orm::TransactionSession as _;

/// Issues the certificates user `user_id` earned but was not issued: one per `completed`
/// enrollment in a course with a certificate that they do not hold yet, dated `now`. Nothing
/// while the account may not hold certificates ([`may_hold`]). Idempotent; one transaction, which
/// first takes the learner's row lock (as progress does), so it sees every completion committed
/// before it and a completion committed after it issues its certificate itself.
pub async fn issue_withheld(
    db: &impl Db,
    signer: &Signer,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<certificates::Model>> {
    let txn = crate::db::begin(db).await?;
    crate::db::lock::<users::Entity>(&txn, users::Column::Id, user_id).await?;
    let user = users::Entity::find_by_id(user_id).one(&txn).await?;
    let Some(user) = user.filter(may_hold) else {
        txn.commit().await?;
        return Ok(Vec::new());
    };
    let held: HashSet<i64> = certificates::Entity::find()
        .select_only()
        .column(certificates::Column::CourseId)
        .filter(certificates::Column::UserId.eq(user_id))
        .into_tuple::<i64>()
        .all(&txn)
        .await?
        .into_iter()
        .collect();
    let completed = enrollments::Entity::find()
        .filter(enrollments::Column::UserId.eq(user_id))
        .filter(enrollments::Column::Status.eq(EnrollmentStatus::Completed))
        .order_by_asc(enrollments::Column::CompletedAt)
        .find_also_related(courses::Entity)
        .all(&txn)
        .await?;
    let mut issued = Vec::new();
    for course in completed.into_iter().filter_map(|(_, course)| course) {
        if !course.has_certificate || held.contains(&course.id) {
            continue;
        }
        if let Some(certificate) = issue(&txn, signer, &user, &course, now).await? {
            issued.push(certificate);
        }
    }
    txn.commit().await?;
    if !issued.is_empty() {
        tracing::info!(
            user_id,
            count = issued.len(),
            "withheld certificates issued"
        );
    }
    Ok(issued)
}

/// Issues a learner's withheld certificates once their address is verified (subscribed to
/// [`EmailVerified`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueWithheldCertificates {
    pub user_id: i64,
}

impl From<EmailVerified> for IssueWithheldCertificates {
    fn from(event: EmailVerified) -> Self {
        Self {
            user_id: event.user_id,
        }
    }
}

impl Job for IssueWithheldCertificates {
    const KIND: &'static str = "certificates.issue_withheld";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        crate::db::retrying(|| issue_withheld(ctx.db, &ctx.deps.signer, self.user_id, ctx.now))
            .await?;
        Ok(())
    }
}

crate::register_job!(IssueWithheldCertificates);
crate::subscribe!(EmailVerified => IssueWithheldCertificates);
