//! `lessons`: Lessons of a module. `content` is visible only to enrolled learners, the instructor, admins, or for preview lessons.

use crate::enums::LessonType;
use sea_orm::entity::prelude::*;

/// A row of `lessons`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lessons", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `modules.id`.
    pub module_id: i64,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub title: String,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub title_fr: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub content: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub content_fr: Option<String>,
    pub r#type: LessonType,
    /// Duration in seconds.
    pub duration: i32,
    pub order: i32,
    pub is_preview: bool,
    /// Quiz pass mark in percent (70 when unset).
    #[sea_orm(nullable)]
    pub pass_mark: Option<i32>,
    /// Quiz attempt limit (3 when unset).
    #[sea_orm(nullable)]
    pub max_attempts: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::courses::modules::Entity",
        from = "Column::ModuleId",
        to = "crate::courses::modules::Column::Id",
        on_delete = "Cascade"
    )]
    Modules,
    #[sea_orm(has_many = "crate::progress::lesson_progress::Entity")]
    LessonProgress,
    #[sea_orm(has_many = "crate::courses::quiz_questions::Entity")]
    QuizQuestions,
    #[sea_orm(has_many = "crate::courses::quiz_attempts::Entity")]
    QuizAttempts,
    #[sea_orm(has_many = "crate::progress::progress_sync_queue::Entity")]
    ProgressSyncQueue,
}

impl Related<crate::courses::modules::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Modules.def()
    }
}

impl Related<crate::progress::lesson_progress::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LessonProgress.def()
    }
}

impl Related<crate::courses::quiz_questions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::QuizQuestions.def()
    }
}

impl Related<crate::courses::quiz_attempts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::QuizAttempts.def()
    }
}

impl Related<crate::progress::progress_sync_queue::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProgressSyncQueue.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
