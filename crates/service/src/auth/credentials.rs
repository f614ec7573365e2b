//! Ending an account's credentials. Every event that should end them calls [`end_all`] in its own
//! transaction, and every credential kind ends at once:
//!
//! | event | where |
//! |---|---|
//! | password reset | `recovery::confirm_password_reset` |
//! | suspension or any role change by an administrator | `users::admin::update` |
//! | deletion by the owner | `users::delete_me` |
//! | promotion by the first-administrator bootstrap | `admin::bootstrap::ensure_admin` |
//!
//! | credential | how it ends |
//! |---|---|
//! | access token (JWT) | `users.credentialVersion` moves on; tokens carry the version they were issued under |
//! | refresh token | revoked (`refreshTokens.revokedAt`) |
//! | API key | revoked (`apiKeys.revokedAt`) |
//! | password-reset link | spent (`passwordResets.usedAt`) |
//!
//! Issuing a credential (signing in, creating a key) takes the account row's lock and checks the
//! version again ([`lock_current`] and `sessions::login`), so a credential issued while an event
//! runs cannot outlive it.
//!
//! Logging out ends one session's refresh tokens only; its access token lives out its 15 minutes.

use entity::auth::api_keys;
use entity::enums::UserStatus;
use entity::users::users;
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::INVALID_TOKEN;
use crate::auth::actor::Actor;
use crate::{Error, Result};

/// What [`end_all`] ended, for the audit log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ended {
    pub refresh_tokens: u64,
    pub api_keys: u64,
}

impl Ended {
    /// The audit entry's summary.
    pub fn to_json(self) -> serde_json::Value {
        serde_json::json!({
            "revokedRefreshTokens": self.refresh_tokens,
            "revokedApiKeys": self.api_keys,
        })
    }
}

/// Locks the caller's account row and checks that no event ended its credentials since the
/// caller was authenticated (and that it is still active): a credential issued under this lock
/// cannot outlive such an event, which takes the same lock. 401 `invalid_token` otherwise.
pub async fn lock_current(db: &impl ConnectionTrait, actor: &Actor) -> Result<users::Model> {
    crate::db::lock::<users::Entity>(db, users::Column::Id, actor.user_id).await?;
    users::Entity::find_by_id(actor.user_id)
        .one(db)
        .await?
        .filter(|user| {
            user.status == UserStatus::Active && user.credential_version == actor.credential_version
        })
        .ok_or(Error::from(INVALID_TOKEN))
}

/// Ends every credential of `user_id`: its access tokens, refresh tokens and API keys. Call it in
/// the transaction of the event that requires it.
pub async fn end_all(db: &impl ConnectionTrait, user_id: i64) -> Result<Ended> {
    users::Entity::update_many()
        .col_expr(
            users::Column::CredentialVersion,
            Expr::col(users::Column::CredentialVersion).add(1),
        )
        .filter(users::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    let refresh_tokens = super::sessions::revoke_all(db, user_id).await?;
    // A reset link mailed before the event must not set a password after it.
    super::recovery::spend_reset_links(db, user_id, crate::now()).await?;
    let api_keys = api_keys::Entity::update_many()
        .col_expr(api_keys::Column::RevokedAt, Expr::value(crate::now()))
        .filter(api_keys::Column::OwnerId.eq(user_id))
        .filter(api_keys::Column::RevokedAt.is_null())
        .exec(db)
        .await?
        .rows_affected;
    Ok(Ended {
        refresh_tokens,
        api_keys,
    })
}
