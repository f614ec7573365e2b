//! `certificates`: Completion certificates: one per learner and course, signed with Ed25519.

use crate::enums::Language;
use sea_orm::entity::prelude::*;

/// A row of `certificates`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    /// References `courses.id`.
    pub course_id: i64,
    pub issued_at: DateTimeUtc,
    /// Public, unguessable number (`RA-` + 12 base32 characters).
    #[sea_orm(column_type = "String(StringLen::N(32))", unique)]
    pub number: String,
    pub language: Language,
    /// Name as printed and signed at issue time; empty once the holder's account is deleted
    /// (see `holder_erased_at`).
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub recipient_name: String,
    /// Course title as printed and signed, in the certificate language.
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub course_title: String,
    /// Base64 Ed25519 signature over (number, recipient name, course title, issue date).
    #[sea_orm(column_type = "String(StringLen::N(128))")]
    pub signature: String,
    pub created_at: DateTimeUtc,
    /// When the holder's account was deleted and their name erased from the certificate
    /// (`NULL` while the holder's account exists).
    pub holder_erased_at: Option<DateTimeUtc>,
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
        belongs_to = "crate::courses::courses::Entity",
        from = "Column::CourseId",
        to = "crate::courses::courses::Column::Id",
        on_delete = "Cascade"
    )]
    Courses,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::courses::courses::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Courses.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
