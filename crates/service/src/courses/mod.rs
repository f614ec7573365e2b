//! The catalog: courses, modules and lessons (authoring and the public catalog), reviews and
//! learning paths.
//!
//! Invariants this domain keeps:
//! - Visibility: a `published` course is visible to everyone; a `draft` or `archived` one only to
//!   administrators and its instructor (`courses.instructorId`). Anyone else gets
//!   [`NOT_FOUND`](crate::problem::NOT_FOUND), so drafts do not leak their existence. A forbidden write on a visible
//!   course is [`FORBIDDEN`](crate::problem::FORBIDDEN).
//! - Authoring (courses, modules, lessons) is for administrators and the course's instructor; API
//!   keys additionally need the `courses:write` scope.
//! - A published course has `publishedAt` set (the catalog is ordered by it) and passed the
//!   publication rules of [`authoring::publish_course`].
//! - Lesson `content`/`contentFr` reach only callers with access ([`has_access`]), the
//!   instructor, administrators, or anyone for preview lessons. `quizQuestions.correctAnswer`
//!   is never read here.
//! - Every write sets `updatedAt` (TiDB has no triggers); module and lesson writes also touch
//!   their course, so the course's version (ETag) follows its outline.
//! - Timestamps are written with microsecond precision (what `DATETIME(6)` keeps), so a value
//!   read back equals the value written on every backend.
//! - Reads run a fixed number of queries whatever the catalog size (no N+1): see
//!   [`catalog::list`] and [`catalog::get`].

pub mod authoring;
pub mod catalog;
pub mod outline;
pub mod paths;
pub mod quizzes;
pub mod reviews;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::courses::{course_reviews, courses, lessons, modules};
use entity::enums::{CourseStatus, UserRole};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::auth::actor::Actor;
use crate::problem::{FORBIDDEN, NOT_FOUND, PRECONDITION_FAILED};
use crate::{Error, Result};

crate::problems! {
    pub SLUG_TAKEN: Conflict = "slug_taken",
        "Another course already uses this slug.",
        "Un autre cours utilise déjà cet identifiant d'adresse (slug).";
    pub ORDER_TAKEN: Conflict = "order_taken",
        "Another item already has this position.",
        "Un autre élément occupe déjà cette position.";
    pub COURSE_NOT_PUBLISHABLE: Unprocessable = "course_not_publishable",
        "A course needs at least one module with at least one lesson to be published.",
        "Un cours doit compter au moins un module contenant au moins une leçon pour être publié.";
    pub COURSE_CHANGED: Conflict = "course_changed",
        "The course changed while it was being published; try again.",
        "Le cours a changé pendant sa publication ; réessayez.";
    pub ALREADY_REVIEWED: Conflict = "already_reviewed",
        "You have already reviewed this course.",
        "Vous avez déjà évalué ce cours.";
}

/// Scope an API key needs to author courses (sessions pass).
pub const WRITE_SCOPE: &str = "courses:write";
/// The API-key scope that reads lesson content and quizzes.
pub const LEARNING_READ: &str = "learning:read";

pub(crate) use crate::now;

/// Average rating and number of reviews of a course.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rating {
    /// Mean of the ratings, rounded to two decimals; `None` without reviews.
    pub average: Option<f64>,
    pub count: i64,
}

impl Rating {
    /// Summarises `(rating, count)` pairs.
    fn from_distribution(pairs: impl IntoIterator<Item = (i32, i64)>) -> Self {
        let (mut sum, mut count) = (0_i64, 0_i64);
        for (rating, n) in pairs {
            sum += i64::from(rating) * n;
            count += n;
        }
        let average = (count > 0).then(|| {
            // Ratings are 1-5 and counts far below 2^52: the conversion is exact.
            #[allow(clippy::cast_precision_loss)]
            let mean = sum as f64 / count as f64;
            (mean * 100.0).round() / 100.0
        });
        Self { average, count }
    }
}

/// A course with its rating summary: what the catalog lists.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseSummary {
    pub course: courses::Model,
    pub rating: Rating,
}

