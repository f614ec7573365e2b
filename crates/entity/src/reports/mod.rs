//! Generated reports.

pub mod generated_reports;
