//! `auditLogs`: Who did what: administrative and security events, with before/after images.

use sea_orm::entity::prelude::*;

/// A row of `auditLogs`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "auditLogs", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    #[sea_orm(nullable)]
    pub actor_id: Option<i64>,
    #[sea_orm(column_type = "String(StringLen::N(100))")]
    pub action: String,
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub entity_type: String,
    #[sea_orm(nullable)]
    pub entity_id: Option<i64>,
    #[sea_orm(nullable)]
    pub before: Option<Json>,
    #[sea_orm(nullable)]
    pub after: Option<Json>,
    #[sea_orm(column_type = "String(StringLen::N(64))", nullable)]
    pub ip: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(64))", nullable)]
    pub request_id: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::ActorId",
        to = "crate::users::users::Column::Id",
        on_delete = "SetNull"
    )]
    Users,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
