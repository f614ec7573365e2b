//! Feature flags (RULES.md, HR & admin): administrators create, change and delete them; every
//! change writes a `featureFlagHistory` row and an audit row in its transaction; every user reads
//! the flags evaluated for them (`GET /feature-flags/me`).
//!
//! Evaluation ([`evaluate`]) is a pure function of the flag's row and the user's id and role:
//! missing or disabled → off; the user in `userIds` → on; `roles` non-empty and the user's role
//! not in it → off; `rolloutPercentage` < 100 → on iff `fnv1a("<key>:<userId>") mod 100` is below
//! it; else on. Nothing is cached per replica: every instance reads the row and computes the same
//! answer, before and after a restart.

use entity::admin::{feature_flag_history, feature_flags};
use entity::enums::UserRole;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionSession as _,
};
use serde_json::{Value, json};

use crate::admin::audit;
use crate::auth::actor::Actor;
use crate::auth::sessions::Client;
use crate::db::Db;
use crate::problem::NOT_FOUND;
use crate::{Error, Result};

/// Longest key (the column's length).
pub const MAX_KEY: usize = 100;
/// Longest description.
pub const MAX_DESCRIPTION: usize = 2000;
/// Most users on a flag's allow-list.
pub const MAX_USERS: usize = 1000;

crate::problems! {
    pub FLAG_KEY_TAKEN: Conflict = "feature_flag_key_taken",
        "A feature flag with this key already exists.",
        "Un indicateur de fonctionnalité avec cette clé existe déjà.";
}

/// FNV-1a, 64 bits: a stable hash (the same on every platform, build and restart).
pub fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Whether `flag` is on for the user (see the module docs).
pub fn evaluate(flag: Option<&feature_flags::Model>, user_id: i64, role: UserRole) -> bool {
    let Some(flag) = flag.filter(|f| f.enabled) else {
        return false;
    };
    let listed = |value: &Value, wanted: &dyn Fn(&Value) -> bool| {
        value
            .as_array()
            .is_some_and(|items| items.iter().any(wanted))
    };
    if listed(&flag.user_ids, &|v| v.as_i64() == Some(user_id)) {
        return true;
    }
    let restricted = flag.roles.as_array().is_some_and(|r| !r.is_empty());
    if restricted
        && !listed(&flag.roles, &|v| {
            v.as_str() == Some(role.to_value().as_str())
        })
    {
        return false;
    }
    if flag.rollout_percentage < 100 {
        let bucket = fnv1a(&format!("{}:{user_id}", flag.key)) % 100;
        return bucket < u64::try_from(flag.rollout_percentage.max(0)).unwrap_or(0);
    }
    true
}

