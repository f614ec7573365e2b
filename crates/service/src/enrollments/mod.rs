//! Enrollment: who may enter which course, and how.
