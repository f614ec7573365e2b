//! Request and response types of the enrollments domain.

use chrono::{DateTime, Utc};
use entity::courses::courses;
use entity::enrollments::enrollments;
use entity::enums::{CourseLanguage, EnrollmentSource, EnrollmentStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::bounded::Id;

/// An enrollment.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnrollmentDto {
    pub id: i64,
    pub user_id: i64,
    pub course_id: i64,
    pub status: EnrollmentStatus,
    pub source: EnrollmentSource,
    /// Course progress 0-100.
    pub progress: i32,
    pub enrolled_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<enrollments::Model> for EnrollmentDto {
    fn from(e: enrollments::Model) -> Self {
        Self {
            id: e.id,
            user_id: e.user_id,
            course_id: e.course_id,
            status: e.status,
            source: e.source,
            progress: e.progress,
            enrolled_at: e.enrolled_at,
            completed_at: e.completed_at,
            expires_at: e.expires_at,
        }
    }
}

/// The course of one of my enrollments.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnrolledCourseDto {
    pub id: i64,
    pub title: String,
    pub title_fr: String,
    pub slug: String,
    pub level: String,
    pub language: CourseLanguage,
}

impl From<courses::Model> for EnrolledCourseDto {
    fn from(c: courses::Model) -> Self {
        Self {
            id: c.id,
            title: c.title,
            title_fr: c.title_fr,
            slug: c.slug,
            level: c.level,
            language: c.language,
        }
    }
}

/// One of my enrollments with its course.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyEnrollmentDto {
    #[serde(flatten)]
    pub enrollment: EnrollmentDto,
    pub course: EnrolledCourseDto,
}

impl From<(enrollments::Model, courses::Model)> for MyEnrollmentDto {
    fn from((enrollment, course): (enrollments::Model, courses::Model)) -> Self {
        Self {
            enrollment: enrollment.into(),
            course: course.into(),
        }
    }
}

/// An administrator's grant.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"userId": 12, "courseId": 3}))]
pub struct GrantRequest {
    pub user_id: Id,
    pub course_id: Id,
}
