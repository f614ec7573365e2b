//! Course reviews: one per learner and course (`UQ(userId, courseId)`), written only by
//! someone with access to the course, rating 1-5. The course's rating summary is computed from
//! them on read.

use entity::courses::{course_reviews, courses};
use entity::users::users;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{can_see, has_access, now};
use crate::auth::actor::Actor;
use crate::courses::ALREADY_REVIEWED;
use crate::db::Db;
use crate::enrollments::ENROLLMENT_REQUIRED;
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::NOT_FOUND;
use crate::{Error, Result};

/// Longest comment (characters).
pub const MAX_COMMENT: usize = 5000;

/// A review and how its author is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub review: course_reviews::Model,
    /// First name and last initial (`Marie T.`): enough to be human, not enough to identify.
    pub author_name: String,
}

fn author_name(user: Option<&users::Model>) -> String {
    let Some(user) = user else {
        return String::new();
    };
    match user.last_name.chars().next() {
        Some(initial) => format!("{} {initial}.", user.first_name),
        None => user.first_name.clone(),
    }
}

/// The course `course_id` if `actor` may see it.
async fn visible_course(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    course_id: i64,
) -> Result<courses::Model> {
    courses::Entity::find_by_id(course_id)
        .one(db)
        .await?
        .filter(|c| can_see(actor, c))
        .ok_or(NOT_FOUND.into())
}

/// Reviews of a visible course, newest first (two queries).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    course_id: i64,
    page: PageRequest,
) -> Result<Page<Review>> {
    let course = visible_course(db, actor, course_id).await?;
    let query =
        course_reviews::Entity::find().filter(course_reviews::Column::CourseId.eq(course.id));
    let rows = pagination::keyset(
        query,
        course_reviews::Column::CreatedAt,
        course_reviews::Column::Id,
        &page,
    )
    .find_also_related(users::Entity)
    .all(db)
    .await?;
    let page = pagination::finish(rows, &page, |(r, _)| Cursor {
        at: r.created_at,
        id: r.id,
    });
    Ok(page.map(|(review, user)| Review {
        author_name: author_name(user.as_ref()),
        review,
    }))
}

/// A new review.
#[derive(Debug, Clone)]
pub struct NewReview {
    /// 1-5.
    pub rating: i32,
    pub comment: Option<String>,
}

/// Reviews a course. The caller needs access to it (an `active` or `completed` enrollment;
/// else 403 `enrollment_required`), and reviews it once (409 `already_reviewed`). API keys
/// cannot review (403 `insufficient_scope`).
pub async fn create(
    db: &impl Db,
    actor: &Actor,
    course_id: i64,
    input: NewReview,
) -> Result<Review> {
    actor.require_session()?;
    let mut errors = Vec::new();
    if !(1..=5).contains(&input.rating) {
        errors.push(crate::FieldError {
            field: "rating".into(),
            code: "out_of_range".into(),
            message: "must be between 1 and 5".into(),
        });
    }
    let comment = input
        .comment
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_COMMENT)
    {
        errors.push(crate::FieldError {
            field: "comment".into(),
            code: "too_long".into(),
            message: format!("must be at most {MAX_COMMENT} characters"),
        });
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let course = visible_course(db, Some(actor), course_id).await?;
    if !has_access(db, actor.user_id, course.id).await? {
        return Err(Error::from(ENROLLMENT_REQUIRED));
    }
    let at = now();
    let review = course_reviews::ActiveModel {
        user_id: Set(actor.user_id),
        course_id: Set(course.id),
        rating: Set(input.rating),
        comment: Set(comment),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|err| {
        if Error::is_unique_violation(&err) {
            Error::from(ALREADY_REVIEWED)
        } else {
            err.into()
        }
    })?;
    let user = users::Entity::find_by_id(actor.user_id).one(db).await?;
    Ok(Review {
        author_name: author_name(user.as_ref()),
        review,
    })
}
