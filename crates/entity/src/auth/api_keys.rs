//! `apiKeys`: Integrator API keys. The key is shown once; only its hash and a visible prefix are stored.

use crate::Secret;
use sea_orm::entity::prelude::*;

/// A row of `apiKeys`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "apiKeys", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub owner_id: i64,
    #[sea_orm(column_type = "String(StringLen::N(100))")]
    pub name: String,
    #[sea_orm(column_type = "String(StringLen::N(32))", unique)]
    pub key_prefix: String,
    /// SECRET-DERIVED: hex SHA-256 of the key.
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub key_hash: Secret,
    pub scopes: Json,
    #[sea_orm(nullable)]
    pub last_used_at: Option<DateTimeUtc>,
    #[sea_orm(nullable)]
    pub expires_at: Option<DateTimeUtc>,
    #[sea_orm(nullable)]
    pub revoked_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::OwnerId",
        to = "crate::users::users::Column::Id",
        on_delete = "Cascade"
    )]
    Users,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
