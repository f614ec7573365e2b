//! Password reset and e-mail verification by mail.
//!
//! The secret exists only in the e-mail: the database keeps its SHA-256. Reset tokens live one
//! hour and verification tokens 24 hours; each is single-use (claimed by a conditional UPDATE, so
//! two concurrent confirmations cannot both succeed); a newer request invalidates older tokens;
//! a successful reset invalidates the other reset tokens and revokes every refresh token.
//! Requesting a reset answers the same whether or not the e-mail is known: the request only queues
//! a job, so the response time does not tell either. Mails leave through the job queue.
//!
//! Verifying an address publishes [`EmailVerified`] in the same transaction (once per account:
//! only the change from unverified to verified does); the certificates domain reacts by issuing
//! the certificates it withheld while the address was unverified.

use chrono::Duration;
use entity::Secret;
use entity::auth::{email_verifications, password_resets};
use entity::enums::UserStatus;
use entity::users::users;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::sessions::Client;
use super::{Auth, policy, tokens};
use crate::admin::audit;
use crate::db::Db;
use crate::jobs::events::{self, Event};
use crate::jobs::{self, Context, Job};
use crate::mail::{Mail, templates};
use crate::{Error, Result};
use sea_orm::TransactionSession as _;
use serde::{Deserialize, Serialize};

/// Lifetime of a password-reset token.
pub const RESET_TTL_MINUTES: i64 = 60;
/// Lifetime of an e-mail verification token.
pub const VERIFICATION_TTL_HOURS: i64 = 24;

fn invalid_token() -> Error {
    Error::field(
        "token",
        "invalid_or_expired_token",
        "is invalid, expired or already used",
    )
}

/// Queues a password reset for `email`, in the caller's transaction or alone. The job does the
/// lookup, so the caller answers after one INSERT whether or not the address names an account:
/// neither the body nor the response time tells.
pub async fn request_password_reset(db: &impl ConnectionTrait, email: &str) -> Result<()> {
    let Ok(email) = policy::email(email, "email") else {
        return Ok(());
    };
    jobs::enqueue(db, &SendPasswordReset { email }).await
}

/// Mails a reset link to `email` if it names an active account. The token is created when the
/// mail is about to leave and is never stored in clear, so a retry makes a new one (superseding
/// the token of a failed attempt).
#[derive(Debug, Serialize, Deserialize)]
pub struct SendPasswordReset {
    pub email: String,
}

impl Job for SendPasswordReset {
    const KIND: &'static str = "auth.send_password_reset";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        // A request older than a token's lifetime (a late retry) is not worth a link any more.
        if ctx.job.created_at + Duration::minutes(RESET_TTL_MINUTES) < ctx.now {
            return Ok(());
        }
        let Some(user) = users::Entity::find()
            .filter(users::Column::Email.eq(&self.email))
            .filter(users::Column::Status.eq(UserStatus::Active))
            .one(ctx.db)
            .await?
        else {
            return Ok(());
        };
        let secret = tokens::new_secret();
        let now = crate::now();
        let txn = crate::db::begin(ctx.db).await?;
        // Issuing is serialised per user, so that two runs cannot each miss the other's token
        // when superseding.
        crate::db::lock::<users::Entity>(&txn, users::Column::Id, user.id).await?;
        // A newer request supersedes every older, unused token.
        spend_reset_links(&txn, user.id, now).await?;
        password_resets::ActiveModel {
            user_id: Set(user.id),
            token: Set(Secret::new(tokens::hash_secret(&secret))),
            expires_at: Set(now + Duration::minutes(RESET_TTL_MINUTES)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        mail_link(
            ctx,
            user,
            "reset-password",
            &secret,
            templates::password_reset,
        )
        .await
    }
}

crate::register_job!(SendPasswordReset);

/// Mails an address verification link to a new account (queued by registration). Skipped when
/// the address is already verified or the account is no longer active.
#[derive(Debug, Serialize, Deserialize)]
pub struct SendEmailVerification {
    pub user_id: i64,
}

impl Job for SendEmailVerification {
    const KIND: &'static str = "auth.send_email_verification";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let Some(user) = users::Entity::find_by_id(self.user_id)
            .filter(users::Column::Status.eq(UserStatus::Active))
            .filter(users::Column::EmailVerifiedAt.is_null())
            .one(ctx.db)
            .await?
        else {
            return Ok(());
        };
        let secret = new_email_verification(ctx.db, user.id).await?;
        mail_link(
            ctx,
            user,
            "verify-email",
            &secret,
            templates::email_verification,
        )
        .await
    }
}

crate::register_job!(SendEmailVerification);

