//! `enrollments`: A learner's access to a course.

use crate::{enums::EnrollmentSource, enums::EnrollmentStatus};
use sea_orm::entity::prelude::*;

/// A row of `enrollments`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "enrollments", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    /// References `courses.id`.
    pub course_id: i64,
    pub enrolled_at: DateTimeUtc,
    pub status: EnrollmentStatus,
    pub source: EnrollmentSource,
    /// Course progress 0-100 of this learner.
    pub progress: i32,
    #[sea_orm(nullable)]
    pub completed_at: Option<DateTimeUtc>,
    #[sea_orm(nullable)]
    pub expires_at: Option<DateTimeUtc>,
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
