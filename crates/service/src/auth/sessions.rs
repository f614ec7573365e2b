//! Sessions: registration, login, refresh-token rotation, logout, and authenticating requests.
//!
//! A login starts a token *family*. Each refresh revokes the presented token and issues its
//! successor in the same family. Presenting a token that was already rotated means it leaked (or
//! a client misbehaves): the whole family is revoked and an audit row written. Suspended and
//! deleted users are refused at their next request, whatever tokens they hold.

use chrono::Duration as ChronoDuration;
use entity::Secret;
use entity::auth::refresh_tokens;
use entity::enums::{Language, UserRole, UserStatus};
use entity::users::users;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::Auth;
use super::actor::Actor;
use super::password::Verified;
use super::{policy, tokens};
use crate::admin::audit;
use crate::auth::{
    ACCOUNT_INACTIVE, ACCOUNT_SUSPENDED, EMAIL_TAKEN, INVALID_CREDENTIALS, INVALID_REFRESH_TOKEN,
    INVALID_TOKEN, REFRESH_TOKEN_REUSED,
};
use crate::db::Db;
use crate::{Error, Result};
use sea_orm::TransactionSession as _;

/// Where a request came from, for audit rows and token metadata.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

/// What a successful registration, login or refresh returns.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: users::Model,
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct Registration {
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub language: Option<Language>,
}

fn truncate(value: Option<String>, max: usize) -> Option<String> {
    value.map(|v| v.chars().take(max).collect())
}

/// Issues an access token and a refresh token (in `family`, or a new family).
async fn start(
    db: &impl ConnectionTrait,
    auth: &Auth,
    user: users::Model,
    family: Option<String>,
    client: &Client,
) -> Result<(Session, i64)> {
    let secret = tokens::new_secret();
    let now = crate::now();
    let ttl =
        ChronoDuration::from_std(auth.refresh_ttl).unwrap_or_else(|_| ChronoDuration::days(30));
    let row = refresh_tokens::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(Secret::new(tokens::hash_secret(&secret))),
        family_id: Set(family.unwrap_or_else(tokens::new_secret)),
        expires_at: Set(now + ttl),
        user_agent: Set(truncate(client.user_agent.clone(), 512)),
        ip: Set(truncate(client.ip.clone(), 64)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let access_token = auth
        .jwt
        .issue(user.id, user.role, user.credential_version)?;
    Ok((
        Session {
            user,
            access_token,
            refresh_token: secret,
            expires_in: auth.jwt.ttl_seconds(),
        },
        row.id,
    ))
}

/// Creates a learner account, signs it in, and queues the mail that verifies its address. Nobody
/// can register as anything but a learner. One transaction of three statements: the user, the
/// refresh token, the verification mail's job.
pub async fn register(
    db: &impl Db,
    auth: &Auth,
    input: Registration,
    client: &Client,
) -> Result<Session> {
    let mut problems = Vec::new();
    let email = policy::email(&input.email, "email")
        .map_err(|e| problems.push(e))
        .ok();
    let first_name = policy::name(&input.first_name, "firstName")
        .map_err(|e| problems.push(e))
        .ok();
    let last_name = policy::name(&input.last_name, "lastName")
        .map_err(|e| problems.push(e))
        .ok();
    problems.extend(policy::password_problems(&input.password, "password"));
    let (Some(email), Some(first_name), Some(last_name), true) =
        (email, first_name, last_name, problems.is_empty())
    else {
        return Err(Error::Validation(problems));
    };
    // No existence check first: the unique index decides, so a taken address costs the same
    // hashing time as a free one.
    let hash = auth.passwords.hash(&input.password).await?;
    let now = crate::now();
    let txn = crate::db::begin(db).await?;
    let user = users::ActiveModel {
        email: Set(email),
        password: Set(Secret::new(hash)),
        role: Set(UserRole::Learner),
        first_name: Set(first_name),
        last_name: Set(last_name),
        language: Set(input.language.unwrap_or(Language::En)),
        status: Set(UserStatus::Active),
        created_at: Set(now),
        updated_at: Set(now),
        credential_version: Set(0),
        event_seq: Set(0),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if Error::is_unique_violation(&e) {
            Error::from(EMAIL_TAKEN)
        } else {
            e.into()
        }
    })?;
    let user_id = user.id;
    let (session, _) = start(&txn, auth, user, None, client).await?;
    crate::jobs::enqueue(&txn, &super::recovery::SendEmailVerification { user_id }).await?;
    txn.commit().await?;
    Ok(session)
}

