//! Reading the catalog: the public course list, a course with its outline, and a lesson (with
//! its content only for those entitled to it).
//!
//! Query budget (no N+1, whatever the number of courses, modules or lessons):
//! - [`list`]: 2 queries (the page, then one grouped rating query for the page's courses);
//! - [`get`]: 3 queries (the course, its rating, then modules left-joined with their lessons).

use entity::courses::{courses, lessons, modules};
use entity::enums::{CourseLanguage, CourseStatus, LessonType};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};

use super::{
    CourseSummary, Key, LEARNING_READ, can_author, has_access, like_escape, ratings, summaries,
};
use crate::Result;
use crate::auth::actor::Actor;
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::NOT_FOUND;

/// Filters of the public catalog.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub language: Option<CourseLanguage>,
    /// SLE (`A`, `B`, `C`) or CEFR (`A1`-`C2`) level; case-insensitive.
    pub level: Option<String>,
    pub category: Option<String>,
    /// Case-insensitive substring of the English or the French title.
    pub q: Option<String>,
}

/// Published courses, most recently published first (`(publishedAt, id)` keyset), each with its
/// rating. Two queries whatever the page size.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: Filter,
    page: PageRequest,
) -> Result<Page<CourseSummary>> {
    // Published courses always have `publishedAt` (set by `publish_course`); the keyset needs it.
    let mut query = courses::Entity::find()
        .filter(courses::Column::Status.eq(CourseStatus::Published))
        .filter(courses::Column::PublishedAt.is_not_null());
    if let Some(language) = filter.language {
        query = query.filter(courses::Column::Language.eq(language));
    }
    if let Some(level) = filter.level.map(|l| l.trim().to_ascii_uppercase()) {
        query = query.filter(courses::Column::Level.eq(level));
    }
    if let Some(category) = filter.category.map(|c| c.trim().to_owned()) {
        query = query.filter(courses::Column::Category.eq(category));
    }
    if let Some(q) = filter
        .q
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty())
    {
        let pattern = format!("%{}%", like_escape(&q));
        let like = || LikeExpr::new(pattern.clone()).escape('\\');
        let lower = |column: courses::Column| Expr::expr(Func::lower(Expr::col(column)));
        query = query.filter(
            Condition::any()
                .add(lower(courses::Column::Title).like(like()))
                .add(lower(courses::Column::TitleFr).like(like())),
        );
    }
    let rows = pagination::keyset(
        query,
        courses::Column::PublishedAt,
        courses::Column::Id,
        &page,
    )
    .all(db)
    .await?;
    let page = pagination::finish(rows, &page, |c| Cursor {
        at: c.published_at.unwrap_or(c.created_at),
        id: c.id,
    });
    Ok(Page {
        items: summaries(db, page.items).await?,
        next_cursor: page.next_cursor,
    })
}

/// A lesson as it appears in a course outline (no content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonSummary {
    pub id: i64,
    pub title: String,
    pub title_fr: String,
    pub r#type: LessonType,
    /// Seconds.
    pub duration: i32,
    pub order: i32,
    pub is_preview: bool,
}

/// A module and its lessons, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleOutline {
    pub id: i64,
    pub title: String,
    pub title_fr: String,
    pub order: i32,
    pub lessons: Vec<LessonSummary>,
}

/// A course with its rating and its outline.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseOutline {
    pub summary: CourseSummary,
    pub modules: Vec<ModuleOutline>,
}

/// One row of the modules ⟕ lessons join.
#[derive(Debug, FromQueryResult)]
struct OutlineRow {
    module_id: i64,
    module_title: String,
    module_title_fr: String,
    module_order: i32,
    lesson_id: Option<i64>,
    lesson_title: Option<String>,
    lesson_title_fr: Option<String>,
    lesson_type: Option<LessonType>,
    lesson_duration: Option<i32>,
    lesson_order: Option<i32>,
    lesson_is_preview: Option<bool>,
}

