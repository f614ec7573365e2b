//! Signed completion certificates.

pub mod certificates;
