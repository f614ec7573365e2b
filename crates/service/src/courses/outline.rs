//! Authoring the outline of a course: modules, lessons, and their order.
//!
//! Module orders are unique per course (`UQ(courseId, order)`): a taken order answers 409
//! `order_taken`, and so does a taken lesson order within a module (checked here; lessons have
//! no unique index). Reordering rewrites `order` to 1..n in one transaction. Every write
//! touches the parents (`updatedAt` of the module and the course), so their versions follow
//! their outline.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::courses::{courses, lessons, modules};
use entity::enums::LessonType;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ModelTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Set,
};

use super::authoring::{Checks, MAX_TITLE, course_for_write};
use super::catalog::{self, CourseOutline, LessonView, ModuleOutline};
use super::{Key, Precondition, authorize_write, lesson_context, module_context, now, stale};
use crate::auth::actor::Actor;
use crate::courses::ORDER_TAKEN;
use crate::db::Db;
use crate::problem::NOT_FOUND;
use crate::{Error, Result};
use sea_orm::TransactionSession as _;

/// Largest number of modules of a course or lessons of a module a reorder accepts.
pub const MAX_REORDER: usize = 1000;
/// Highest `order` of a module or lesson.
pub const MAX_ORDER: i64 = 10_000;
/// Longest lesson content (characters; fits a `TEXT` column whatever the characters).
pub const MAX_CONTENT: usize = 16_000;
/// Longest lesson duration, in seconds (a day).
pub const MAX_DURATION: i64 = 86_400;
/// Most quiz attempts a lesson may allow.
pub const MAX_QUIZ_ATTEMPTS: i64 = 100;

fn order_taken() -> Error {
    Error::from(ORDER_TAKEN)
}

fn check_order(checks: &mut Checks, order: i32) -> i32 {
    if order < 1 {
        checks.fail("order", "out_of_range", "must be 1 or more");
    }
    order
}

