//! `lessonProgress`: Progress of one learner in one lesson; merged from online and offline updates.

use sea_orm::entity::prelude::*;

/// A row of `lessonProgress`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lessonProgress", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    /// References `lessons.id`.
    pub lesson_id: i64,
    /// 0-100, never decreases.
    pub progress: i32,
    /// Sticky once set.
    #[sea_orm(nullable)]
    pub completed_at: Option<DateTimeUtc>,
    #[sea_orm(nullable)]
    pub last_sync_at: Option<DateTimeUtc>,
    pub time_spent_seconds: i64,
    pub sync_version: i32,
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
    #[sea_orm(
        belongs_to = "crate::courses::lessons::Entity",
        from = "Column::LessonId",
        to = "crate::courses::lessons::Column::Id",
        on_delete = "Cascade"
    )]
    Lessons,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::courses::lessons::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lessons.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
