//! Administrators' view of users: list with filters, read, change role or status (audited with
//! before and after images). The last active administrator cannot be demoted or suspended.

use entity::enums::{UserRole, UserStatus};
use entity::users::users;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use crate::admin::audit;
use crate::auth::actor::Actor;
use crate::auth::sessions::Client;
use crate::db::Db;
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::NOT_FOUND;
use crate::users::LAST_ADMIN;
use crate::{Error, Result};
use sea_orm::TransactionSession as _;

/// Filters of the user list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub role: Option<UserRole>,
    pub status: Option<UserStatus>,
    /// Case-insensitive search in e-mail, first and last name.
    pub q: Option<String>,
}

/// Users, newest first.
pub async fn list(
    db: &impl Db,
    actor: &Actor,
    filter: Filter,
    page: PageRequest,
) -> Result<Page<users::Model>> {
    actor.require_admin("users:read")?;
    let mut query = users::Entity::find();
    if let Some(role) = filter.role {
        query = query.filter(users::Column::Role.eq(role));
    }
    if let Some(status) = filter.status {
        query = query.filter(users::Column::Status.eq(status));
    }
    if let Some(q) = filter
        .q
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty())
    {
        let pattern = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let like = || LikeExpr::new(pattern.clone()).escape('\\');
        let lower = |column: users::Column| Expr::expr(Func::lower(Expr::col(column)));
        query = query.filter(
            Condition::any()
                .add(users::Column::Email.like(like()))
                .add(lower(users::Column::FirstName).like(like()))
                .add(lower(users::Column::LastName).like(like())),
        );
    }
    let rows = pagination::keyset(query, users::Column::CreatedAt, users::Column::Id, &page)
        .all(db)
        .await?;
    Ok(pagination::finish(rows, &page, |u| Cursor {
        at: u.created_at,
        id: u.id,
    }))
}

/// One user.
pub async fn get(db: &impl Db, actor: &Actor, id: i64) -> Result<users::Model> {
    actor.require_admin("users:read")?;
    users::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND.into())
}

/// Role and status changes an administrator may make.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    pub role: Option<UserRole>,
    pub status: Option<UserStatus>,
}

fn snapshot(user: &users::Model) -> serde_json::Value {
    serde_json::json!({ "role": user.role, "status": user.status })
}

/// Refuses (409 `last_admin`) when no other active administrator would remain. The admin rows are
/// locked, so two administrators stepping down at once cannot both pass.
pub(crate) async fn ensure_another_active_admin(db: &impl ConnectionTrait) -> Result<()> {
    let admins = users::Entity::find()
        .filter(users::Column::Role.eq(UserRole::Admin))
        .filter(users::Column::Status.eq(UserStatus::Active))
        .lock_exclusive()
        .all(db)
        .await?
        .len();
    if admins <= 1 {
        return Err(Error::from(LAST_ADMIN));
    }
    Ok(())
}

/// Changes a user's role or status. Suspending or deleting revokes the user's refresh tokens
/// (access tokens stop working at the next request anyway).
pub async fn update(
    db: &impl Db,
    actor: &Actor,
    id: i64,
    changes: Changes,
    client: &Client,
) -> Result<users::Model> {
    actor.require_admin("users:write")?;
    if changes.status == Some(UserStatus::Deleted) {
        return Err(Error::field(
            "status",
            "not_allowed",
            "accounts are deleted by their owner; suspend instead",
        ));
    }
    let txn = crate::db::begin(db).await?;
    let user = users::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(NOT_FOUND)?;
    // A deleted account stays deleted: it has been anonymised, and reviving it would revive
    // nothing but an empty shell with a known password.
    if user.status == UserStatus::Deleted {
        return Err(Error::field(
            "status",
            "not_allowed",
            "a deleted account cannot be changed",
        ));
    }
    let before = snapshot(&user);
    let (before_role, before_status) = (user.role, user.status);
    let loses_admin = user.role == UserRole::Admin
        && user.status == UserStatus::Active
        && (changes.role.is_some_and(|r| r != UserRole::Admin)
            || changes.status.is_some_and(|s| s != UserStatus::Active));
    if loses_admin {
        ensure_another_active_admin(&txn).await?;
    }
    let mut row: users::ActiveModel = user.into();
    if let Some(role) = changes.role {
        row.role = Set(role);
    }
    if let Some(status) = changes.status {
        row.status = Set(status);
    }
    row.updated_at = Set(crate::now());
    let updated = row.update(&txn).await?;
    // A suspension or a role change ends every credential the account holds: they were granted
    // under the old standing (a demoted administrator's API key must not keep working).
    let changed = updated.role != before_role || updated.status != before_status;
    if changed {
        crate::auth::credentials::end_all(&txn, id).await?;
    }
    audit::record(
        &txn,
        audit::Event {
            actor_id: Some(actor.user_id),
            action: "user.updated",
            entity_type: "user",
            entity_id: Some(id),
            before: Some(before),
            after: Some(snapshot(&updated)),
        },
        client,
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}
