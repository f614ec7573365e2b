//! Request and response types of the admin domain: the audit log.

use chrono::{DateTime, Utc};
use entity::auth::audit_logs;
use serde::{Deserialize, Serialize};
use service::admin::audit::Filter;
use utoipa::{IntoParams, ToSchema};

use crate::bounded::{Id, Text};

/// An audit event.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogDto {
    pub id: i64,
    pub actor_id: Option<i64>,
    #[schema(example = "user.updated")]
    pub action: String,
    #[schema(example = "user")]
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<audit_logs::Model> for AuditLogDto {
    fn from(a: audit_logs::Model) -> Self {
        Self {
            id: a.id,
            actor_id: a.actor_id,
            action: a.action,
            entity_type: a.entity_type,
            entity_id: a.entity_id,
            before: a.before,
            after: a.after,
            ip: a.ip,
            request_id: a.request_id,
            created_at: a.created_at,
        }
    }
}

/// Filters of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct AuditQuery {
    /// For example `user.updated`.
    pub action: Option<Text<1, 100>>,
    pub actor_id: Option<Id>,
    pub entity_type: Option<Text<1, 64>>,
    pub entity_id: Option<Id>,
}

impl From<AuditQuery> for Filter {
    fn from(q: AuditQuery) -> Self {
        Self {
            action: q.action.map(Into::into),
            actor_id: q.actor_id.map(Into::into),
            entity_type: q.entity_type.map(Into::into),
            entity_id: q.entity_id.map(Into::into),
        }
    }
}
