//! `refreshTokens`: Refresh tokens, rotated on every use. Reusing a rotated token revokes its whole family.

use crate::Secret;
use sea_orm::entity::prelude::*;

/// A row of `refreshTokens`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "refreshTokens", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    /// SECRET-DERIVED: hex SHA-256 of the opaque token.
    #[sea_orm(column_type = "String(StringLen::N(64))", unique)]
    pub token_hash: Secret,
    /// Shared by every token descended from one login.
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub family_id: String,
    pub expires_at: DateTimeUtc,
    #[sea_orm(nullable)]
    pub revoked_at: Option<DateTimeUtc>,
    /// References `refreshTokens.id`.
    #[sea_orm(nullable)]
    pub replaced_by_id: Option<i64>,
    #[sea_orm(column_type = "String(StringLen::N(512))", nullable)]
    pub user_agent: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(64))", nullable)]
    pub ip: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::UserId",
        to = "crate::users::users::Column::Id",
        on_delete = "Cascade"
    )]
    Users,
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ReplacedById",
        to = "Column::Id",
        on_delete = "SetNull"
    )]
    ReplacedBy,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
