//! Learning paths: sold bundles of courses, taken in order. Only published paths are listed;
//! a path shows (and counts) only its published courses. Unpublished paths exist only for
//! administrators.

use std::collections::HashMap;

use entity::courses::{courses, learning_path_courses, learning_paths};
use entity::enums::CourseStatus;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
};

use super::{CourseSummary, Key, summaries};
use crate::Result;
use crate::auth::actor::Actor;
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::NOT_FOUND;

/// A learning path with the number of its published courses.
#[derive(Debug, Clone, PartialEq)]
pub struct PathSummary {
    pub path: learning_paths::Model,
    pub course_count: i64,
}

/// A learning path with its published courses, in path order.
#[derive(Debug, Clone, PartialEq)]
pub struct PathDetail {
    pub summary: PathSummary,
    pub courses: Vec<CourseSummary>,
}

/// Published learning paths, newest first (two queries).
pub async fn list(db: &impl ConnectionTrait, page: PageRequest) -> Result<Page<PathSummary>> {
    let query = learning_paths::Entity::find()
        .filter(learning_paths::Column::Status.eq(CourseStatus::Published));
    let rows = pagination::keyset(
        query,
        learning_paths::Column::CreatedAt,
        learning_paths::Column::Id,
        &page,
    )
    .all(db)
    .await?;
    let page = pagination::finish(rows, &page, |p| Cursor {
        at: p.created_at,
        id: p.id,
    });
    let ids: Vec<i64> = page.items.iter().map(|p| p.id).collect();
    let counts: HashMap<i64, i64> = if ids.is_empty() {
        HashMap::new()
    } else {
        learning_path_courses::Entity::find()
            .select_only()
            .column(learning_path_courses::Column::PathId)
            .column_as(
                Expr::expr(Func::count(Expr::col((
                    learning_path_courses::Entity,
                    learning_path_courses::Column::Id,
                )))),
                "n",
            )
            .join(
                JoinType::InnerJoin,
                learning_path_courses::Relation::Courses.def(),
            )
            .filter(learning_path_courses::Column::PathId.is_in(ids))
            .filter(courses::Column::Status.eq(CourseStatus::Published))
            .group_by(learning_path_courses::Column::PathId)
            .into_tuple::<(i64, i64)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    Ok(page.map(|path| PathSummary {
        course_count: counts.get(&path.id).copied().unwrap_or(0),
        path,
    }))
}

/// A learning path with its published courses in order, each with its rating (three
/// queries). Unpublished paths answer 404 except to administrators.
pub async fn get(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    key: &Key,
) -> Result<PathDetail> {
    let query = match key {
        Key::Id(id) => learning_paths::Entity::find_by_id(*id),
        Key::Slug(slug) => {
            learning_paths::Entity::find().filter(learning_paths::Column::Slug.eq(slug.as_str()))
        }
    };
    let path = query
        .one(db)
        .await?
        .filter(|p| {
            p.status == CourseStatus::Published || actor.is_some_and(|a| super::authors(a, None))
        })
        .ok_or(NOT_FOUND)?;
    let members = courses::Entity::find()
        .join(
            JoinType::InnerJoin,
            courses::Relation::LearningPathCourses.def(),
        )
        .filter(learning_path_courses::Column::PathId.eq(path.id))
        .filter(courses::Column::Status.eq(CourseStatus::Published))
        .order_by_asc(learning_path_courses::Column::Order)
        .order_by_asc(courses::Column::Id)
        .all(db)
        .await?;
    let courses = summaries(db, members).await?;
    Ok(PathDetail {
        summary: PathSummary {
            course_count: i64::try_from(courses.len()).unwrap_or(i64::MAX),
            path,
        },
        courses,
    })
}
