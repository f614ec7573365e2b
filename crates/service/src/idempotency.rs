//! `Idempotency-Key`: the first response to a key is stored and replayed for the same request,
//! so a client may retry a write (a sync batch, later a payment or a booking) without doing it
//! twice. Keys belong to a user; the same key with another request is refused; a request still
//! running holds the key for a minute (a crashed one releases it when that lease ends); replies
//! are kept for 24 hours.

use chrono::Duration;
use entity::auth::idempotency_keys;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::{Error, Result};

crate::problems! {
    pub IDEMPOTENCY_KEY_REUSED: Unprocessable = "idempotency_key_reused",
        "This Idempotency-Key was used for a different request.",
        "Cette clé d'idempotence a servi à une autre requête.";
    pub IDEMPOTENCY_KEY_IN_PROGRESS: Conflict = "idempotency_key_in_progress",
        "A request with this Idempotency-Key is still running; retry shortly.",
        "Une requête avec cette clé d'idempotence est en cours ; réessayez sous peu.";
}

/// How long a running request holds its key.
const LEASE_SECONDS: i64 = 60;
/// How long a stored reply is replayed.
const RETENTION_HOURS: i64 = 24;

/// The request a key is used for.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub user_id: i64,
    pub key: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    /// Hex SHA-256 of the request body.
    pub body_hash: &'a str,
}

/// What to do with a request carrying a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    /// First use: run the request, then [`complete`] or [`release`] the key `id`.
    Proceed { id: i64 },
    /// Already answered: send this reply again.
    Replay { status: u16, body: String },
    /// The first request with this key is still running (409 `idempotency_key_in_progress`).
    InProgress,
    /// The key was used for a different request (422 `idempotency_key_reused`).
    Reused,
}

/// Checks a key: printable ASCII, 1 to 255 characters.
fn validate(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(Error::field(
            "Idempotency-Key",
            "invalid_idempotency_key",
            "must be 1 to 255 printable ASCII characters",
        ));
    }
    Ok(())
}

async fn insert(
    db: &impl ConnectionTrait,
    request: &Request<'_>,
) -> std::result::Result<i64, sea_orm::DbErr> {
    let now = crate::now();
    let row = idempotency_keys::ActiveModel {
        user_id: Set(request.user_id),
        key: Set(request.key.to_owned()),
        method: Set(request.method.to_owned()),
        path: Set(request.path.chars().take(512).collect()),
        request_hash: Set(request.body_hash.to_owned()),
        locked_until: Set(Some(now + Duration::seconds(LEASE_SECONDS))),
        expires_at: Set(now + Duration::hours(RETENTION_HOURS)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Claims `request.key` for this request, or says how to answer instead.
pub async fn begin(db: &impl ConnectionTrait, request: Request<'_>) -> Result<Begin> {
    validate(request.key)?;
    for _ in 0..2 {
        match insert(db, &request).await {
            Ok(id) => return Ok(Begin::Proceed { id }),
            Err(err) if Error::is_unique_violation(&err) => {}
            Err(err) => return Err(err.into()),
        }
        let Some(existing) = idempotency_keys::Entity::find()
            .filter(idempotency_keys::Column::UserId.eq(request.user_id))
            .filter(idempotency_keys::Column::Key.eq(request.key))
            .one(db)
            .await?
        else {
            continue;
        };
        let now = crate::now();
        if existing.expires_at <= now {
            idempotency_keys::Entity::delete_by_id(existing.id)
                .exec(db)
                .await?;
            continue;
        }
        if existing.method != request.method
            || existing.path != request.path
            || existing.request_hash != request.body_hash
        {
            return Ok(Begin::Reused);
        }
        if let (Some(status), Some(body)) = (existing.response_status, existing.response_body) {
            return Ok(Begin::Replay {
                status: u16::try_from(status).unwrap_or(200),
                body,
            });
        }
        if existing.locked_until.is_some_and(|until| until > now) {
            return Ok(Begin::InProgress);
        }
        // The first request died without answering: take its lease over (one winner).
        let taken = idempotency_keys::Entity::update_many()
            .col_expr(
                idempotency_keys::Column::LockedUntil,
                Expr::value(now + Duration::seconds(LEASE_SECONDS)),
            )
            .filter(idempotency_keys::Column::Id.eq(existing.id))
            .filter(idempotency_keys::Column::LockedUntil.eq(existing.locked_until))
            .exec(db)
            .await?;
        return Ok(if taken.rows_affected == 1 {
            Begin::Proceed { id: existing.id }
        } else {
            Begin::InProgress
        });
    }
    Ok(Begin::InProgress)
}

/// Stores the reply to replay.
pub async fn complete(db: &impl ConnectionTrait, id: i64, status: u16, body: &str) -> Result<()> {
    idempotency_keys::Entity::update_many()
        .col_expr(
            idempotency_keys::Column::ResponseStatus,
            Expr::value(i32::from(status)),
        )
        .col_expr(
            idempotency_keys::Column::ResponseBody,
            Expr::value(body.to_owned()),
        )
        .col_expr(
            idempotency_keys::Column::LockedUntil,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .col_expr(
            idempotency_keys::Column::UpdatedAt,
            Expr::value(crate::now()),
        )
        .filter(idempotency_keys::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Frees the key after a server error, so the client's retry runs again.
pub async fn release(db: &impl ConnectionTrait, id: i64) -> Result<()> {
    idempotency_keys::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}
