//! Creates the first administrator from configuration when the platform has none.

use entity::Secret;
use entity::enums::{Language, UserRole, UserStatus};
use entity::users::users;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::auth::password::Passwords;
use crate::db::Db;
use crate::{Error, Result};
use sea_orm::TransactionSession as _;

/// What [`ensure_admin`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bootstrap {
    /// An administrator already existed; nothing was changed.
    AlreadyPresent,
    /// A user with this e-mail existed and was promoted to administrator.
    Promoted(i64),
    /// A new administrator was created.
    Created(i64),
}

/// Ensures at least one administrator exists: when none does, the account `email` becomes one
/// with `password` (created if it does not exist; an existing account's password is replaced
/// and every credential it had ends, so a stranger who registered the address gains nothing).
pub async fn ensure_admin(
    db: &impl Db,
    passwords: &Passwords,
    email: &str,
    password: &str,
) -> Result<Bootstrap> {
    let admins = users::Entity::find()
        .filter(users::Column::Role.eq(UserRole::Admin))
        .filter(users::Column::Status.eq(UserStatus::Active))
        .count(db)
        .await?;
    if admins > 0 {
        return Ok(Bootstrap::AlreadyPresent);
    }
    let email = email.trim().to_lowercase();
    if !email.contains('@') {
        return Err(Error::field(
            "ADMIN_EMAIL",
            "invalid_email",
            "ADMIN_EMAIL is not an e-mail address",
        ));
    }
    let now = crate::now();
    if let Some(existing) = users::Entity::find()
        .filter(users::Column::Email.eq(&email))
        .one(db)
        .await?
    {
        // Whoever registered this address may not be the operator: the account gets the
        // configured password, and every credential it had ends (access tokens, refresh tokens
        // and API keys) in the same transaction as the promotion.
        let id = existing.id;
        let hash = passwords.hash(password).await?;
        let txn = crate::db::begin(db).await?;
        let mut row: users::ActiveModel = existing.into();
        row.role = Set(UserRole::Admin);
        row.status = Set(UserStatus::Active);
        row.password = Set(Secret::new(hash));
        row.updated_at = Set(now);
        row.update(&txn).await?;
        crate::auth::credentials::end_all(&txn, id).await?;
        txn.commit().await?;
        return Ok(Bootstrap::Promoted(id));
    }
    let hash = passwords.hash(password).await?;
    let row = users::ActiveModel {
        email: Set(email),
        password: Set(Secret::new(hash)),
        role: Set(UserRole::Admin),
        first_name: Set("Platform".to_owned()),
        last_name: Set("Administrator".to_owned()),
        language: Set(Language::En),
        email_verified_at: Set(Some(now)),
        status: Set(UserStatus::Active),
        created_at: Set(now),
        updated_at: Set(now),
        credential_version: Set(0),
        event_seq: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Bootstrap::Created(row.id))
}
