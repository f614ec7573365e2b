//! Password reset and e-mail verification by mail.
//!
//! The secret exists only in the e-mail: the database keeps its SHA-256. Reset tokens live one
//! hour and verification tokens 24 hours; each is single-use (claimed by a conditional UPDATE, so
//! two concurrent confirmations cannot both succeed); a newer request invalidates older tokens;
//! a successful reset invalidates the other reset tokens and revokes every refresh token.
//! Requesting a reset answers the same whether or not the e-mail is known, and the mail is sent
//! in the background so that the response time does not tell either.

use chrono::Duration;
use entity::Secret;
use entity::auth::{email_verifications, password_resets};
use entity::enums::UserStatus;
use entity::users::users;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

use super::sessions::{self, Client};
use super::{Auth, policy, tokens};
use crate::admin::audit;
use crate::mail::{Mail, Mailer, templates};
use crate::{Error, Result};

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

fn send_in_background(mailer: &Mailer, mail: Mail) {
    let mailer = mailer.clone();
    tokio::spawn(async move {
        if let Err(err) = mailer.send(&mail).await {
            tracing::error!(error = %err, "sending mail failed");
        }
    });
}

/// Starts a password reset for `email` if it names an active account, in the background: the
/// caller answers at once, so neither the body nor the response time tells whether the account
/// exists.
pub fn request_password_reset(
    db: &DatabaseConnection,
    mailer: &Mailer,
    public_base_url: &str,
    email: &str,
) {
    let (db, mailer, base, email) = (
        db.clone(),
        mailer.clone(),
        public_base_url.to_owned(),
        email.to_owned(),
    );
    tokio::spawn(async move {
        if let Err(err) = issue_password_reset(&db, &mailer, &base, &email).await {
            tracing::error!(error = %err, "password reset request failed");
        }
    });
}

async fn issue_password_reset(
    db: &DatabaseConnection,
    mailer: &Mailer,
    public_base_url: &str,
    email: &str,
) -> Result<()> {
    let Ok(email) = policy::email(email, "email") else {
        return Ok(());
    };
    let Some(user) = users::Entity::find()
        .filter(users::Column::Email.eq(&email))
        .filter(users::Column::Status.eq(UserStatus::Active))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let secret = tokens::new_secret();
    let now = crate::now();
    let txn = db.begin().await?;
    // A newer request supersedes every older, unused token.
    password_resets::Entity::update_many()
        .col_expr(password_resets::Column::UsedAt, Expr::value(now))
        .filter(password_resets::Column::UserId.eq(user.id))
        .filter(password_resets::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
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
    let link = format!("{public_base_url}/reset-password?token={secret}");
    let (subject, text) = templates::password_reset(user.language, &user.first_name, &link);
    send_in_background(
        mailer,
        Mail {
            to: user.email,
            subject,
            text,
        },
    );
    Ok(())
}

/// Sets a new password with a reset token.
pub async fn confirm_password_reset(
    db: &DatabaseConnection,
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
    let txn = db.begin().await?;
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
    // Requests supersede older tokens, so the claimed one was the user's only live token.
    users::Entity::update_many()
        .col_expr(users::Column::Password, Expr::value(password_hash))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(user.id))
        .exec(&txn)
        .await?;
    let revoked = sessions::revoke_all(&txn, reset.user_id).await?;
    audit::record(
        &txn,
        audit::Event {
            actor_id: Some(reset.user_id),
            action: "auth.password_reset",
            entity_type: "user",
            entity_id: Some(reset.user_id),
            after: Some(serde_json::json!({ "revokedRefreshTokens": revoked })),
            ..Default::default()
        },
        client,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Stores a new e-mail verification token for a user and returns its secret.
pub async fn new_email_verification(db: &impl ConnectionTrait, user_id: i64) -> Result<String> {
    let secret = tokens::new_secret();
    let now = crate::now();
    email_verifications::ActiveModel {
        user_id: Set(user_id),
        token: Set(Secret::new(tokens::hash_secret(&secret))),
        expires_at: Set(now + Duration::hours(VERIFICATION_TTL_HOURS)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(secret)
}

/// Mails the verification link for `secret` (in the background).
pub fn mail_email_verification(
    mailer: &Mailer,
    public_base_url: &str,
    user: &users::Model,
    secret: &str,
) {
    let link = format!("{public_base_url}/verify-email?token={secret}");
    let (subject, text) = templates::email_verification(user.language, &user.first_name, &link);
    send_in_background(
        mailer,
        Mail {
            to: user.email.clone(),
            subject,
            text,
        },
    );
}

/// Marks the address of the token's user as verified.
pub async fn verify_email(db: &DatabaseConnection, token: &str) -> Result<()> {
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
    let txn = db.begin().await?;
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
    users::Entity::update_many()
        .col_expr(users::Column::EmailVerifiedAt, Expr::value(now))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(verification.user_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
