//! Enrollments and progress: five learners enrolled in demo courses, with the lesson progress that
//! puts each of them at a different point of their course.

use std::collections::BTreeMap;

use entity::courses::{courses, lessons, modules};
use entity::enrollments::enrollments;
use entity::enums::{EnrollmentSource, EnrollmentStatus};
use entity::progress::lesson_progress;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::courses::{ORAL_B, READING_A, WRITTEN_B};
use super::{Ids, Seeder, lookup};

/// Seeds every enrollment in [`ENROLLMENTS`] (`learner_ids`: user ids by e-mail; `course_ids`:
/// course ids by slug) and its lesson progress.
pub(super) async fn seed(
    seeder: &mut Seeder<'_>,
    learner_ids: &Ids,
    course_ids: &Ids,
) -> Result<(), DbErr> {
    for demo in ENROLLMENTS {
        let user_id = lookup(learner_ids, demo.learner)?;
        let course_id = lookup(course_ids, demo.course)?;
        enrollment(seeder, demo, user_id, course_id).await?;
    }
    Ok(())
}

/// An enrollment and its lesson progress (the course progress is derived from it).
async fn enrollment(
    seeder: &mut Seeder<'_>,
    demo: &DemoEnrollment,
    user_id: i64,
    course_id: i64,
) -> Result<(), DbErr> {
    let course = courses::Entity::find_by_id(course_id)
        .one(seeder.txn)
        .await?
        .ok_or_else(|| DbErr::Custom(format!("course {course_id} missing")))?;
    let lesson_ids: Vec<i64> = lessons::Entity::find()
        .find_also_related(modules::Entity)
        .filter(modules::Column::CourseId.eq(course_id))
        .all(seeder.txn)
        .await?
        .into_iter()
        .filter_map(|(lesson, module)| module.map(|m| ((m.order, lesson.order), lesson.id)))
        .collect::<BTreeMap<_, _>>()
        .into_values()
        .collect();
    let done = demo.completed_lessons.min(lesson_ids.len());
    let progress = if lesson_ids.is_empty() {
        0
    } else {
        i32::try_from(done * 100 / lesson_ids.len()).unwrap_or(0)
    };
    let row = enrollments::ActiveModel {
        user_id: Set(user_id),
        course_id: Set(course_id),
        enrolled_at: Set(seeder.now),
        status: Set(EnrollmentStatus::Active),
        source: Set(if course.price > 0 {
            EnrollmentSource::Admin
        } else {
            EnrollmentSource::Free
        }),
        progress: Set(progress),
        created_at: Set(seeder.now),
        updated_at: Set(seeder.now),
        ..Default::default()
    };
    let existing = enrollments::Entity::find()
        .filter(enrollments::Column::UserId.eq(user_id))
        .filter(enrollments::Column::CourseId.eq(course_id));
    seeder.find_or_insert(existing, row).await?;
    let partial = (demo.next_lesson_progress > 0).then_some(demo.next_lesson_progress);
    for (index, lesson_id) in lesson_ids
        .iter()
        .enumerate()
        .take(done + usize::from(partial.is_some()))
    {
        let completed = index < done;
        let minutes = i64::try_from(index).unwrap_or(0) * 3 + 7;
        let row = lesson_progress::ActiveModel {
            user_id: Set(user_id),
            lesson_id: Set(*lesson_id),
            progress: Set(if completed { 100 } else { partial.unwrap_or(0) }),
            completed_at: Set(completed.then_some(seeder.now)),
            last_sync_at: Set(Some(seeder.now)),
            time_spent_seconds: Set(minutes * 60),
            sync_version: Set(1),
            created_at: Set(seeder.now),
            updated_at: Set(seeder.now),
            ..Default::default()
        };
        let existing = lesson_progress::Entity::find()
            .filter(lesson_progress::Column::UserId.eq(user_id))
            .filter(lesson_progress::Column::LessonId.eq(*lesson_id));
        seeder.find_or_insert(existing, row).await?;
    }
    Ok(())
}

/// A demo enrollment: the learner, the course, how many lessons (in course order) are completed,
/// and the progress of the next one.
struct DemoEnrollment {
    learner: &'static str,
    course: &'static str,
    completed_lessons: usize,
    next_lesson_progress: i32,
}

const ENROLLMENTS: &[DemoEnrollment] = &[
    DemoEnrollment {
        learner: "emily.thompson@demo.rusingacademy.ca",
        course: ORAL_B,
        completed_lessons: 3,
        next_lesson_progress: 40,
    },
    DemoEnrollment {
        learner: "emily.thompson@demo.rusingacademy.ca",
        course: READING_A,
        completed_lessons: 1,
        next_lesson_progress: 0,
    },
    DemoEnrollment {
        learner: "jean-francois.lavoie@demo.rusingacademy.ca",
        course: READING_A,
        completed_lessons: 0,
        next_lesson_progress: 25,
    },
    DemoEnrollment {
        learner: "priya.sharma@demo.rusingacademy.ca",
        course: WRITTEN_B,
        completed_lessons: 2,
        next_lesson_progress: 60,
    },
    DemoEnrollment {
        learner: "olivier.cote@demo.rusingacademy.ca",
        course: ORAL_B,
        completed_lessons: 0,
        next_lesson_progress: 0,
    },
];