/// Signs in with e-mail and password. Unknown e-mails cost the same time as wrong passwords
/// and answer the same `invalid_credentials`.
pub async fn login(
    db: &impl Db,
    auth: &Auth,
    email: &str,
    password: &str,
    client: &Client,
) -> Result<Session> {
    let email = email.trim().to_lowercase();
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(&email))
        .one(db)
        .await?;
    let verified = auth
        .passwords
        .verify(password, user.as_ref().map(|u| u.password.expose()))
        .await?;
    let (Some(user), Verified::Yes { needs_rehash }) = (user, verified) else {
        return Err(Error::from(INVALID_CREDENTIALS));
    };
    match user.status {
        UserStatus::Active => {}
        UserStatus::Suspended => {
            return Err(Error::from(ACCOUNT_SUSPENDED));
        }
        UserStatus::Deleted => {
            return Err(Error::from(INVALID_CREDENTIALS));
        }
    }
    let rehashed = if needs_rehash {
        Some(auth.passwords.hash(password).await?)
    } else {
        None
    };
    // The password was checked against `user` without a lock (hashing is slow): the session is
    // issued under the row's lock only if nothing ended the account's credentials meanwhile (a
    // reset, a suspension, the bootstrap), so it cannot outlive that event.
    let txn = crate::db::begin(db).await?;
    crate::db::lock::<users::Entity>(&txn, users::Column::Id, user.id).await?;
    let current = users::Entity::find_by_id(user.id)
        .one(&txn)
        .await?
        .filter(|current| {
            current.status == UserStatus::Active
                && current.credential_version == user.credential_version
                && current.password.expose() == user.password.expose()
        })
        .ok_or(Error::from(INVALID_CREDENTIALS))?;
    let mut row: users::ActiveModel = current.into();
    row.last_login_at = Set(Some(crate::now()));
    if let Some(hash) = rehashed {
        row.password = Set(Secret::new(hash));
    }
    let user = row.update(&txn).await?;
    let (session, _) = start(&txn, auth, user, None, client).await?;
    txn.commit().await?;
    Ok(session)
}

fn invalid_refresh() -> Error {
    Error::from(INVALID_REFRESH_TOKEN)
}

/// Revokes every live token of a family; returns how many were revoked.
async fn revoke_family(db: &impl ConnectionTrait, family_id: &str) -> Result<u64> {
    let result = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(crate::now()))
        .filter(refresh_tokens::Column::FamilyId.eq(family_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

async fn reuse_detected(
    db: &impl Db,
    token: &refresh_tokens::Model,
    client: &Client,
) -> Result<Error> {
    let revoked = revoke_family(db, &token.family_id).await?;
    audit::record(
        db,
        audit::Event {
            actor_id: Some(token.user_id),
            action: "auth.refresh_token_reused",
            entity_type: "refreshTokenFamily",
            entity_id: Some(token.id),
            after: Some(serde_json::json!({ "revokedTokens": revoked })),
            ..Default::default()
        },
        client,
    )
    .await?;
    tracing::warn!(
        user_id = token.user_id,
        "refresh token reuse: family revoked"
    );
    Ok(Error::from(REFRESH_TOKEN_REUSED))
}

/// Exchanges a refresh token for a new pair (rotation). Four statements: the token with its
/// user, the conditional claim of the old token, the successor's insert, and the link from the
/// old token to its successor.
pub async fn refresh(
    db: &impl Db,
    auth: &Auth,
    refresh_token: &str,
    client: &Client,
) -> Result<Session> {
    let hash = tokens::hash_secret(refresh_token);
    let Some((token, user)) = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(hash))
        .find_also_related(users::Entity)
        .one(db)
        .await?
    else {
        return Err(invalid_refresh());
    };
    if token.revoked_at.is_some() {
        // A rotated token presented again; a logged-out one is simply invalid.
        return Err(if token.replaced_by_id.is_some() {
            reuse_detected(db, &token, client).await?
        } else {
            invalid_refresh()
        });
    }
    if token.expires_at <= crate::now() {
        return Err(invalid_refresh());
    }
    let user = user.ok_or_else(invalid_refresh)?;
    if user.status != UserStatus::Active {
        revoke_family(db, &token.family_id).await?;
        return Err(Error::from(ACCOUNT_INACTIVE));
    }
    let txn = crate::db::begin(db).await?;
    // The claim comes first: of concurrent refreshes with the same token, one wins it and the
    // others wait for its commit and find it taken (no deadlock between their inserts).
    let claimed = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(crate::now()))
        .filter(refresh_tokens::Column::Id.eq(token.id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        txn.rollback().await?;
        return Err(reuse_detected(db, &token, client).await?);
    }
    let (session, new_id) = start(&txn, auth, user, Some(token.family_id.clone()), client).await?;
    refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::ReplacedById, Expr::value(new_id))
        .filter(refresh_tokens::Column::Id.eq(token.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(session)
}

/// Ends the session of a refresh token (its whole family). Unknown tokens are ignored.
pub async fn logout(db: &impl Db, refresh_token: &str) -> Result<()> {
    let hash = tokens::hash_secret(refresh_token);
    if let Some(token) = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(hash))
        .one(db)
        .await?
    {
        revoke_family(db, &token.family_id).await?;
    }
    Ok(())
}

/// Revokes every refresh token of a user (password reset, suspension, deletion).
pub async fn revoke_all(db: &impl ConnectionTrait, user_id: i64) -> Result<u64> {
    let result = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(crate::now()))
        .filter(refresh_tokens::Column::UserId.eq(user_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// The caller of a bearer access token, provided the account is still active.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    auth: &Auth,
    access_token: &str,
) -> Result<Actor> {
    let (user_id, version) = auth.jwt.verify(access_token)?;
    let user = users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(Error::from(INVALID_TOKEN))?;
    if user.status != UserStatus::Active {
        return Err(Error::from(ACCOUNT_INACTIVE));
    }
    // An event since the token was issued ended it (see `credentials`).
    if user.credential_version != version {
        return Err(Error::from(INVALID_TOKEN));
    }
    // The role is read from the database, so a demotion takes effect at the next request.
    Ok(Actor {
        user_id: user.id,
        role: user.role,
        scopes: None,
        credential_version: user.credential_version,
    })
}