/// Mails `user` the web application's `page` with `secret` as its token, in their language.
async fn mail_link(
    ctx: &Context<'_>,
    user: users::Model,
    page: &str,
    secret: &str,
    template: fn(entity::enums::Language, &str, &str) -> (String, String),
) -> Result<()> {
    let link = format!("{}/{page}?token={secret}", ctx.deps.app_base_url);
    let (subject, text) = template(user.language, &user.first_name, &link);
    ctx.deps
        .mailer
        .send(&Mail {
            to: user.email,
            subject,
            text,
        })
        .await
}

/// Sets a new password with a reset token.
pub async fn confirm_password_reset(
    db: &impl Db,
    auth: &Auth,
    token: &str,
    new_password: &str,
    client: &Client,
) -> Result<()> {
    if let Some(problem) = policy::password_problems(new_password, "newPassword") {
        return Err(Error::Validation(vec![problem]));
    }
    let now = crate::now();
    let hash = tokens::hash_secret(token);
    let Some((reset, Some(user))) = password_resets::Entity::find()
        .filter(password_resets::Column::Token.eq(hash))
        .find_also_related(users::Entity)
        .one(db)
        .await?
    else {
        return Err(invalid_token());
    };
    if reset.used_at.is_some() || reset.expires_at <= now || user.status != UserStatus::Active {
        return Err(invalid_token());
    }
    let password_hash = auth.passwords.hash(new_password).await?;
    let txn = crate::db::begin(db).await?;
    let claimed = password_resets::Entity::update_many()
        .col_expr(password_resets::Column::UsedAt, Expr::value(now))
        .filter(password_resets::Column::Id.eq(reset.id))
        .filter(password_resets::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        txn.rollback().await?;
        return Err(invalid_token());
    }
    users::Entity::update_many()
        .col_expr(users::Column::Password, Expr::value(password_hash))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(user.id))
        .exec(&txn)
        .await?;
    // A reset ends every credential: whoever knew the old password may have made a key. That
    // includes every other unused reset link (one that raced this reset, or one a late mail job
    // issued): none may work after the password changed.
    let ended = super::credentials::end_all(&txn, reset.user_id).await?;
    audit::record(
        &txn,
        audit::Event {
            actor_id: Some(reset.user_id),
            action: "auth.password_reset",
            entity_type: "user",
            entity_id: Some(reset.user_id),
            after: Some(ended.to_json()),
            ..Default::default()
        },
        client,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Spends every unused reset link of `user_id`.
pub(crate) async fn spend_reset_links(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    password_resets::Entity::update_many()
        .col_expr(password_resets::Column::UsedAt, Expr::value(now))
        .filter(password_resets::Column::UserId.eq(user_id))
        .filter(password_resets::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Stores a new e-mail verification token for a user and returns its secret; the user's older
/// unused tokens end (one transaction).
pub async fn new_email_verification(db: &impl Db, user_id: i64) -> Result<String> {
    let secret = tokens::new_secret();
    let now = crate::now();
    let txn = crate::db::begin(db).await?;
    email_verifications::Entity::update_many()
        .col_expr(email_verifications::Column::UsedAt, Expr::value(now))
        .filter(email_verifications::Column::UserId.eq(user_id))
        .filter(email_verifications::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    email_verifications::ActiveModel {
        user_id: Set(user_id),
        token: Set(Secret::new(tokens::hash_secret(&secret))),
        expires_at: Set(now + Duration::hours(VERIFICATION_TTL_HOURS)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(secret)
}

/// Marks the address of the token's user as verified and, when it was not yet, publishes
/// [`EmailVerified`] (which issues the certificates withheld until now).
pub async fn verify_email(db: &impl Db, token: &str) -> Result<()> {
    let now = crate::now();
    let hash = tokens::hash_secret(token);
    let Some(verification) = email_verifications::Entity::find()
        .filter(email_verifications::Column::Token.eq(hash))
        .one(db)
        .await?
    else {
        return Err(invalid_token());
    };
    if verification.used_at.is_some() || verification.expires_at <= now {
        return Err(invalid_token());
    }
    let txn = crate::db::begin(db).await?;
    let claimed = email_verifications::Entity::update_many()
        .col_expr(email_verifications::Column::UsedAt, Expr::value(now))
        .filter(email_verifications::Column::Id.eq(verification.id))
        .filter(email_verifications::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        txn.rollback().await?;
        return Err(invalid_token());
    }
    let verified = users::Entity::update_many()
        .col_expr(users::Column::EmailVerifiedAt, Expr::value(now))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(verification.user_id))
        .filter(users::Column::EmailVerifiedAt.is_null())
        .exec(&txn)
        .await?;
    if verified.rows_affected == 1 {
        events::publish(
            &txn,
            &EmailVerified {
                user_id: verification.user_id,
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// An account's e-mail address was verified (published once per account, in the transaction that
/// verified it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailVerified {
    pub user_id: i64,
}

impl Event for EmailVerified {
    const NAME: &'static str = "user.email_verified";
}
