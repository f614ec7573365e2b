//! `quizQuestions`: Questions of a quiz lesson. `correctAnswer` is never sent to learners.

use sea_orm::entity::prelude::*;

/// A row of `quizQuestions`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quizQuestions", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `lessons.id`.
    pub lesson_id: i64,
    #[sea_orm(column_type = "Text")]
    pub question: String,
    #[sea_orm(column_type = "Text")]
    pub question_fr: String,
    pub options: Json,
    /// CONFIDENTIAL: never part of a learner-facing response before grading.
    pub correct_answer: Json,
    #[sea_orm(column_type = "Text", nullable)]
    pub explanation: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub explanation_fr: Option<String>,
    pub order: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::courses::lessons::Entity",
        from = "Column::LessonId",
        to = "crate::courses::lessons::Column::Id",
        on_delete = "Cascade"
    )]
    Lessons,
}

impl Related<crate::courses::lessons::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lessons.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
