//! `GET /payments`: the caller's payments, or for an administrator (`all=true`, with
//! `payments:admin` for API keys) everyone's, filtered by status, purpose and user. Newest first.

use entity::enums::{PaymentPurpose, PaymentStatus};
use entity::payments::{payments, refunds};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::Result;
use crate::auth::actor::Actor;
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::NOT_FOUND;

/// Filters of the list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Everyone's payments (administrators only).
    pub all: bool,
    pub status: Option<PaymentStatus>,
    pub purpose: Option<PaymentPurpose>,
    /// One user's payments (administrators only, with `all`).
    pub user_id: Option<i64>,
}

/// A page of payments.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: Filter,
    page: PageRequest,
) -> Result<Page<payments::Model>> {
    let mut query = payments::Entity::find();
    if filter.all {
        actor.require_admin("payments:admin")?;
        if let Some(user_id) = filter.user_id {
            query = query.filter(payments::Column::UserId.eq(user_id));
        }
    } else {
        actor.require_scope("payments:read")?;
        query = query.filter(payments::Column::UserId.eq(actor.user_id));
    }
    if let Some(status) = filter.status {
        query = query.filter(payments::Column::Status.eq(status));
    }
    if let Some(purpose) = filter.purpose {
        query = query.filter(payments::Column::Purpose.eq(purpose));
    }
    let rows = pagination::keyset(
        query,
        payments::Column::CreatedAt,
        payments::Column::Id,
        &page,
    )
    .all(db)
    .await?;
    Ok(pagination::finish(rows, &page, |p| Cursor {
        at: p.created_at,
        id: p.id,
    }))
}

/// Whether the caller sees everyone's payments: an administrator's session, or their key with
/// `payments:admin`.
pub(crate) fn administers(actor: &Actor) -> bool {
    actor.is_admin() && actor.require_scope("payments:admin").is_ok()
}

/// One payment with its refunds: the buyer's own, or any for an administrator (404 otherwise).
pub async fn get(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<(payments::Model, Vec<refunds::Model>)> {
    actor.require_scope("payments:read")?;
    let payment = payments::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|p| p.user_id == actor.user_id || administers(actor))
        .ok_or(NOT_FOUND)?;
    let refunds = refunds::Entity::find()
        .filter(refunds::Column::PaymentId.eq(payment.id))
        .order_by_asc(refunds::Column::Id)
        .all(db)
        .await?;
    Ok((payment, refunds))
}
