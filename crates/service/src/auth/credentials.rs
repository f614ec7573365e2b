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
//!
//! Logging out ends one session's refresh tokens only; its access token lives out its 15 minutes.

use entity::auth::api_keys;
use entity::users::users;
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::Result;

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
