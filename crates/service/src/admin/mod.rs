//! Operations: the first administrator, error logs (feature flags, metrics and audit come with
//! their issues).

pub mod audit;
pub mod bootstrap;
pub mod error_logs;
pub mod system_metrics;
