//! Lesson progress, the offline sync log and daily snapshots.

pub mod lesson_progress;
pub mod progress_snapshots;
pub mod progress_sync_queue;
