//! `/courses`, `/modules`, `/lessons`, `/learning-paths`: the public catalog, course authoring
//! (administrators and the course's instructor), lessons with content for entitled callers,
//! quizzes, reviews and learning paths.
//!
//! Editable resources (course, module, lesson) carry a weak `ETag` (`W/"<id>-<updatedAt µs>"`);
//! `PATCH`/`PUT` honour `If-Match` (412 `precondition_failed` when stale; without the header the
//! last writer wins).

mod authoring;
mod catalog;
pub mod dto;
mod lessons;
mod modules;
mod paths;
mod quizzes;
mod reviews;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(catalog::list_courses)
        .service(authoring::create_course)
        .service(catalog::get_course)
        .service(authoring::update_course)
        .service(authoring::archive_course)
        .service(authoring::publish_course)
        .service(modules::create_module)
        .service(modules::reorder_modules)
        .service(modules::update_module)
        .service(modules::delete_module)
        .service(lessons::create_lesson)
        .service(lessons::reorder_lessons)
        .service(lessons::get_lesson)
        .service(lessons::update_lesson)
        .service(lessons::delete_lesson)
        .service(reviews::list_reviews)
        .service(reviews::create_review)
        .service(paths::list_learning_paths)
        .service(paths::get_learning_path)
        .service(quizzes::get_quiz)
        .service(quizzes::submit_quiz)
        .service(quizzes::put_quiz_questions);
}
