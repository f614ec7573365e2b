//! The catalog: courses, modules, lessons, quizzes, reviews and learning paths.

pub mod course_reviews;
pub mod courses;
pub mod learning_path_courses;
pub mod learning_paths;
pub mod lessons;
pub mod modules;
pub mod quiz_attempts;
pub mod quiz_questions;
