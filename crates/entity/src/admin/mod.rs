//! Operations: feature flags, metrics and error logs.

pub mod error_logs;
pub mod feature_flag_history;
pub mod feature_flags;
pub mod system_metrics;
