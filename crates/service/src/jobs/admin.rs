//! The administrators' view of the queue: list jobs, and run a failed or dead one again.

use entity::enums::{JobStatus, UserRole};
use entity::jobs::background_jobs::{self, Column};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::auth::actor::Actor;
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::NOT_FOUND;
use crate::{Error, Result};

crate::problems! {
    pub JOB_NOT_RETRYABLE: Conflict = "job_not_retryable",
        "Only a failed, dead or waiting job can be run again.",
        "Seule une tâche en échec, abandonnée ou en attente peut être relancée.";
}

/// Which jobs to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<JobStatus>,
    pub kind: Option<String>,
}

/// Jobs, newest first (administrators, signed in: API keys are refused).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: Filter,
    page: PageRequest,
) -> Result<Page<background_jobs::Model>> {
    require(actor)?;
    let mut query = background_jobs::Entity::find();
    if let Some(status) = filter.status {
        query = query.filter(Column::Status.eq(status));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(Column::Kind.eq(kind));
    }
    let rows = pagination::keyset(query, Column::CreatedAt, Column::Id, &page)
        .all(db)
        .await?;
    Ok(pagination::finish(rows, &page, |row| Cursor {
        at: row.created_at,
        id: row.id,
    }))
}

/// Makes a failed, dead or queued job due now with a fresh budget of attempts. A running or
/// succeeded job is refused with [`JOB_NOT_RETRYABLE`].
pub async fn retry(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<background_jobs::Model> {
    require(actor)?;
    let now = crate::now();
    let updated = background_jobs::Entity::update_many()
        .col_expr(Column::Status, Expr::value(JobStatus::Queued))
        .col_expr(Column::RunAt, Expr::value(now))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.is_in([JobStatus::Failed, JobStatus::Dead, JobStatus::Queued]))
        .exec(db)
        .await?;
    let job = background_jobs::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::from(NOT_FOUND))?;
    if updated.rows_affected == 0 {
        return Err(JOB_NOT_RETRYABLE.into());
    }
    Ok(job)
}

fn require(actor: &Actor) -> Result<()> {
    actor.require_session()?;
    actor.require_role(&[UserRole::Admin])
}