/// Sets `updatedAt` of a course.
async fn touch_course(db: &impl ConnectionTrait, course_id: i64, at: DateTime<Utc>) -> Result<()> {
    courses::Entity::update_many()
        .col_expr(courses::Column::UpdatedAt, Expr::val(at))
        .filter(courses::Column::Id.eq(course_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Sets `updatedAt` of a module.
async fn touch_module(db: &impl ConnectionTrait, module_id: i64, at: DateTime<Utc>) -> Result<()> {
    modules::Entity::update_many()
        .col_expr(modules::Column::UpdatedAt, Expr::val(at))
        .filter(modules::Column::Id.eq(module_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A module for a write by `actor`, with its course.
/// Locks the course's row: every change to a course's outline takes it first (see
/// [`crate::db::lock`]), so that concurrent writers of one course run one after the other.
/// Nothing to lock when the course (or the module or lesson it was looked up by) does not exist.
pub(crate) async fn lock_course(
    db: &impl ConnectionTrait,
    course_id: impl Into<Option<i64>>,
) -> Result<()> {
    match course_id.into() {
        Some(id) => crate::db::lock::<courses::Entity>(db, courses::Column::Id, id).await,
        None => Ok(()),
    }
}

/// The course of a module, read before the write transaction begins (a module never changes
/// course), so that locking the course is the transaction's first statement.
async fn course_of_module(db: &impl ConnectionTrait, module_id: i64) -> Result<Option<i64>> {
    Ok(modules::Entity::find_by_id(module_id)
        .select_only()
        .column(modules::Column::CourseId)
        .into_tuple()
        .one(db)
        .await?)
}

/// The course of a lesson (see [`course_of_module`]).
pub(crate) async fn course_of_lesson(
    db: &impl ConnectionTrait,
    lesson_id: i64,
) -> Result<Option<i64>> {
    Ok(lessons::Entity::find_by_id(lesson_id)
        .select_only()
        .column(modules::Column::CourseId)
        .inner_join(modules::Entity)
        .into_tuple()
        .one(db)
        .await?)
}

async fn module_for_write(
    db: &impl ConnectionTrait,
    actor: &Actor,
    module_id: i64,
) -> Result<(modules::Model, courses::Model)> {
    let (module, course) = module_context(db, module_id).await?;
    authorize_write(actor, &course)?;
    Ok((module, course))
}

/// A lesson for a write by `actor`, with its module and course.
async fn lesson_for_write(
    db: &impl ConnectionTrait,
    actor: &Actor,
    lesson_id: i64,
) -> Result<(lessons::Model, modules::Model, courses::Model)> {
    let (lesson, module, course) = lesson_context(db, lesson_id).await?;
    authorize_write(actor, &course)?;
    Ok((lesson, module, course))
}

// ---------------------------------------------------------------------------------------------
// Modules
// ---------------------------------------------------------------------------------------------

/// A new module.
#[derive(Debug, Clone)]
pub struct NewModule {
    pub title: String,
    /// May be left empty while drafting; required to publish.
    pub title_fr: Option<String>,
    /// 1 or more; after the last module when absent.
    pub order: Option<i32>,
}

/// Changes to a module.
#[derive(Debug, Clone, Default)]
pub struct ModuleChanges {
    pub title: Option<String>,
    pub title_fr: Option<String>,
    pub order: Option<i32>,
}

fn module_write_error(err: DbErr) -> Error {
    if Error::is_unique_violation(&err) {
        order_taken()
    } else {
        err.into()
    }
}

/// Adds a module to a course (administrators and its instructor); 409 `order_taken` when
/// another module of the course has that order.
pub async fn create_module(
    db: &impl Db,
    actor: &Actor,
    course_id: i64,
    input: NewModule,
) -> Result<modules::Model> {
    let mut checks = Checks::default();
    let title = checks.title("title", &input.title, MAX_TITLE);
    let title_fr = input
        .title_fr
        .map(|t| checks.title("titleFr", &t, MAX_TITLE))
        .unwrap_or_default();
    let order = input.order.map(|o| check_order(&mut checks, o));
    let txn = crate::db::begin(db).await?;
    lock_course(&txn, course_id).await?;
    let course = course_for_write(&txn, actor, course_id).await?;
    checks.finish()?;
    let order = match order {
        Some(order) => order,
        None => {
            next_order(
                &txn,
                modules::Entity::find().filter(modules::Column::CourseId.eq(course.id)),
                modules::Column::Order,
            )
            .await?
        }
    };
    let at = now();
    let module = modules::ActiveModel {
        course_id: Set(course.id),
        title: Set(title),
        title_fr: Set(title_fr),
        order: Set(order),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(module_write_error)?;
    touch_course(&txn, course.id, at).await?;
    txn.commit().await?;
    Ok(module)
}

/// One more than the largest `order` selected by `query` (1 when empty).
async fn next_order<E, C>(
    db: &impl ConnectionTrait,
    query: sea_orm::Select<E>,
    column: C,
) -> Result<i32>
where
    E: EntityTrait,
    C: ColumnTrait,
{
    let max: Option<Option<i32>> = query
        .select_only()
        .column_as(Expr::expr(Func::max(Expr::col(column))), "max_order")
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0).saturating_add(1))
}

/// Changes a module (administrators and the course's instructor). With `If-Match`, a module
/// changed in the meantime answers 412 and nothing is written.
pub async fn update_module(
    db: &impl Db,
    actor: &Actor,
    id: i64,
    changes: ModuleChanges,
    precondition: Option<&Precondition>,
) -> Result<modules::Model> {
    let course_id = course_of_module(db, id).await?;
    let txn = crate::db::begin(db).await?;
    lock_course(&txn, course_id).await?;
    let (module, course) = module_for_write(&txn, actor, id).await?;
    if let Some(precondition) = precondition {
        precondition.check(module.id, module.updated_at)?;
    }
    let mut checks = Checks::default();
    let mut row: modules::ActiveModel = module.clone().into();
    if let Some(title) = changes.title {
        row.title = Set(checks.title("title", &title, MAX_TITLE));
    }
    if let Some(title_fr) = changes.title_fr {
        row.title_fr = Set(checks.title("titleFr", &title_fr, MAX_TITLE));
    }
    if let Some(order) = changes.order {
        row.order = Set(check_order(&mut checks, order));
    }
    checks.finish()?;
    let at = now();
    row.updated_at = Set(at);
    let mut update = modules::Entity::update(row).validate()?;
    if precondition.is_some() {
        update = update.filter(modules::Column::UpdatedAt.eq(module.updated_at));
    }
    let updated = update.exec(&txn).await.map_err(|err| match err {
        DbErr::RecordNotUpdated => stale(),
        err => module_write_error(err),
    })?;
    touch_course(&txn, course.id, at).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Deletes a module and its lessons (administrators and the course's instructor).
pub async fn delete_module(db: &impl Db, actor: &Actor, id: i64) -> Result<()> {
    let course_id = course_of_module(db, id).await?;
    let txn = crate::db::begin(db).await?;
    lock_course(&txn, course_id).await?;
    let (module, course) = module_for_write(&txn, actor, id).await?;
    module.delete(&txn).await?;
    touch_course(&txn, course.id, now()).await?;
    txn.commit().await?;
    Ok(())
}

/// Checks that `ids` lists each of `current` exactly once.
fn check_permutation(field: &str, ids: &[i64], current: &[i64]) -> Result<()> {
    let wanted: HashSet<i64> = ids.iter().copied().collect();
    let have: HashSet<i64> = current.iter().copied().collect();
    if ids.len() > MAX_REORDER || wanted.len() != ids.len() || wanted != have {
        return Err(Error::field(
            field,
            "not_a_permutation",
            "must list every id exactly once, and nothing else",
        ));
    }
    Ok(())
}

/// `CASE id WHEN ids[0] THEN 1 WHEN ids[1] THEN 2 ... ELSE <order> END`.
fn order_case<C: ColumnTrait>(id: C, order: C, ids: &[i64]) -> Expr {
    let mut case = sea_orm::sea_query::CaseStatement::new();
    for (position, module_id) in (1_i32..).zip(ids) {
        case = case.case(id.eq(*module_id), Expr::val(position));
    }
    case.finally(Expr::col(order)).into()
}

/// Puts the modules of a course in the order of `module_ids` (every module exactly once, else
/// 422 `validation_failed`), rewriting `order` to 1..n in one transaction. `If-Match` is the
/// course's version. Returns the course with its new outline.
pub async fn reorder_modules(
    db: &impl Db,
    actor: &Actor,
    course_id: i64,
    module_ids: Vec<i64>,
    precondition: Option<&Precondition>,
) -> Result<CourseOutline> {
    let txn = crate::db::begin(db).await?;
    lock_course(&txn, course_id).await?;
    let course = course_for_write(&txn, actor, course_id).await?;
    if let Some(precondition) = precondition {
        precondition.check(course.id, course.updated_at)?;
    }
    let current: Vec<i64> = modules::Entity::find()
        .select_only()
        .column(modules::Column::Id)
        .filter(modules::Column::CourseId.eq(course.id))
        .into_tuple()
        .all(&txn)
        .await?;
    check_permutation("moduleIds", &module_ids, &current)?;
    if !module_ids.is_empty() {
        // UQ(courseId, order) is checked row by row on MySQL and SQLite: first move every
        // order out of the way (negative values are never used), then write the final ones.
        modules::Entity::update_many()
            .col_expr(
                modules::Column::Order,
                Expr::col(modules::Column::Order).mul(-1),
            )
            .filter(modules::Column::CourseId.eq(course.id))
            .exec(&txn)
            .await?;
        let at = now();
        modules::Entity::update_many()
            .col_expr(
                modules::Column::Order,
                order_case(modules::Column::Id, modules::Column::Order, &module_ids),
            )
            .col_expr(modules::Column::UpdatedAt, Expr::val(at))
            .filter(modules::Column::CourseId.eq(course.id))
            .exec(&txn)
            .await?;
        let mut touch = courses::Entity::update_many()
            .col_expr(courses::Column::UpdatedAt, Expr::val(at))
            .filter(courses::Column::Id.eq(course.id));
        if precondition.is_some() {
            touch = touch.filter(courses::Column::UpdatedAt.eq(course.updated_at));
        }
        if touch.exec(&txn).await?.rows_affected == 0 {
            return Err(stale());
        }
    }
    txn.commit().await?;
    catalog::get(db, Some(actor), &Key::Id(course_id)).await
}

// ---------------------------------------------------------------------------------------------
// Lessons
// ---------------------------------------------------------------------------------------------

/// A new lesson.
#[derive(Debug, Clone)]
pub struct NewLesson {
    pub title: String,
    pub title_fr: Option<String>,
    pub content: Option<String>,
    pub content_fr: Option<String>,
    pub r#type: LessonType,
    /// Seconds; 0 when absent.
    pub duration: Option<i32>,
    /// 1 or more; after the last lesson of the module when absent.
    pub order: Option<i32>,
    /// `false` when absent.
    pub is_preview: Option<bool>,
    /// Quiz pass mark in percent (0-100).
    pub pass_mark: Option<i32>,
    /// Quiz attempt limit (1 or more).
    pub max_attempts: Option<i32>,
}

/// Changes to a lesson; `Some(None)` clears a nullable field.
#[derive(Debug, Clone, Default)]
pub struct LessonChanges {
    pub title: Option<String>,
    pub title_fr: Option<String>,
    pub content: Option<Option<String>>,
    pub content_fr: Option<Option<String>>,
    pub r#type: Option<LessonType>,
    pub duration: Option<i32>,
    pub order: Option<i32>,
    pub is_preview: Option<bool>,
    pub pass_mark: Option<Option<i32>>,
    pub max_attempts: Option<Option<i32>>,
}

fn check_duration(checks: &mut Checks, duration: i32) -> i32 {
    if duration < 0 {
        checks.fail("duration", "out_of_range", "must be zero or more seconds");
    }
    duration
}

fn check_pass_mark(checks: &mut Checks, pass_mark: Option<i32>) -> Option<i32> {
    if pass_mark.is_some_and(|p| !(0..=100).contains(&p)) {
        checks.fail("passMark", "out_of_range", "must be between 0 and 100");
    }
    pass_mark
}

fn check_max_attempts(checks: &mut Checks, max_attempts: Option<i32>) -> Option<i32> {
    if max_attempts.is_some_and(|m| m < 1) {
        checks.fail("maxAttempts", "out_of_range", "must be 1 or more");
    }
    max_attempts
}

fn check_content(checks: &mut Checks, field: &str, content: Option<String>) -> Option<String> {
    content.map(|c| checks.text(field, c))
}

/// Refuses (409 `order_taken`) an order another lesson of the module already has.
async fn lesson_order_free(
    db: &impl ConnectionTrait,
    module_id: i64,
    order: i32,
    except: Option<i64>,
) -> Result<()> {
    let mut query = lessons::Entity::find()
        .filter(lessons::Column::ModuleId.eq(module_id))
        .filter(lessons::Column::Order.eq(order));
    if let Some(id) = except {
        query = query.filter(lessons::Column::Id.ne(id));
    }
    if query.count(db).await? > 0 {
        return Err(order_taken());
    }
    Ok(())
}

/// Adds a lesson to a module (administrators and the course's instructor).
pub async fn create_lesson(
    db: &impl Db,
    actor: &Actor,
    module_id: i64,
    input: NewLesson,
) -> Result<LessonView> {
    let mut checks = Checks::default();
    let title = checks.title("title", &input.title, MAX_TITLE);
    let title_fr = input
        .title_fr
        .map(|t| checks.title("titleFr", &t, MAX_TITLE))
        .unwrap_or_default();
    let content = check_content(&mut checks, "content", input.content);
    let content_fr = check_content(&mut checks, "contentFr", input.content_fr);
    let duration = check_duration(&mut checks, input.duration.unwrap_or(0));
    let order = input.order.map(|o| check_order(&mut checks, o));
    let pass_mark = check_pass_mark(&mut checks, input.pass_mark);
    let max_attempts = check_max_attempts(&mut checks, input.max_attempts);

    let course_id = course_of_module(db, module_id).await?;
    let txn = crate::db::begin(db).await?;
    lock_course(&txn, course_id).await?;
    let (module, course) = module_for_write(&txn, actor, module_id).await?;
    checks.finish()?;
    let order = match order {
        Some(order) => {
            lesson_order_free(&txn, module.id, order, None).await?;
            order
        }
        None => {
            next_order(
                &txn,
                lessons::Entity::find().filter(lessons::Column::ModuleId.eq(module.id)),
                lessons::Column::Order,
            )
            .await?
        }
    };
    let at = now();
    let lesson = lessons::ActiveModel {
        module_id: Set(module.id),
        title: Set(title),
        title_fr: Set(title_fr),
        content: Set(content),
        content_fr: Set(content_fr),
        r#type: Set(input.r#type),
        duration: Set(duration),
        order: Set(order),
        is_preview: Set(input.is_preview.unwrap_or(false)),
        pass_mark: Set(pass_mark),
        max_attempts: Set(max_attempts),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    touch_module(&txn, module.id, at).await?;
    touch_course(&txn, course.id, at).await?;
    txn.commit().await?;
    Ok(LessonView::new(lesson, course.id, true))
}

/// Changes a lesson (administrators and the course's instructor). With `If-Match`, a lesson
/// changed in the meantime answers 412 and nothing is written.
pub async fn update_lesson(
    db: &impl Db,
    actor: &Actor,
    id: i64,
    changes: LessonChanges,
    precondition: Option<&Precondition>,
) -> Result<LessonView> {
    let course_id = course_of_lesson(db, id).await?;
    let txn = crate::db::begin(db).await?;
    lock_course(&txn, course_id).await?;
    let (lesson, module, course) = lesson_for_write(&txn, actor, id).await?;
    if let Some(precondition) = precondition {
        precondition.check(lesson.id, lesson.updated_at)?;
    }
    let mut checks = Checks::default();
    let mut row: lessons::ActiveModel = lesson.clone().into();
    if let Some(title) = changes.title {
        row.title = Set(checks.title("title", &title, MAX_TITLE));
    }
    if let Some(title_fr) = changes.title_fr {
        row.title_fr = Set(checks.title("titleFr", &title_fr, MAX_TITLE));
    }
    if let Some(content) = changes.content {
        row.content = Set(check_content(&mut checks, "content", content));
    }
    if let Some(content_fr) = changes.content_fr {
        row.content_fr = Set(check_content(&mut checks, "contentFr", content_fr));
    }
    if let Some(r#type) = changes.r#type {
        row.r#type = Set(r#type);
    }
    if let Some(duration) = changes.duration {
        row.duration = Set(check_duration(&mut checks, duration));
    }
    let new_order = changes.order.map(|o| check_order(&mut checks, o));
    if let Some(order) = new_order {
        row.order = Set(order);
    }
    if let Some(is_preview) = changes.is_preview {
        row.is_preview = Set(is_preview);
    }
    if let Some(pass_mark) = changes.pass_mark {
        row.pass_mark = Set(check_pass_mark(&mut checks, pass_mark));
    }
    if let Some(max_attempts) = changes.max_attempts {
        row.max_attempts = Set(check_max_attempts(&mut checks, max_attempts));
    }
    checks.finish()?;
    if let Some(order) = new_order.filter(|o| *o != lesson.order) {
        lesson_order_free(&txn, module.id, order, Some(lesson.id)).await?;
    }
    let at = now();
    row.updated_at = Set(at);
    let mut update = lessons::Entity::update(row).validate()?;
    if precondition.is_some() {
        update = update.filter(lessons::Column::UpdatedAt.eq(lesson.updated_at));
    }
    let updated = update.exec(&txn).await.map_err(|err| match err {
        DbErr::RecordNotUpdated => stale(),
        err => err.into(),
    })?;
    touch_module(&txn, module.id, at).await?;
    touch_course(&txn, course.id, at).await?;
    txn.commit().await?;
    Ok(LessonView::new(updated, course.id, true))
}

/// Deletes a lesson and the progress recorded on it (administrators and the course's
/// instructor).
pub async fn delete_lesson(db: &impl Db, actor: &Actor, id: i64) -> Result<()> {
    let course_id = course_of_lesson(db, id).await?;
    let txn = crate::db::begin(db).await?;
    lock_course(&txn, course_id).await?;
    let (lesson, module, course) = lesson_for_write(&txn, actor, id).await?;
    lesson.delete(&txn).await?;
    let at = now();
    touch_module(&txn, module.id, at).await?;
    touch_course(&txn, course.id, at).await?;
    txn.commit().await?;
    Ok(())
}

/// Puts the lessons of a module in the order of `lesson_ids` (every lesson exactly once),
/// rewriting `order` to 1..n in one transaction. `If-Match` is the module's version. Returns
/// the module with its lessons.
pub async fn reorder_lessons(
    db: &impl Db,
    actor: &Actor,
    module_id: i64,
    lesson_ids: Vec<i64>,
    precondition: Option<&Precondition>,
) -> Result<(modules::Model, ModuleOutline)> {
    let course_id = course_of_module(db, module_id).await?;
    let txn = crate::db::begin(db).await?;
    lock_course(&txn, course_id).await?;
    let (module, course) = module_for_write(&txn, actor, module_id).await?;
    if let Some(precondition) = precondition {
        precondition.check(module.id, module.updated_at)?;
    }
    let current: Vec<i64> = lessons::Entity::find()
        .select_only()
        .column(lessons::Column::Id)
        .filter(lessons::Column::ModuleId.eq(module.id))
        .into_tuple()
        .all(&txn)
        .await?;
    check_permutation("lessonIds", &lesson_ids, &current)?;
    let at = now();
    if !lesson_ids.is_empty() {
        lessons::Entity::update_many()
            .col_expr(
                lessons::Column::Order,
                order_case(lessons::Column::Id, lessons::Column::Order, &lesson_ids),
            )
            .col_expr(lessons::Column::UpdatedAt, Expr::val(at))
            .filter(lessons::Column::ModuleId.eq(module.id))
            .exec(&txn)
            .await?;
    }
    let mut touch = modules::Entity::update_many()
        .col_expr(modules::Column::UpdatedAt, Expr::val(at))
        .filter(modules::Column::Id.eq(module.id));
    if precondition.is_some() {
        touch = touch.filter(modules::Column::UpdatedAt.eq(module.updated_at));
    }
    if touch.exec(&txn).await?.rows_affected == 0 {
        return Err(stale());
    }
    touch_course(&txn, course.id, at).await?;
    let outline = catalog::outline(
        &txn,
        Condition::all().add(modules::Column::Id.eq(module.id)),
    )
    .await?
    .pop()
    .ok_or(NOT_FOUND)?;
    let mut module = module;
    module.updated_at = at;
    txn.commit().await?;
    Ok((module, outline))
}
