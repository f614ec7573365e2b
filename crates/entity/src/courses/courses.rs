//! `courses`: The course catalog. Bilingual: every text has an English and a French column.

use crate::{enums::CourseLanguage, enums::CourseStatus};
use sea_orm::entity::prelude::*;

/// A row of `courses`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "courses", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub title: String,
    #[sea_orm(column_type = "String(StringLen::N(255))")]
    pub title_fr: String,
    #[sea_orm(column_type = "String(StringLen::N(191))", unique)]
    pub slug: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    #[sea_orm(column_type = "Text")]
    pub description_fr: String,
    /// Price in cents; 0 means free.
    pub price: i64,
    #[sea_orm(column_type = "Char(Some(3))")]
    pub currency: String,
    pub status: CourseStatus,
    pub language: CourseLanguage,
    /// SLE level (A, B, C) or CEFR level (A1-C2).
    #[sea_orm(column_type = "String(StringLen::N(8))")]
    pub level: String,
    #[sea_orm(column_type = "String(StringLen::N(64))", nullable)]
    pub category: Option<String>,
    /// References `users.id`.
    #[sea_orm(nullable)]
    pub instructor_id: Option<i64>,
    pub has_certificate: bool,
    #[sea_orm(nullable)]
    pub published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::InstructorId",
        to = "crate::users::users::Column::Id",
        on_delete = "SetNull"
    )]
    Users,
    #[sea_orm(has_many = "crate::courses::modules::Entity")]
    Modules,
    #[sea_orm(has_many = "crate::enrollments::enrollments::Entity")]
    Enrollments,
    #[sea_orm(has_many = "crate::certificates::certificates::Entity")]
    Certificates,
    #[sea_orm(has_many = "crate::courses::course_reviews::Entity")]
    CourseReviews,
    #[sea_orm(has_many = "crate::courses::learning_path_courses::Entity")]
    LearningPathCourses,
    #[sea_orm(has_many = "crate::progress::progress_snapshots::Entity")]
    ProgressSnapshots,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::courses::modules::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Modules.def()
    }
}

impl Related<crate::enrollments::enrollments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Enrollments.def()
    }
}

impl Related<crate::certificates::certificates::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Certificates.def()
    }
}

impl Related<crate::courses::course_reviews::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CourseReviews.def()
    }
}

impl Related<crate::courses::learning_path_courses::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LearningPathCourses.def()
    }
}

impl Related<crate::progress::progress_snapshots::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProgressSnapshots.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
