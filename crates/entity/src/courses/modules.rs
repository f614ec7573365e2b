//! `modules`: Ordered modules of a course.

use sea_orm::entity::prelude::*;

/// A row of `modules`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "modules", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `courses.id`.
    pub course_id: i64,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub title: String,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub title_fr: String,
    pub order: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::courses::courses::Entity",
        from = "Column::CourseId",
        to = "crate::courses::courses::Column::Id",
        on_delete = "Cascade"
    )]
    Courses,
    #[sea_orm(has_many = "crate::courses::lessons::Entity")]
    Lessons,
}

impl Related<crate::courses::courses::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Courses.def()
    }
}

impl Related<crate::courses::lessons::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lessons.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
