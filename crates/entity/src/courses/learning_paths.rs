//! `learningPaths`: Sold bundles of courses (for example "Path I-VI").

use crate::enums::CourseStatus;
use sea_orm::entity::prelude::*;

/// A row of `learningPaths`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "learningPaths", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub title: String,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub title_fr: String,
    #[sea_orm(column_type = "String(StringLen::N(191))", unique)]
    pub slug: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub description_fr: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(8))")]
    pub level: String,
    pub price: i64,
    #[sea_orm(column_type = "Char(Some(3))")]
    pub currency: String,
    pub status: CourseStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "crate::courses::learning_path_courses::Entity")]
    LearningPathCourses,
}

impl Related<crate::courses::learning_path_courses::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LearningPathCourses.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
