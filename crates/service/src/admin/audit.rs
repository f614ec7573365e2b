//! `auditLogs`: administrative and security events with before/after images.

use entity::auth::audit_logs;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

use crate::Result;
use crate::auth::actor::Actor;
use crate::auth::sessions::Client;
use crate::pagination::{self, Cursor, Page, PageRequest};

/// One event to record.
#[derive(Debug, Clone, Default)]
pub struct Event<'a> {
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Writes an event with the request's IP and id.
pub async fn record(db: &impl ConnectionTrait, event: Event<'_>, client: &Client) -> Result<()> {
    audit_logs::ActiveModel {
        actor_id: Set(event.actor_id),
        action: Set(event.action.to_owned()),
        entity_type: Set(event.entity_type.to_owned()),
        entity_id: Set(event.entity_id),
        before: Set(event.before),
        after: Set(event.after),
        ip: Set(client.ip.clone()),
        request_id: Set(client.request_id.clone()),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Filters of the audit list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub action: Option<String>,
    pub actor_id: Option<i64>,
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
}

/// Audit events, newest first (administrators with `audit:read`).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: Filter,
    page: PageRequest,
) -> Result<Page<audit_logs::Model>> {
    actor.require_admin("audit:read")?;
    let mut query = audit_logs::Entity::find();
    if let Some(action) = filter.action {
        query = query.filter(audit_logs::Column::Action.eq(action));
    }
    if let Some(actor_id) = filter.actor_id {
        query = query.filter(audit_logs::Column::ActorId.eq(actor_id));
    }
    if let Some(entity_type) = filter.entity_type {
        query = query.filter(audit_logs::Column::EntityType.eq(entity_type));
    }
    if let Some(entity_id) = filter.entity_id {
        query = query.filter(audit_logs::Column::EntityId.eq(entity_id));
    }
    let rows = pagination::keyset(
        query,
        audit_logs::Column::CreatedAt,
        audit_logs::Column::Id,
        &page,
    )
    .all(db)
    .await?;
    Ok(pagination::finish(rows, &page, |row| Cursor {
        at: row.created_at,
        id: row.id,
    }))
}
