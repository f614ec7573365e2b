//! `idempotencyKeys`: `Idempotency-Key` replay store: the first response to a key is replayed for the same request.

use sea_orm::entity::prelude::*;

/// A row of `idempotencyKeys`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotencyKeys", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub key: String,
    #[sea_orm(column_type = "String(StringLen::N(10))")]
    pub method: String,
    #[sea_orm(column_type = "String(StringLen::N(512))")]
    pub path: String,
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub request_hash: String,
    #[sea_orm(nullable)]
    pub response_status: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub response_body: Option<String>,
    #[sea_orm(nullable)]
    pub locked_until: Option<DateTimeUtc>,
    pub expires_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
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