/// How a course or learning path is named in a URL: a number is an id, anything else a slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Id(i64),
    Slug(String),
}

impl Key {
    /// Reads `raw` (`"42"` → id 42, `"sle-oral-b"` → slug). Slugs are never all digits, so the
    /// two cannot be confused.
    pub fn parse(raw: &str) -> Self {
        match raw.parse::<i64>() {
            Ok(id) => Self::Id(id),
            Err(_) => Self::Slug(raw.to_owned()),
        }
    }
}

/// The version tag of a row (`W/"<id>-<updatedAt in µs>"`), sent as `ETag`.
pub fn etag(id: i64, updated_at: DateTime<Utc>) -> String {
    format!("W/\"{id}-{}\"", updated_at.timestamp_micros())
}

/// What the writer believes the current version is (`If-Match`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// `*`: any current version.
    Any,
    /// One of these entity tags (weak comparison: `W/` prefixes are ignored).
    Tags(Vec<String>),
}

impl Precondition {
    /// Parses an `If-Match` header value.
    pub fn parse(header: &str) -> Self {
        let header = header.trim();
        if header == "*" {
            return Self::Any;
        }
        Self::Tags(
            header
                .split(',')
                .map(|tag| tag.trim().to_owned())
                .filter(|tag| !tag.is_empty())
                .collect(),
        )
    }

    fn opaque(tag: &str) -> &str {
        tag.strip_prefix("W/").unwrap_or(tag)
    }

    /// Refuses (412 `precondition_failed`) when the row changed since the writer read it.
    pub fn check(&self, id: i64, updated_at: DateTime<Utc>) -> Result<()> {
        let current = etag(id, updated_at);
        let matches = match self {
            Self::Any => true,
            Self::Tags(tags) => tags
                .iter()
                .any(|tag| Self::opaque(tag) == Self::opaque(&current)),
        };
        if matches { Ok(()) } else { Err(stale()) }
    }
}

/// The error of a lost optimistic-concurrency race.
pub(crate) fn stale() -> Error {
    Error::from(PRECONDITION_FAILED)
}

/// Whether `actor` may author `course` (administrator or its instructor).
pub fn can_author(actor: Option<&Actor>, course: &courses::Model) -> bool {
    actor.is_some_and(|a| authors(a, course.instructor_id))
}

/// Whether `actor` authors a course taught by `instructor`: an administrator, or that coach
/// (a demoted instructor no longer does). An API key authors only with `courses:write`: without
/// it, a key sees what the public sees.
pub fn authors(actor: &Actor, instructor: Option<i64>) -> bool {
    let key_may_author = actor
        .scopes
        .as_ref()
        .is_none_or(|scopes| scopes.iter().any(|s| s == WRITE_SCOPE));
    key_may_author
        && (actor.is_admin()
            || (actor.role == UserRole::Coach && instructor == Some(actor.user_id)))
}

/// Whether `actor` may see `course` at all.
pub fn can_see(actor: Option<&Actor>, course: &courses::Model) -> bool {
    course.status == CourseStatus::Published || can_author(actor, course)
}

/// Whether `actor` may see `course`, counting learners enrolled in an archived course: archiving
/// takes a course out of the catalog but not away from the people who have it.
pub async fn can_see_now(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    course: &courses::Model,
) -> Result<bool> {
    if can_see(actor, course) {
        return Ok(true);
    }
    match actor {
        Some(actor) if course.status == CourseStatus::Archived => {
            has_access(db, actor.user_id, course.id).await
        }
        _ => Ok(false),
    }
}

/// Refuses a write on `course`: 404 when the caller cannot even see it, 403 `forbidden` when
/// they can but are neither an administrator nor its instructor, 403 `insufficient_scope` for
/// an API key without `courses:write`.
pub(crate) fn authorize_write(actor: &Actor, course: &courses::Model) -> Result<()> {
    if !can_see(Some(actor), course) {
        return Err(NOT_FOUND.into());
    }
    if !can_author(Some(actor), course) {
        return Err(Error::from(FORBIDDEN));
    }
    actor.require_scope(WRITE_SCOPE)
}