/// Modules matching `condition` with their lessons, in order, in one query.
pub(crate) async fn outline(
    db: &impl ConnectionTrait,
    condition: Condition,
) -> Result<Vec<ModuleOutline>> {
    let rows: Vec<OutlineRow> = modules::Entity::find()
        .select_only()
        .column_as(modules::Column::Id, "module_id")
        .column_as(modules::Column::Title, "module_title")
        .column_as(modules::Column::TitleFr, "module_title_fr")
        .column_as(modules::Column::Order, "module_order")
        .column_as(lessons::Column::Id, "lesson_id")
        .column_as(lessons::Column::Title, "lesson_title")
        .column_as(lessons::Column::TitleFr, "lesson_title_fr")
        .column_as(lessons::Column::Type, "lesson_type")
        .column_as(lessons::Column::Duration, "lesson_duration")
        .column_as(lessons::Column::Order, "lesson_order")
        .column_as(lessons::Column::IsPreview, "lesson_is_preview")
        .join(JoinType::LeftJoin, modules::Relation::Lessons.def())
        .filter(condition)
        .order_by_asc(modules::Column::Order)
        .order_by_asc(modules::Column::Id)
        .order_by_asc(lessons::Column::Order)
        .order_by_asc(lessons::Column::Id)
        .into_model()
        .all(db)
        .await?;
    let mut out: Vec<ModuleOutline> = Vec::new();
    for row in rows {
        if out.last().is_none_or(|m| m.id != row.module_id) {
            out.push(ModuleOutline {
                id: row.module_id,
                title: row.module_title,
                title_fr: row.module_title_fr,
                order: row.module_order,
                lessons: Vec::new(),
            });
        }
        let lesson = match (
            row.lesson_id,
            row.lesson_title,
            row.lesson_title_fr,
            row.lesson_type,
        ) {
            (Some(id), Some(title), Some(title_fr), Some(r#type)) => LessonSummary {
                id,
                title,
                title_fr,
                r#type,
                duration: row.lesson_duration.unwrap_or_default(),
                order: row.lesson_order.unwrap_or_default(),
                is_preview: row.lesson_is_preview.unwrap_or_default(),
            },
            _ => continue,
        };
        if let Some(module) = out.last_mut() {
            module.lessons.push(lesson);
        }
    }
    Ok(out)
}

/// The course named by `key`, if it exists.
pub(crate) async fn find(db: &impl ConnectionTrait, key: &Key) -> Result<Option<courses::Model>> {
    let query = match key {
        Key::Id(id) => courses::Entity::find_by_id(*id),
        Key::Slug(slug) => courses::Entity::find().filter(courses::Column::Slug.eq(slug.as_str())),
    };
    Ok(query.one(db).await?)
}

/// A course with its rating and outline. Drafts exist only for administrators and the
/// instructor, archived courses also for the learners enrolled in them (404 for everyone else).
/// Three queries (four for an archived course).
pub async fn get(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    key: &Key,
) -> Result<CourseOutline> {
    let course = find(db, key).await?.ok_or(NOT_FOUND)?;
    if !super::can_see_now(db, actor, &course).await? {
        return Err(NOT_FOUND.into());
    }
    let rating = ratings(db, &[course.id])
        .await?
        .remove(&course.id)
        .unwrap_or_default();
    let modules = outline(
        db,
        Condition::all().add(modules::Column::CourseId.eq(course.id)),
    )
    .await?;
    Ok(CourseOutline {
        summary: CourseSummary { course, rating },
        modules,
    })
}

/// A lesson as a caller sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonView {
    /// The lesson; `content`/`contentFr` are `None` when `locked`.
    pub lesson: lessons::Model,
    pub course_id: i64,
    /// Whether the content was withheld (the caller is not entitled to it).
    pub locked: bool,
}

impl LessonView {
    /// The lesson with its content kept or withheld.
    pub(crate) fn new(mut lesson: lessons::Model, course_id: i64, open: bool) -> Self {
        if !open {
            lesson.content = None;
            lesson.content_fr = None;
        }
        Self {
            lesson,
            course_id,
            locked: !open,
        }
    }
}

/// A lesson. Everyone who can see its course sees its metadata; the content only reaches
/// learners with access to the course, the instructor, administrators, or anyone for a preview
/// lesson.
pub async fn lesson(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    id: i64,
) -> Result<LessonView> {
    if let Some(actor) = actor {
        actor.require_scope(LEARNING_READ)?;
    }
    let (lesson, _module, course) = super::lesson_context(db, id).await?;
    if !super::can_see_now(db, actor, &course).await? {
        return Err(NOT_FOUND.into());
    }
    let open = lesson.is_preview
        || can_author(actor, &course)
        || match actor {
            Some(actor) => has_access(db, actor.user_id, course.id).await?,
            None => false,
        };
    Ok(LessonView::new(lesson, course.id, open))
}
