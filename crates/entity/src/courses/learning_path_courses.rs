//! `learningPathCourses`: Ordered membership of courses in learning paths.

use sea_orm::entity::prelude::*;

/// A row of `learningPathCourses`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "learningPathCourses", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `learningPaths.id`.
    pub path_id: i64,
    /// References `courses.id`.
    pub course_id: i64,
    pub order: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::courses::learning_paths::Entity",
        from = "Column::PathId",
        to = "crate::courses::learning_paths::Column::Id",
        on_delete = "Cascade"
    )]
    LearningPaths,
    #[sea_orm(
        belongs_to = "crate::courses::courses::Entity",
        from = "Column::CourseId",
        to = "crate::courses::courses::Column::Id",
        on_delete = "Cascade"
    )]
    Courses,
}

impl Related<crate::courses::learning_paths::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LearningPaths.def()
    }
}

impl Related<crate::courses::courses::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Courses.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
