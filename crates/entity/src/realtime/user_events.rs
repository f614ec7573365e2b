//! `userEvents`: what each user is told in real time (a chat message, a read marker, a
//! notification), numbered per user by `users.eventSeq` in commit order.

use sea_orm::entity::prelude::*;

/// A row of `userEvents`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "userEvents", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`: the recipient.
    pub user_id: i64,
    /// The recipient's `eventSeq` when the event was written: unique per user, increasing in
    /// commit order; the stream's `id:` and `Last-Event-ID`.
    pub seq: i64,
    /// `chat.message`, `chat.read`, `notification`, ...
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub r#type: String,
    pub data: Json,
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
