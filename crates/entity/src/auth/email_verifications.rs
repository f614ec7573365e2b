//! `emailVerifications`: E-mail verification tokens (hashed like password resets).

use crate::Secret;
use sea_orm::entity::prelude::*;

/// A row of `emailVerifications`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "emailVerifications", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    /// SECRET-DERIVED: hex SHA-256 of the e-mailed secret.
    #[sea_orm(column_type = "String(StringLen::N(64))", unique)]
    pub token: Secret,
    pub expires_at: DateTimeUtc,
    #[sea_orm(nullable)]
    pub used_at: Option<DateTimeUtc>,
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
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