/// A module and its course.
pub(crate) async fn module_context(
    db: &impl ConnectionTrait,
    module_id: i64,
) -> Result<(modules::Model, courses::Model)> {
    match modules::Entity::find_by_id(module_id)
        .find_also_related(courses::Entity)
        .one(db)
        .await?
    {
        Some((module, Some(course))) => Ok((module, course)),
        _ => Err(NOT_FOUND.into()),
    }
}

/// A lesson, its module and its course (two queries).
pub(crate) async fn lesson_context(
    db: &impl ConnectionTrait,
    lesson_id: i64,
) -> Result<(lessons::Model, modules::Model, courses::Model)> {
    let lesson = lessons::Entity::find_by_id(lesson_id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    let (module, course) = module_context(db, lesson.module_id).await?;
    Ok((lesson, module, course))
}

pub use crate::enrollments::has_access;

/// Rating summaries of `course_ids` in one query (courses without reviews are absent).
///
/// The database returns the distribution `(courseId, rating, count)`; the mean is computed here
/// because `AVG`/`SUM` of integers is `DECIMAL` on MySQL, which does not decode as a float.
pub(crate) async fn ratings(
    db: &impl ConnectionTrait,
    course_ids: &[i64],
) -> Result<HashMap<i64, Rating>> {
    if course_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i32, i64)> = course_reviews::Entity::find()
        .select_only()
        .column(course_reviews::Column::CourseId)
        .column(course_reviews::Column::Rating)
        .column_as(
            Expr::expr(Func::count(Expr::col(course_reviews::Column::Id))),
            "n",
        )
        .filter(course_reviews::Column::CourseId.is_in(course_ids.iter().copied()))
        .group_by(course_reviews::Column::CourseId)
        .group_by(course_reviews::Column::Rating)
        .into_tuple()
        .all(db)
        .await?;
    let mut grouped: HashMap<i64, Vec<(i32, i64)>> = HashMap::new();
    for (course_id, rating, n) in rows {
        grouped.entry(course_id).or_default().push((rating, n));
    }
    Ok(grouped
        .into_iter()
        .map(|(id, pairs)| (id, Rating::from_distribution(pairs)))
        .collect())
}

/// Attaches ratings to courses with one query for the whole list.
pub(crate) async fn summaries(
    db: &impl ConnectionTrait,
    courses: Vec<courses::Model>,
) -> Result<Vec<CourseSummary>> {
    let ids: Vec<i64> = courses.iter().map(|c| c.id).collect();
    let ratings = ratings(db, &ids).await?;
    Ok(courses
        .into_iter()
        .map(|course| CourseSummary {
            rating: ratings.get(&course.id).copied().unwrap_or_default(),
            course,
        })
        .collect())
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub(crate) fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_average_the_distribution() {
        let r = Rating::from_distribution([(5, 2), (4, 1)]);
        assert_eq!(r.count, 3);
        assert_eq!(r.average, Some(4.67));
        assert_eq!(Rating::from_distribution([]).average, None);
    }

    #[test]
    fn keys_and_preconditions_parse() {
        assert_eq!(Key::parse("42"), Key::Id(42));
        assert_eq!(Key::parse("sle-b"), Key::Slug("sle-b".into()));
        let at = DateTime::from_timestamp_micros(1_795_000_000_123_456).unwrap();
        let tag = etag(7, at);
        assert_eq!(tag, "W/\"7-1795000000123456\"");
        assert!(Precondition::parse(&tag).check(7, at).is_ok());
        assert!(
            Precondition::parse("\"7-1795000000123456\"")
                .check(7, at)
                .is_ok()
        );
        assert!(Precondition::parse("*").check(7, at).is_ok());
        assert!(
            Precondition::parse("W/\"7-1\", W/\"8-2\"")
                .check(7, at)
                .is_err()
        );
    }
}
