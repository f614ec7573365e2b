//! Creates the first administrator from configuration when the platform has none.

use entity::Secret;
use entity::enums::{Language, UserRole, UserStatus};
use entity::users::users;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};

use crate::auth::password::Passwords;
use crate::{Error, Result};

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
/// (created with `password` if it does not exist; an existing account keeps its password).
pub async fn ensure_admin(
    db: &DatabaseConnection,
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
        let id = existing.id;
        let mut row: users::ActiveModel = existing.into();
        row.role = Set(UserRole::Admin);
        row.status = Set(UserStatus::Active);
        row.updated_at = Set(now);
        row.update(db).await?;
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
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Bootstrap::Created(row.id))
}
