//! Operations: the first administrator, the audit log, error logs, metrics samples and feature
//! flags.

pub mod audit;
pub mod bootstrap;
pub mod error_logs;
pub mod feature_flags;
pub mod system_metrics;
