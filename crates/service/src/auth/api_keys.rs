//! API keys for integrators: `Authorization: ApiKey ra_<prefix>_<secret>`.
//!
//! The full key is shown once, at creation. The database keeps a visible prefix (to find the key
//! and to let people recognise it) and the SHA-256 of the whole key, compared in constant time.
//! A key acts as its owner, limited to its scopes, and stops working when revoked, expired, or
//! when its owner is no longer active.

use chrono::{DateTime, Utc};
use entity::Secret;
use entity::auth::api_keys;
use entity::enums::UserStatus;
use entity::users::users;
use rand::RngCore as _;
use sea_orm::TransactionSession as _;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use subtle::ConstantTimeEq as _;

use super::actor::{Actor, SCOPES};
use super::sessions::Client;
use super::tokens;
use crate::admin::audit;
use crate::auth::INVALID_API_KEY;
use crate::problem::NOT_FOUND;
use crate::{Error, FieldError, Result};

/// A key as listed (never with its secret).
/// Longest key name (`apiKeys.name` is `VARCHAR(100)`).
pub const MAX_NAME: usize = 100;

pub type ApiKey = api_keys::Model;

/// A new key and, once only, its full value.
#[derive(Debug, Clone)]
pub struct CreatedKey {
    pub key: ApiKey,
    pub secret: String,
}

/// A key to create.
#[derive(Debug, Clone)]
pub struct NewKey {
    pub name: String,
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

fn new_prefix() -> String {
    let mut bytes = [0u8; 5];
    rand::rng().fill_bytes(&mut bytes);
    format!("ra_{}", hex::encode(bytes))
}

/// Creates a key for the caller. Every scope must be known; the key can never do more than its
/// owner's role allows.
pub async fn create(
    db: &impl crate::db::Db,
    actor: &Actor,
    input: NewKey,
    client: &Client,
) -> Result<CreatedKey> {
    session_only(actor)?;
    let mut problems = Vec::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        problems.push(FieldError {
            field: "name".into(),
            code: "invalid_length".into(),
            message: format!("must be 1 to {MAX_NAME} characters"),
        });
    }
    if input.scopes.is_empty() || input.scopes.iter().any(|s| !SCOPES.contains(&s.as_str())) {
        problems.push(FieldError {
            field: "scopes".into(),
            code: "unknown_scope".into(),
            message: format!("must be one or more of {}", SCOPES.join(", ")),
        });
    }
    if input.expires_at.is_some_and(|at| at <= crate::now()) {
        problems.push(FieldError {
            field: "expiresAt".into(),
            code: "in_the_past".into(),
            message: "must be in the future".into(),
        });
    }
    if !problems.is_empty() {
        return Err(Error::Validation(problems));
    }
    let prefix = new_prefix();
    let secret = format!("{prefix}_{}", tokens::new_secret());
    let now = crate::now();
    let mut scopes = input.scopes;
    scopes.sort();
    scopes.dedup();
    // A key made while an event ends the account's credentials must not outlive it.
    let txn = crate::db::begin(db).await?;
    super::credentials::lock_current(&txn, actor).await?;
    let key = api_keys::ActiveModel {
        owner_id: Set(actor.user_id),
        name: Set(name.to_owned()),
        key_prefix: Set(prefix),
        key_hash: Set(Secret::new(tokens::hash_secret(&secret))),
        scopes: Set(serde_json::json!(scopes)),
        expires_at: Set(input.expires_at),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        audit::Event {
            actor_id: Some(actor.user_id),
            action: "api_key.created",
            entity_type: "apiKey",
            entity_id: Some(key.id),
            after: Some(serde_json::json!({ "name": key.name, "keyPrefix": key.key_prefix, "scopes": key.scopes })),
            ..Default::default()
        },
        client,
    )
    .await?;
    txn.commit().await?;
    Ok(CreatedKey { key, secret })
}

/// Keys manage keys only from a signed-in session.
fn session_only(actor: &Actor) -> Result<()> {
    actor.require_session()
}

/// The caller's keys, newest first.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<ApiKey>> {
    session_only(actor)?;
    Ok(api_keys::Entity::find()
        .filter(api_keys::Column::OwnerId.eq(actor.user_id))
        .order_by_desc(api_keys::Column::CreatedAt)
        .order_by_desc(api_keys::Column::Id)
        .all(db)
        .await?)
}

/// Revokes one of the caller's keys (404 for anybody else's; revoking twice is harmless).
pub async fn revoke(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    client: &Client,
) -> Result<()> {
    session_only(actor)?;
    let now = crate::now();
    let revoked = api_keys::Entity::update_many()
        .col_expr(api_keys::Column::RevokedAt, Expr::value(now))
        .col_expr(api_keys::Column::UpdatedAt, Expr::value(now))
        .filter(api_keys::Column::Id.eq(id))
        .filter(api_keys::Column::OwnerId.eq(actor.user_id))
        .filter(api_keys::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if revoked.rows_affected == 0 {
        let mine = api_keys::Entity::find_by_id(id)
            .filter(api_keys::Column::OwnerId.eq(actor.user_id))
            .one(db)
            .await?;
        return if mine.is_some() {
            Ok(())
        } else {
            Err(NOT_FOUND.into())
        };
    }
    audit::record(
        db,
        audit::Event {
            actor_id: Some(actor.user_id),
            action: "api_key.revoked",
            entity_type: "apiKey",
            entity_id: Some(id),
            ..Default::default()
        },
        client,
    )
    .await
}

fn invalid_key() -> Error {
    Error::from(INVALID_API_KEY)
}

/// The caller of an API key.
pub async fn authenticate(db: &impl ConnectionTrait, presented: &str) -> Result<Actor> {
    // `ra_<10 hex>_<secret>`: the secret may itself contain '_', so split at the second one.
    let mut parts = presented.splitn(3, '_');
    let (Some(scheme), Some(id), Some(_secret)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid_key());
    };
    let prefix = format!("{scheme}_{id}");
    let (key, owner) = api_keys::Entity::find()
        .filter(api_keys::Column::KeyPrefix.eq(&prefix))
        .find_also_related(users::Entity)
        .one(db)
        .await?
        .ok_or_else(invalid_key)?;
    let expected = key.key_hash.expose().as_bytes();
    let matches: bool = tokens::hash_secret(presented)
        .as_bytes()
        .ct_eq(expected)
        .into();
    let now = crate::now();
    let live = key.revoked_at.is_none() && key.expires_at.is_none_or(|at| at > now);
    let owner = owner
        .filter(|o| o.status == UserStatus::Active)
        .ok_or_else(invalid_key)?;
    if !matches || !live {
        return Err(invalid_key());
    }
    // Recorded at most once a minute, so busy integrations do not pay a write per request.
    if key
        .last_used_at
        .is_none_or(|at| now - at > chrono::Duration::minutes(1))
    {
        api_keys::Entity::update_many()
            .col_expr(api_keys::Column::LastUsedAt, Expr::value(now))
            .filter(api_keys::Column::Id.eq(key.id))
            .exec(db)
            .await?;
    }
    let scopes = serde_json::from_value::<Vec<String>>(key.scopes).unwrap_or_default();
    Ok(Actor {
        user_id: owner.id,
        role: owner.role,
        scopes: Some(scopes),
        credential_version: owner.credential_version,
    })
}