/// Every flag evaluated for the caller, by key (one query).
pub async fn for_me(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<(String, bool)>> {
    actor.require_scope("profile:read")?;
    let flags = feature_flags::Entity::find()
        .order_by_asc(feature_flags::Column::Key)
        .all(db)
        .await?;
    Ok(flags
        .iter()
        .map(|f| (f.key.clone(), evaluate(Some(f), actor.user_id, actor.role)))
        .collect())
}

/// A flag as an administrator writes it (the API has bounded every field).
#[derive(Debug, Clone)]
pub struct FlagInput {
    pub key: String,
    pub enabled: bool,
    pub description: Option<String>,
    pub roles: Vec<UserRole>,
    pub rollout_percentage: i32,
    pub user_ids: Vec<i64>,
}

/// Changes to a flag: `None` keeps a field (`description: Some(None)` clears it).
#[derive(Debug, Clone, Default)]
pub struct FlagChanges {
    pub enabled: Option<bool>,
    pub description: Option<Option<String>>,
    pub roles: Option<Vec<UserRole>>,
    pub rollout_percentage: Option<i32>,
    pub user_ids: Option<Vec<i64>>,
}

fn roles_json(roles: &[UserRole]) -> Value {
    let mut names: Vec<String> = roles.iter().map(ActiveEnum::to_value).collect();
    names.sort_unstable();
    names.dedup();
    json!(names)
}

fn users_json(ids: &[i64]) -> Value {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    json!(ids)
}

/// The row as history and audit record it.
fn snapshot(flag: &feature_flags::Model) -> Value {
    json!({
        "key": flag.key,
        "enabled": flag.enabled,
        "description": flag.description,
        "roles": flag.roles,
        "rolloutPercentage": flag.rollout_percentage,
        "userIds": flag.user_ids,
    })
}

/// Writes the history row and the audit row of a change.
#[allow(clippy::too_many_arguments)]
async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    client: &Client,
    flag_id: i64,
    key: &str,
    action: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<()> {
    feature_flag_history::ActiveModel {
        flag_id: Set(Some(flag_id)),
        flag_key: Set(key.to_owned()),
        action: Set(action.to_owned()),
        before: Set(before.clone()),
        after: Set(after.clone()),
        changed_by: Set(Some(actor.user_id)),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        audit::Event {
            actor_id: Some(actor.user_id),
            action: &format!("feature_flag.{action}"),
            entity_type: "feature_flag",
            entity_id: Some(flag_id),
            before,
            after,
        },
        client,
    )
    .await
}

/// Every flag, by key (administrators).
pub async fn list(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<feature_flags::Model>> {
    actor.require_admin("flags:admin")?;
    Ok(feature_flags::Entity::find()
        .order_by_asc(feature_flags::Column::Key)
        .all(db)
        .await?)
}

/// One flag (administrators).
pub async fn get(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<feature_flags::Model> {
    actor.require_admin("flags:admin")?;
    feature_flags::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| NOT_FOUND.into())
}

/// Creates a flag (409 `feature_flag_key_taken`).
pub async fn create(
    db: &impl Db,
    actor: &Actor,
    client: &Client,
    input: FlagInput,
) -> Result<feature_flags::Model> {
    actor.require_admin("flags:admin")?;
    let now = crate::now();
    let txn = crate::db::begin(db).await?;
    let inserted = feature_flags::ActiveModel {
        key: Set(input.key),
        enabled: Set(input.enabled),
        description: Set(input.description),
        roles: Set(roles_json(&input.roles)),
        rollout_percentage: Set(input.rollout_percentage),
        user_ids: Set(users_json(&input.user_ids)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let flag = match inserted {
        Ok(flag) => flag,
        Err(err) if Error::is_unique_violation(&err) => return Err(FLAG_KEY_TAKEN.into()),
        Err(err) => return Err(err.into()),
    };
    record(
        &txn,
        actor,
        client,
        flag.id,
        &flag.key,
        "created",
        None,
        Some(snapshot(&flag)),
    )
    .await?;
    txn.commit().await?;
    Ok(flag)
}

/// A flag, read under its row lock (404 when there is none).
async fn locked(db: &impl ConnectionTrait, id: i64) -> Result<feature_flags::Model> {
    crate::db::lock::<feature_flags::Entity>(db, feature_flags::Column::Id, id).await?;
    feature_flags::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| NOT_FOUND.into())
}

/// Changes a flag under its row lock (one history row per change).
pub async fn update(
    db: &impl Db,
    actor: &Actor,
    client: &Client,
    id: i64,
    changes: FlagChanges,
) -> Result<feature_flags::Model> {
    actor.require_admin("flags:admin")?;
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        let flag = locked(&txn, id).await?;
        let mut row: feature_flags::ActiveModel = flag.clone().into();
        if let Some(enabled) = changes.enabled {
            row.enabled = Set(enabled);
        }
        if let Some(description) = changes.description.clone() {
            row.description = Set(description);
        }
        if let Some(roles) = &changes.roles {
            row.roles = Set(roles_json(roles));
        }
        if let Some(rollout) = changes.rollout_percentage {
            row.rollout_percentage = Set(rollout);
        }
        if let Some(users) = &changes.user_ids {
            row.user_ids = Set(users_json(users));
        }
        row.updated_at = Set(crate::now());
        let updated = row.update(&txn).await?;
        record(
            &txn,
            actor,
            client,
            id,
            &updated.key,
            "updated",
            Some(snapshot(&flag)),
            Some(snapshot(&updated)),
        )
        .await?;
        txn.commit().await?;
        Ok(updated)
    })
    .await
}

/// Deletes a flag (it is off for everyone from then on); its history stays.
pub async fn delete(db: &impl Db, actor: &Actor, client: &Client, id: i64) -> Result<()> {
    actor.require_admin("flags:admin")?;
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        let flag = locked(&txn, id).await?;
        record(
            &txn,
            actor,
            client,
            id,
            &flag.key,
            "deleted",
            Some(snapshot(&flag)),
            None,
        )
        .await?;
        // The history rows stay (their `flagId` becomes null, `flagKey` names the flag), and so
        // do the audit rows.
        feature_flags::Entity::delete_by_id(id).exec(&txn).await?;
        txn.commit().await?;
        Ok(())
    })
    .await
}

/// A flag's history, newest first (administrators); 404 for an id that names no flag (a deleted
/// flag's history stays in the table under its key, and in the audit log).
pub async fn history(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<Vec<feature_flag_history::Model>> {
    actor.require_admin("flags:admin")?;
    get(db, actor, id).await?;
    let rows = feature_flag_history::Entity::find()
        .filter(feature_flag_history::Column::FlagId.eq(id))
        .order_by_desc(feature_flag_history::Column::CreatedAt)
        .order_by_desc(feature_flag_history::Column::Id)
        .all(db)
        .await?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(rollout: i32, roles: Value, users: Value) -> feature_flags::Model {
        let now = crate::now();
        feature_flags::Model {
            id: 1,
            key: "new_dashboard".to_owned(),
            enabled: true,
            description: None,
            roles,
            rollout_percentage: rollout,
            user_ids: users,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn the_rules_apply_in_order() {
        let everyone = flag(100, json!([]), json!([]));
        assert!(!evaluate(None, 1, UserRole::Learner), "missing");
        let mut off = everyone.clone();
        off.enabled = false;
        assert!(!evaluate(Some(&off), 1, UserRole::Learner), "disabled");
        assert!(evaluate(Some(&everyone), 1, UserRole::Learner));
        let coaches = flag(100, json!(["coach"]), json!([7]));
        assert!(
            !evaluate(Some(&coaches), 1, UserRole::Learner),
            "role not listed"
        );
        assert!(evaluate(Some(&coaches), 1, UserRole::Coach));
        assert!(
            evaluate(Some(&coaches), 7, UserRole::Learner),
            "allow-list wins"
        );
        let none = flag(0, json!([]), json!([]));
        assert!(!(1..1000).any(|id| evaluate(Some(&none), id, UserRole::Learner)));
    }

    #[test]
    fn a_rollout_is_stable_and_close_to_its_percentage() {
        let thirty = flag(30, json!([]), json!([]));
        let on = (1..=10_000)
            .filter(|id| evaluate(Some(&thirty), *id, UserRole::Learner))
            .count();
        assert!((2_800..=3_200).contains(&on), "{on} of 10 000");
        // The same users every time: the hash depends on nothing but the key and the id.
        let again = (1..=10_000)
            .filter(|id| evaluate(Some(&thirty), *id, UserRole::Learner))
            .count();
        assert_eq!(on, again);
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
