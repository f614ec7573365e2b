//! Authoring courses: create, change, publish and archive.
//!
//! Administrators and coaches create courses; a coach becomes the instructor of what they
//! create, an administrator may name the instructor (a coach or administrator). Afterwards only
//! administrators and the instructor change a course. Courses are never hard-deleted (they are
//! referenced by enrollments, payments and certificates): "delete" archives.

use std::collections::HashSet;

use entity::courses::courses;
use entity::enums::{CourseLanguage, CourseStatus, UserRole, UserStatus};
use entity::users::users;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Set,
};

use super::catalog::{self, ModuleOutline};
use super::{
    CourseSummary, Precondition, Rating, WRITE_SCOPE, authorize_write, now, ratings, stale,
};
use crate::auth::actor::Actor;
use crate::courses::{COURSE_CHANGED, COURSE_NOT_PUBLISHABLE, SLUG_TAKEN};
use crate::db::Db;
use crate::problem::NOT_FOUND;
use crate::{Error, FieldError, Result};

/// Levels a course may have: SLE (A, B, C) or CEFR (A1-C2).
pub const LEVELS: &[&str] = &["A", "B", "C", "A1", "A2", "B1", "B2", "C1", "C2"];
/// Longest title (characters).
pub const MAX_TITLE: usize = 255;
/// Longest slug (characters; the unique index is on 191).
pub const MAX_SLUG: usize = 191;
/// Longest category (characters).
pub const MAX_CATEGORY: usize = 64;
/// Longest description (characters; fits a `TEXT` column whatever the characters).
pub const MAX_DESCRIPTION: usize = 16_000;
/// Highest price, in cents (CAD 100,000).
pub const MAX_PRICE: i64 = 10_000_000;
/// Largest `TEXT` value on MySQL/TiDB (bytes).
pub const MAX_TEXT_BYTES: usize = 65_535;
/// Length a derived slug is cut to, leaving room for a `-<n>` suffix.
const DERIVED_SLUG_LEN: usize = 80;

/// Field problems of one request, reported together.
#[derive(Debug, Default)]
pub(crate) struct Checks(Vec<FieldError>);

impl Checks {
    pub(crate) fn fail(&mut self, field: &str, code: &str, message: &str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.to_owned(),
        });
    }

    /// A trimmed, non-blank text of at most `max` characters.
    pub(crate) fn title(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.fail(field, "required", "must not be blank");
        } else if value.chars().count() > max {
            self.fail(
                field,
                "too_long",
                &format!("must be at most {max} characters"),
            );
        }
        value.to_owned()
    }

    /// A long text that fits a `TEXT` column.
    pub(crate) fn text(&mut self, field: &str, value: String) -> String {
        if value.len() > MAX_TEXT_BYTES {
            self.fail(field, "too_long", "must be at most 65535 bytes");
        }
        value
    }

    pub(crate) fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.0))
        }
    }
}

/// A new course.
#[derive(Debug, Clone)]
pub struct NewCourse {
    pub title: String,
    /// May be left empty while drafting; required to publish.
    pub title_fr: Option<String>,
    /// Derived from the title when absent.
    pub slug: Option<String>,
    pub description: Option<String>,
    pub description_fr: Option<String>,
    /// Cents; 0 (free) when absent.
    pub price: Option<i64>,
    /// ISO 4217; `CAD` when absent.
    pub currency: Option<String>,
    pub language: CourseLanguage,
    pub level: String,
    pub category: Option<String>,
    /// `true` when absent.
    pub has_certificate: Option<bool>,
    /// Administrators only; a coach is always the instructor of what they create.
    pub instructor_id: Option<i64>,
}

/// Changes to a course; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CourseChanges {
    pub title: Option<String>,
    pub title_fr: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub description_fr: Option<String>,
    pub price: Option<i64>,
    pub currency: Option<String>,
    pub language: Option<CourseLanguage>,
    pub level: Option<String>,
    /// `Some(None)` clears the category.
    pub category: Option<Option<String>>,
    pub has_certificate: Option<bool>,
    /// Administrators only.
    pub instructor_id: Option<i64>,
}

/// Whether `slug` is lower-case ASCII words joined by single dashes, and not a number (a number
/// in a URL is read as an id).
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.chars().all(|c| c.is_ascii_digit())
}

fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'œ' => "oe",
        'æ' => "ae",
        _ => return None,
    })
}

