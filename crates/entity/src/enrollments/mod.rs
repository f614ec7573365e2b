//! Learners' access to courses.

pub mod enrollments;