/// A slug derived from a title: accents folded, lower-case ASCII letters and digits, other runs
/// turned into single dashes (`"Compréhension de l'écrit B"` → `comprehension-de-l-ecrit-b`).
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        let piece: Option<String> = if c.is_ascii_alphanumeric() {
            Some(c.to_string())
        } else {
            fold(c).map(str::to_owned)
        };
        match piece {
            Some(piece) => {
                if pending_dash && !out.is_empty() {
                    out.push('-');
                }
                pending_dash = false;
                out.push_str(&piece);
            }
            None => pending_dash = true,
        }
        if out.len() >= DERIVED_SLUG_LEN {
            break;
        }
    }
    out.truncate(DERIVED_SLUG_LEN);
    let out = out.trim_matches('-').to_owned();
    if out.is_empty() {
        "course".to_owned()
    } else if out.chars().all(|c| c.is_ascii_digit()) {
        format!("course-{out}")
    } else {
        out
    }
}

/// The first of `base`, `base-2`, `base-3`, ... no course uses yet (one query). A concurrent
/// creation may still take it first: the insert then answers 409 `slug_taken`.
async fn free_slug(db: &impl ConnectionTrait, base: &str) -> Result<String> {
    // `base` is made of [a-z0-9-] only: nothing to escape in the LIKE pattern.
    let taken: HashSet<String> = courses::Entity::find()
        .select_only()
        .column(courses::Column::Slug)
        .filter(
            Condition::any()
                .add(courses::Column::Slug.eq(base))
                .add(courses::Column::Slug.like(format!("{base}-%"))),
        )
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    if !taken.contains(base) {
        return Ok(base.to_owned());
    }
    let mut n = 2_u32;
    loop {
        let candidate = format!("{base}-{n}");
        if !taken.contains(&candidate) {
            return Ok(candidate);
        }
        n += 1;
    }
}

fn check_slug(checks: &mut Checks, slug: &str) -> String {
    let slug = slug.trim().to_owned();
    if !is_valid_slug(&slug) {
        checks.fail(
            "slug",
            "invalid_slug",
            "must be lower-case letters, digits and single dashes (not only digits), at most 191 characters",
        );
    }
    slug
}

fn check_currency(checks: &mut Checks, currency: &str) -> String {
    let currency = currency.trim().to_owned();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        checks.fail(
            "currency",
            "invalid_currency",
            "must be three upper-case letters (ISO 4217)",
        );
    }
    currency
}

fn check_level(checks: &mut Checks, level: &str) -> String {
    let level = level.trim().to_ascii_uppercase();
    if !LEVELS.contains(&level.as_str()) {
        checks.fail("level", "invalid_level", "must be A, B, C or A1 to C2");
    }
    level
}

fn check_price(checks: &mut Checks, price: i64) -> i64 {
    if price < 0 {
        checks.fail("price", "out_of_range", "must be zero or more cents");
    }
    price
}

fn check_category(checks: &mut Checks, category: Option<String>) -> Option<String> {
    let category = category
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if category
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_CATEGORY)
    {
        checks.fail("category", "too_long", "must be at most 64 characters");
    }
    category
}

/// Whether `id` may teach: an active coach or administrator.
async fn check_instructor(db: &impl ConnectionTrait, checks: &mut Checks, id: i64) -> Result<()> {
    let user = users::Entity::find_by_id(id).one(db).await?;
    let eligible = user.is_some_and(|u| {
        matches!(u.role, UserRole::Coach | UserRole::Admin) && u.status == UserStatus::Active
    });
    if !eligible {
        checks.fail(
            "instructorId",
            "not_an_instructor",
            "must be an active coach or administrator",
        );
    }
    Ok(())
}

fn slug_conflict(err: DbErr) -> Error {
    if Error::is_unique_violation(&err) {
        Error::from(SLUG_TAKEN)
    } else {
        err.into()
    }
}

/// Creates a draft course (administrators and coaches; 403 `forbidden` for anyone else).
/// An explicit slug that is taken answers 409 `slug_taken`; a derived one gets a free
/// `-<n>` suffix.
pub async fn create_course(db: &impl Db, actor: &Actor, input: NewCourse) -> Result<CourseSummary> {
    actor.require_role(&[UserRole::Admin, UserRole::Coach])?;
    actor.require_scope(WRITE_SCOPE)?;
    let mut checks = Checks::default();
    let title = checks.title("title", &input.title, MAX_TITLE);
    let title_fr = match input.title_fr {
        Some(t) => checks.title("titleFr", &t, MAX_TITLE),
        None => String::new(),
    };
    let explicit_slug = input.slug.map(|s| check_slug(&mut checks, &s));
    let description = checks.text("description", input.description.unwrap_or_default());
    let description_fr = checks.text("descriptionFr", input.description_fr.unwrap_or_default());
    let price = check_price(&mut checks, input.price.unwrap_or(0));
    let currency = check_currency(&mut checks, input.currency.as_deref().unwrap_or("CAD"));
    let level = check_level(&mut checks, &input.level);
    let category = check_category(&mut checks, input.category);
    let instructor_id = if actor.is_admin() {
        if let Some(id) = input.instructor_id {
            check_instructor(db, &mut checks, id).await?;
        }
        input.instructor_id
    } else {
        if input.instructor_id.is_some_and(|id| id != actor.user_id) {
            checks.fail(
                "instructorId",
                "not_allowed",
                "only administrators choose the instructor",
            );
        }
        Some(actor.user_id)
    };
    checks.finish()?;

    let slug = match explicit_slug {
        Some(slug) => slug,
        None => free_slug(db, &slugify(&title)).await?,
    };
    let at = now();
    let course = courses::ActiveModel {
        title: Set(title),
        title_fr: Set(title_fr),
        slug: Set(slug),
        description: Set(description),
        description_fr: Set(description_fr),
        price: Set(price),
        currency: Set(currency),
        status: Set(CourseStatus::Draft),
        language: Set(input.language),
        level: Set(level),
        category: Set(category),
        instructor_id: Set(instructor_id),
        has_certificate: Set(input.has_certificate.unwrap_or(true)),
        published_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(slug_conflict)?;
    Ok(CourseSummary {
        course,
        rating: Rating::default(),
    })
}

/// A course for a write by `actor`, or why not.
pub(crate) async fn course_for_write(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<courses::Model> {
    let course = courses::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    authorize_write(actor, &course)?;
    Ok(course)
}

/// Saves `row`; with a precondition, only if the course still has the version `read` had
/// (otherwise 412 `precondition_failed`).
async fn save(
    db: &impl ConnectionTrait,
    row: courses::ActiveModel,
    read: &courses::Model,
    guarded: bool,
    on_stale: Error,
) -> Result<courses::Model> {
    let mut update = courses::Entity::update(row).validate()?;
    if guarded {
        update = update.filter(courses::Column::UpdatedAt.eq(read.updated_at));
    }
    update.exec(db).await.map_err(|err| match err {
        DbErr::RecordNotUpdated => on_stale,
        err => slug_conflict(err),
    })
}

async fn with_rating(db: &impl ConnectionTrait, course: courses::Model) -> Result<CourseSummary> {
    let rating = ratings(db, &[course.id])
        .await?
        .remove(&course.id)
        .unwrap_or_default();
    Ok(CourseSummary { course, rating })
}

/// Changes a course (administrators and its instructor). With `If-Match`, a course changed in
/// the meantime answers 412 `precondition_failed` and nothing is written.
pub async fn update_course(
    db: &impl Db,
    actor: &Actor,
    id: i64,
    changes: CourseChanges,
    precondition: Option<&Precondition>,
) -> Result<CourseSummary> {
    let course = course_for_write(db, actor, id).await?;
    if let Some(precondition) = precondition {
        precondition.check(course.id, course.updated_at)?;
    }
    let mut checks = Checks::default();
    let mut row: courses::ActiveModel = course.clone().into();
    if let Some(title) = changes.title {
        row.title = Set(checks.title("title", &title, MAX_TITLE));
    }
    if let Some(title_fr) = changes.title_fr {
        row.title_fr = Set(checks.title("titleFr", &title_fr, MAX_TITLE));
    }
    if let Some(slug) = changes.slug {
        row.slug = Set(check_slug(&mut checks, &slug));
    }
    if let Some(description) = changes.description {
        row.description = Set(checks.text("description", description));
    }
    if let Some(description_fr) = changes.description_fr {
        row.description_fr = Set(checks.text("descriptionFr", description_fr));
    }
    if let Some(price) = changes.price {
        row.price = Set(check_price(&mut checks, price));
    }
    if let Some(currency) = changes.currency {
        row.currency = Set(check_currency(&mut checks, &currency));
    }
    if let Some(language) = changes.language {
        row.language = Set(language);
    }
    if let Some(level) = changes.level {
        row.level = Set(check_level(&mut checks, &level));
    }
    if let Some(category) = changes.category {
        row.category = Set(check_category(&mut checks, category));
    }
    if let Some(has_certificate) = changes.has_certificate {
        row.has_certificate = Set(has_certificate);
    }
    if let Some(instructor_id) = changes.instructor_id {
        if actor.is_admin() {
            check_instructor(db, &mut checks, instructor_id).await?;
            row.instructor_id = Set(Some(instructor_id));
        } else if course.instructor_id != Some(instructor_id) {
            checks.fail(
                "instructorId",
                "not_allowed",
                "only administrators choose the instructor",
            );
        }
    }
    checks.finish()?;
    row.updated_at = Set(now());
    let updated = save(db, row, &course, precondition.is_some(), stale()).await?;
    with_rating(db, updated).await
}

/// Archives a course (`DELETE`): it leaves the catalog, stays readable by administrators and
/// its instructor, and keeps its enrollments and certificates. Idempotent.
pub async fn archive_course(db: &impl Db, actor: &Actor, id: i64) -> Result<()> {
    let course = course_for_write(db, actor, id).await?;
    if course.status == CourseStatus::Archived {
        return Ok(());
    }
    let mut row: courses::ActiveModel = course.clone().into();
    row.status = Set(CourseStatus::Archived);
    row.updated_at = Set(now());
    save(db, row, &course, false, Error::from(NOT_FOUND)).await?;
    Ok(())
}

/// Field problems that keep an outline from being published: every module and lesson needs
/// an English and a French title.
fn outline_titles(checks: &mut Checks, modules: &[ModuleOutline]) {
    for (i, module) in modules.iter().enumerate() {
        for (field, value) in [("title", &module.title), ("titleFr", &module.title_fr)] {
            if value.trim().is_empty() {
                checks.fail(
                    &format!("modules[{i}].{field}"),
                    "required",
                    "must not be blank",
                );
            }
        }
        for (j, lesson) in module.lessons.iter().enumerate() {
            for (field, value) in [("title", &lesson.title), ("titleFr", &lesson.title_fr)] {
                if value.trim().is_empty() {
                    checks.fail(
                        &format!("modules[{i}].lessons[{j}].{field}"),
                        "required",
                        "must not be blank",
                    );
                }
            }
        }
    }
}

/// Publishes a course: it needs at least one module with at least one lesson (else 422
/// `course_not_publishable`), and English and French titles on the course, its modules and
/// its lessons (else 422 `validation_failed` naming each missing title). Sets `publishedAt` on
/// the first publication; publishing a published course changes nothing. If the outline changes
/// while it is checked, 409 `course_changed`.
pub async fn publish_course(db: &impl Db, actor: &Actor, id: i64) -> Result<CourseSummary> {
    let course = course_for_write(db, actor, id).await?;
    if course.status == CourseStatus::Published {
        return with_rating(db, course).await;
    }
    let modules = catalog::outline(
        db,
        Condition::all().add(entity::courses::modules::Column::CourseId.eq(course.id)),
    )
    .await?;
    if !modules.iter().any(|m| !m.lessons.is_empty()) {
        return Err(Error::from(COURSE_NOT_PUBLISHABLE));
    }
    let mut checks = Checks::default();
    for (field, value) in [("title", &course.title), ("titleFr", &course.title_fr)] {
        if value.trim().is_empty() {
            checks.fail(field, "required", "must not be blank");
        }
    }
    outline_titles(&mut checks, &modules);
    checks.finish()?;

    let at = now();
    let mut row: courses::ActiveModel = course.clone().into();
    row.status = Set(CourseStatus::Published);
    row.published_at = Set(Some(course.published_at.unwrap_or(at)));
    row.updated_at = Set(at);
    // Every outline write touches the course: an unchanged `updatedAt` proves the outline
    // checked above is the one being published.
    let published = save(db, row, &course, true, Error::from(COURSE_CHANGED)).await?;
    with_rating(db, published).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_derived_from_titles() {
        assert_eq!(
            slugify("Compréhension de l'écrit — niveau B"),
            "comprehension-de-l-ecrit-niveau-b"
        );
        assert_eq!(
            slugify("  SLE Oral B: Interaction!! "),
            "sle-oral-b-interaction"
        );
        assert_eq!(slugify("Œuvre"), "oeuvre");
        assert_eq!(slugify("2027"), "course-2027");
        assert_eq!(slugify("???"), "course");
        assert!(slugify(&"a b ".repeat(100)).len() <= DERIVED_SLUG_LEN);
    }

    #[test]
    fn slugs_are_validated() {
        assert!(is_valid_slug("sle-oral-b"));
        assert!(is_valid_slug("b2"));
        assert!(!is_valid_slug("42"));
        assert!(!is_valid_slug("Sle"));
        assert!(!is_valid_slug("a--b"));
        assert!(!is_valid_slug("-a"));
        assert!(!is_valid_slug(""));
    }
}
